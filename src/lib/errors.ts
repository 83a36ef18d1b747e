/**
 * One error vocabulary. Domain code throws `new AppError('CODE')`; the HTTP layer maps the code to a
 * status and renders `{ error: { code, message, details?, requestId } }`. Codes are stable API:
 * clients may branch on them, so never rename one.
 */
const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, message: 'The request is invalid.' },
  BAD_REQUEST: { status: 400, message: 'The request could not be understood.' },
  UNAUTHENTICATED: { status: 401, message: 'Sign in to continue.' },
  FORBIDDEN: { status: 403, message: 'You are not allowed to do that.' },
  NOT_FOUND: { status: 404, message: 'Nothing exists at this address.' },
  ROUTE_NOT_FOUND: { status: 404, message: 'No such endpoint. See /api/docs for the API reference.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This endpoint does not accept that method.' },
  CONFLICT: { status: 409, message: 'The request conflicts with the current state.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  URI_TOO_LONG: { status: 414, message: 'A part of the address is too long.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'This content type is not supported.' },
  UNPROCESSABLE: { status: 422, message: 'The request could not be processed.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests. Try again later.' },
  CLIENT_CLOSED_REQUEST: { status: 499, message: 'The connection was closed before the answer was ready.' },
  // Identity and access
  INVALID_CREDENTIALS: {
    status: 401,
    message:
      'The identifier or password is incorrect, or the account is temporarily locked after repeated failures. Try again later or reset your password.',
  },
  EMAIL_TAKEN: { status: 409, message: 'An account with this e-mail address already exists. Sign in instead.' },
  PHONE_TAKEN: { status: 409, message: 'An account with this phone number already exists. Sign in instead.' },
  WEAK_PASSWORD: { status: 400, message: 'Choose a different password.' },
  CURRENT_PASSWORD_INVALID: { status: 403, message: 'The current password is incorrect.' },
  CSRF_REJECTED: {
    status: 403,
    message: 'Cross-site request refused. Send requests from the Jobr app, or authenticate with a bearer token.',
  },
  SESSION_REQUIRED: { status: 403, message: 'Sign in with a session to do this; API keys cannot.' },
  SESSION_NOT_FOUND: { status: 404, message: 'No such session.' },
  API_KEY_NOT_FOUND: { status: 404, message: 'No such API key.' },
  TOKEN_INVALID: { status: 400, message: 'The link or code is invalid, used or expired. Request a new one.' },
  OAUTH_PROVIDER_NOT_CONFIGURED: { status: 404, message: 'This sign-in provider is not configured on this server.' },
  OAUTH_FAILED: { status: 400, message: 'Signing in with the provider failed. Start again.' },
  OAUTH_ACCOUNT_TAKEN: { status: 409, message: 'This provider account is already linked to another Jobr account.' },
  OAUTH_LINK_REQUIRED: {
    status: 409,
    message: 'An account with this e-mail address exists. Sign in to it with your password to link this provider.',
  },
  LAST_SIGN_IN_METHOD: {
    status: 409,
    message: 'This is your only way to sign in. Set a password or link another provider first.',
  },
  API_KEY_LIMIT_REACHED: {
    status: 409,
    message: 'You have reached the limit of API keys. Revoke one you no longer use.',
  },
  API_KEYS_NOT_IN_PLAN: {
    status: 403,
    message: 'Your plan does not include API keys. Upgrade to a plan that does (details.upgradeTo, GET /plans).',
  },
  INVALID_CURSOR: {
    status: 400,
    message: 'The cursor is invalid or belongs to another query. Start from the first page.',
  },
  JOB_NOT_FOUND: { status: 404, message: 'No such job.' },
  JOB_SOURCE_CONFLICT: {
    status: 409,
    message: 'Another job already has this source and external id. Update that job instead.',
  },
  IMPORT_FAILED: { status: 422, message: 'The file could not be imported.' },
  IMPORT_REPORT_NOT_FOUND: { status: 404, message: 'No such import report (they are kept for 30 days).' },
  URL_NOT_ALLOWED: { status: 400, message: 'This address cannot be fetched.' },
  FETCH_FAILED: { status: 422, message: 'The page could not be fetched.' },
  JOB_POSTING_NOT_FOUND: {
    status: 422,
    message: 'The page has no job posting we can read (schema.org JobPosting). Fill in the short form instead.',
  },
  TRACKED_JOB_EXISTS: { status: 409, message: 'You already track a job at this address.' },
  TRACKED_JOB_LIMIT: {
    status: 409,
    message: 'You track as many jobs as allowed: delete one you no longer need first.',
  },
  CV_NOT_FOUND: { status: 404, message: 'No such CV.' },
  APPLICATION_NOT_FOUND: { status: 404, message: 'No such application.' },
  NOTE_NOT_FOUND: { status: 404, message: 'No such note on this application.' },
  EXPORT_NOT_FOUND: { status: 404, message: 'No such data export.' },
  EXPORT_NOT_READY: { status: 409, message: 'This export is not ready yet: check its status and try again shortly.' },
  NO_NEXT_STEP: { status: 409, message: 'This application has no next step with a date: set nextStepAt first.' },
  SAVED_SEARCH_NOT_FOUND: { status: 404, message: 'No such saved search.' },
  SAVED_SEARCH_LIMIT: { status: 409, message: 'You have as many saved searches as allowed: delete one first.' },
  UNSUBSCRIBE_LINK_INVALID: {
    status: 400,
    message: 'This unsubscribe link is not valid. Sign in to manage your alerts under Saved searches.',
  },
  APPLICATION_EXISTS: { status: 409, message: 'You have already applied to this job.' },
  INVALID_STATUS_TRANSITION: {
    status: 409,
    message: 'The application cannot move to that status from its current one. details.allowed lists where it can go.',
  },
  CV_TYPE_MISMATCH: {
    status: 415,
    message: 'The file is not what its name or type says. Upload a PDF, a Word (.docx) document or plain text.',
  },
  CV_UNREADABLE: {
    status: 422,
    message: 'The file is damaged or not what it claims to be. Export it again and retry.',
  },
  CV_UNSAFE_ARCHIVE: {
    status: 422,
    message: 'The Word document is built in a way we do not open (a zip bomb or unsafe paths).',
  },
  CV_UNSAFE_XML: { status: 422, message: 'The Word document contains XML entity declarations, which we do not open.' },
  CV_TOO_MANY_PAGES: { status: 422, message: 'The PDF has too many pages for a CV.' },
  CV_PARSE_TIMEOUT: {
    status: 422,
    message: 'Reading the file took too long. Export it again (for example "Save as PDF") and retry.',
  },
  CV_NO_TEXT: {
    status: 422,
    message:
      'The PDF has no text layer (it looks like a scan) and it was not read by OCR. Upload a PDF exported from your editor, a .docx, or plain text.',
  },
  CV_DELETE_NEEDS_CONFIRMATION: {
    status: 409,
    message: 'Deleting this CV also deletes the applications made with it. Repeat with confirm=true to go ahead.',
  },
  BILLING_NOT_CONFIGURED: {
    status: 503,
    message: 'Payments are not configured on this server (or not through this provider).',
  },
  BILLING_PROVIDER_UNAVAILABLE: {
    status: 502,
    message: 'The payment provider did not answer properly. Nothing was charged or changed; try again shortly.',
  },
  PLAN_NOT_PURCHASABLE: {
    status: 400,
    message: 'This plan cannot be bought in this currency through this provider. See GET /plans.',
  },
  ALREADY_SUBSCRIBED: {
    status: 409,
    message: 'You already have a subscription: change its plan or manage it instead of starting another.',
  },
  SUBSCRIPTION_NOT_FOUND: { status: 404, message: 'No such subscription.' },
  PAYMENT_NOT_FOUND: { status: 404, message: 'No such payment.' },
  WEBHOOK_SIGNATURE_INVALID: { status: 400, message: 'The webhook signature is missing, invalid or too old.' },
  REFUND_NOT_ALLOWED: {
    status: 409,
    message: 'This payment cannot be refunded by that amount (not succeeded, or more than what is left).',
  },
  // Plans and matching (issue 13)
  QUOTA_EXCEEDED: {
    status: 429,
    message:
      "You have used this period's allowance of this action on your plan. details says the limit, when it resets and which plans allow more.",
  },
  COVER_LETTER_NOT_FOUND: { status: 404, message: 'No such cover letter.' },
  COVER_LETTER_NOT_READY: {
    status: 409,
    message: 'This cover letter is still being written (or failed): poll GET /cover-letters/{id} until it is ready.',
  },
  INTERNAL: { status: 500, message: 'Something went wrong on our side. It has been logged.' },
  DATABASE_UNAVAILABLE: { status: 503, message: 'The database is unavailable. Try again shortly.' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'The service is temporarily unavailable.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export const ERROR_CODES = Object.keys(errorCatalogue) as ErrorCode[];

export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  /** Extra response headers (Retry-After, Allow, ...). */
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    options: { message?: string; details?: unknown; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(options.message ?? errorCatalogue[code].message, { cause: options.cause });
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.details = options.details;
    this.headers = options.headers;
  }
}

export function statusOf(code: ErrorCode): number {
  return errorCatalogue[code].status;
}

export function defaultMessage(code: ErrorCode): string {
  return errorCatalogue[code].message;
}
