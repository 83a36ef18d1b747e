/** The one way the app talks to the server: the public /api/v1 with the session cookie. */

export type ApiErrorBody = { error: { code: string; message: string; details?: unknown; requestId?: string } };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly details: unknown,
    readonly requestId?: string,
  ) {
    super(humanMessage(code, details));
  }
}

/** Sentences for people, keyed by the stable error codes of docs/api-errors.md. */
const MESSAGES: Record<string, string> = {
  VALIDATION_FAILED: 'Some fields are not filled in correctly.',
  BAD_REQUEST: 'The request could not be read. Please try again.',
  INVALID_CURSOR: 'The list changed; start again from the first page.',
  TOKEN_INVALID: 'This link or code is wrong, already used or expired. Ask for a new one.',
  WEAK_PASSWORD: 'Choose a stronger password: at least 8 characters and not a common one.',
  OAUTH_FAILED: 'Signing in with that provider failed. Please start again.',
  OAUTH_PROVIDER_NOT_CONFIGURED: 'That way of signing in is not set up on this server.',
  OAUTH_ACCOUNT_TAKEN: 'That account is already linked to another Jobr account.',
  OAUTH_LINK_REQUIRED:
    'You already have a Jobr account with this e-mail address. Enter its password to link this sign-in to it.',
  URL_NOT_ALLOWED: 'That address cannot be fetched (private or not http/https).',
  UNAUTHENTICATED: 'Please sign in to continue.',
  INVALID_CREDENTIALS:
    'Wrong e-mail, phone or password. After several wrong attempts the account is locked for a few minutes: wait, or reset your password.',
  FORBIDDEN: 'You are not allowed to do that.',
  CSRF_REJECTED: 'This change was refused because it did not come from this site. Reload the page and try again.',
  SESSION_REQUIRED: 'This needs a signed-in session.',
  CURRENT_PASSWORD_INVALID: 'Your current password is not right.',
  API_KEYS_NOT_IN_PLAN: 'Your plan does not include API keys.',
  CV_NOT_FOUND: 'This CV was not found.',
  NOT_FOUND: 'Not found.',
  APPLICATION_NOT_FOUND: 'This application was not found.',
  NOTE_NOT_FOUND: 'This note was not found.',
  SAVED_SEARCH_NOT_FOUND: 'This saved search was not found.',
  SAVED_SEARCH_LIMIT: 'You have reached the number of saved searches allowed.',
  JOB_NOT_FOUND: 'This job was not found. It may have been removed.',
  SESSION_NOT_FOUND: 'That session no longer exists.',
  API_KEY_NOT_FOUND: 'That API key no longer exists.',
  CONFLICT: 'That conflicts with a recent change. Reload and try again.',
  EMAIL_TAKEN: 'An account with this e-mail address already exists. Sign in instead?',
  PHONE_TAKEN: 'An account with this phone number already exists. Sign in instead?',
  API_KEY_LIMIT_REACHED: 'You have the maximum number of API keys. Revoke one first.',
  JOB_SOURCE_CONFLICT: 'Another job already has this source and external id.',
  CV_DELETE_NEEDS_CONFIRMATION: 'Applications were made with this CV; deleting it deletes them too.',
  APPLICATION_EXISTS: 'You have already applied to this job.',
  INVALID_STATUS_TRANSITION: 'The application cannot move to that status from where it is.',
  PAYLOAD_TOO_LARGE: 'The file is too big. CVs can be at most 5 MB.',
  UNSUPPORTED_MEDIA_TYPE: 'This type of file is not accepted. Upload a PDF, a Word .docx or a plain text file.',
  CV_TYPE_MISMATCH: 'The file is not what its name says (for example a PDF renamed .docx). Upload the original file.',
  UNPROCESSABLE: 'That cannot be done as asked.',
  IMPORT_FAILED: 'The file could not be read as a job list.',
  FETCH_FAILED: 'The page could not be fetched.',
  JOB_POSTING_NOT_FOUND: 'That page has no job posting we can read. Fill in the short form instead.',
  TRACKED_JOB_EXISTS: 'You already track a job at that address.',
  TRACKED_JOB_LIMIT: 'You track as many jobs as allowed. Remove one you no longer need first.',
  CV_UNREADABLE: 'The file is damaged and could not be read.',
  CV_UNSAFE_ARCHIVE: 'The Word document looks unsafe (too many or oversized parts) and was refused.',
  CV_UNSAFE_XML: 'The Word document contains unsafe XML and was refused.',
  CV_TOO_MANY_PAGES: 'The PDF has more than 20 pages. Upload a shorter CV.',
  CV_PARSE_TIMEOUT: 'Reading the file took too long. Try a simpler file.',
  CV_NO_TEXT: 'No text could be found: the file looks like a scan. Upload a PDF with a text layer or a Word file.',
  RATE_LIMITED: 'Too many attempts. Wait a minute and try again.',
  QUOTA_EXCEEDED: "You have used this month's allowance of this on your plan.",
  COVER_LETTER_NOT_FOUND: 'This cover letter was not found.',
  COVER_LETTER_NOT_READY: 'This cover letter is still being written (or could not be written). Wait for it first.',
  EXPORT_NOT_FOUND: 'This data export was not found.',
  EXPORT_NOT_READY: 'This export is not ready yet. Check again in a moment.',
  NO_NEXT_STEP: 'This application has no next step with a date yet.',
  BILLING_NOT_CONFIGURED: 'Payments are not set up on this server.',
  BILLING_PROVIDER_UNAVAILABLE: 'The payment provider did not answer. Nothing was charged; try again shortly.',
  PLAN_NOT_PURCHASABLE: 'That plan cannot be bought in this currency with this payment method.',
  ALREADY_SUBSCRIBED: 'You already have a subscription: change or cancel it below instead.',
  SUBSCRIPTION_NOT_FOUND: 'You have no subscription to change.',
  PAYMENT_NOT_FOUND: 'This payment was not found.',
  INTERNAL: 'Something went wrong on our side. Please try again.',
  DATABASE_UNAVAILABLE: 'The service is unavailable right now. Please try again shortly.',
  SERVICE_UNAVAILABLE: 'The service is busy right now. Please try again shortly.',
};

/** Names of the metered actions (GET /me/usage, QUOTA_EXCEEDED details.action). */
export const ACTIONS: Record<string, string> = {
  cv_upload: 'CV uploads',
  job_application: 'applications',
  ai_match: 'fit scores',
  cover_letter_generated: 'generated cover letters',
};

export function humanMessage(code: string, details?: unknown): string {
  const base = MESSAGES[code] ?? 'Something went wrong. Please try again.';
  if (code === 'INVALID_STATUS_TRANSITION' && details && typeof details === 'object' && 'allowed' in details) {
    const allowed = Array.isArray(details.allowed) ? details.allowed.map(String) : [];
    return allowed.length ? `${base} From here it can move to: ${allowed.join(', ')}.` : `${base} It is final.`;
  }
  if (code === 'QUOTA_EXCEEDED' && details && typeof details === 'object') {
    const d = details as {
      action?: unknown;
      limit?: unknown;
      resetsAt?: unknown;
      upgradeTo?: unknown;
      period?: unknown;
    };
    const period = typeof d.period === 'string' ? d.period : 'month';
    const what = typeof d.action === 'string' ? (ACTIONS[d.action] ?? d.action) : 'this';
    const when = typeof d.resetsAt === 'string' ? ` It resets on ${new Date(d.resetsAt).toLocaleDateString()}.` : '';
    const up =
      Array.isArray(d.upgradeTo) && d.upgradeTo.length ? ` ${d.upgradeTo.map(String).join(' or ')} allows more.` : '';
    return `You have used this ${period}'s allowance of ${what} (${String(d.limit ?? '?')}) on your plan.${when}${up}`;
  }
  if (code === 'API_KEYS_NOT_IN_PLAN' && details && typeof details === 'object' && 'upgradeTo' in details) {
    const up = Array.isArray(details.upgradeTo) ? details.upgradeTo.map(String) : [];
    return up.length ? `Your plan does not include API keys. Upgrade to ${up.join(' or ')} to create one.` : base;
  }
  if (code === 'VALIDATION_FAILED' && Array.isArray(details) && details.length > 0) {
    const fields = details
      .map((d) => (d && typeof d === 'object' && 'path' in d ? String(d.path).split('.').pop() : null))
      .filter(Boolean);
    if (fields.length) return `${base} Check: ${[...new Set(fields)].join(', ')}.`;
  }
  return base;
}

type Options = { method?: string; body?: unknown; form?: FormData; signal?: AbortSignal };

export async function api<T>(path: string, options: Options = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.form) body = options.form;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method: options.method ?? 'GET',
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', null);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) throw toApiError(response.status, json);
  return json as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function toApiError(status: number, json: unknown): ApiError {
  const e = (json as Partial<ApiErrorBody> | undefined)?.error;
  return new ApiError(status, e?.code ?? (status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INTERNAL'), e?.details, e?.requestId);
}

/** Upload with progress (fetch cannot report upload progress). */
export function upload<T>(path: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${path}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', null));
    xhr.onload = () => {
      const json = safeJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve(json as T);
      else reject(toApiError(xhr.status, json));
    };
    xhr.send(form);
  });
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'NETWORK') return 'The server cannot be reached. Check your connection and try again.';
    return err.message;
  }
  return 'Something went wrong. Please try again.';
}
