/**
 * One record of a job file to a job ready to store, forgivingly: a bad value in an optional field
 * never rejects the row. The field is left empty and the row goes in with a warning (line, field,
 * value, reason). Only a row without a usable title is rejected.
 *
 * Pure (no database): the importer, `npm run eval:import` and the tests use the same function.
 */
import { SALARY_CURRENCIES } from '../../../db/schema/index.ts';
import { textSkillsOf } from '../../skills/skills.ts';
import { type CreateJob, createJobBody } from '../jobs.schemas.ts';
import { inferFromText } from './infer.ts';
import { type MappedJob, mapFlatRecord, mapJobPosting } from './map.ts';
import type { RawRecord } from './read.ts';

/** How a row without a company is recorded, unless the import says otherwise (`--set company=...`). */
export const COMPANY_NOT_STATED = 'Not stated';
/** A posting may be dated at most this far ahead (time zones); later dates are dropped with a warning. */
const FUTURE_SLACK_MS = 86_400_000;
/** Skills found in a description are kept up to this many. */
const MAX_TEXT_SKILLS = 40;
const MAX_WARNING_VALUE = 200;

export type RowIssue = {
  line: number;
  kind: 'warning' | 'rejected';
  field?: string | undefined;
  value?: string | undefined;
  reason: string;
};

export type PrepareOptions = {
  /** Default for rows that do not name their source. */
  source?: string | undefined;
  /** Constant field values for every row (`--set field=value`); they win over the file. */
  set?: Record<string, string> | undefined;
  /** Currency for rows that state an amount but no currency. */
  currency?: string | undefined;
  dayfirst?: boolean | undefined;
  /** What a row without a company gets. Default COMPANY_NOT_STATED. */
  companyNotStated?: string | undefined;
  /** The page a JSON-LD posting came from, when it does not give its own url. */
  pageUrl?: string | undefined;
  now?: Date | undefined;
};

export type Prepared =
  | {
      ok: true;
      job: CreateJob;
      /** The description as sanitised HTML, when the file gave HTML (html.ts sanitizeHtml). */
      descriptionHtml: string | null;
      /** Up to MAX_TEXT_SKILLS of `textSkills`: what the job's skills gain from its text. */
      skillsFromText: string[];
      /** Every skill named in the title and description (jobs.text_skills), read once here. */
      textSkills: string[];
      warnings: RowIssue[];
    }
  | { ok: false; rejection: RowIssue; warnings: RowIssue[] };

const SALARY_FIELDS = ['salaryMin', 'salaryMax', 'salaryCurrency', 'salaryPeriod'] as const;

const shown = (value: unknown): string | undefined => {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_WARNING_VALUE ? `${text.slice(0, MAX_WARNING_VALUE)}…` : text;
};

export function prepareRecord(record: Exclude<RawRecord, { kind: 'error' }>, options: PrepareOptions = {}): Prepared {
  const warnings: RowIssue[] = [];
  const line = record.line;
  const warn = (field: string, value: unknown, reason: string) =>
    warnings.push({ line, kind: 'warning', field, value: shown(value), reason });
  const mapOptions = { currency: options.currency, dayfirst: options.dayfirst, warn };

  const job: MappedJob =
    record.kind === 'jsonld' ? mapJobPosting(record.value, options.pageUrl) : mapFlatRecord(record.value, mapOptions);
  if (options.set) {
    const constant = mapFlatRecord(options.set, mapOptions);
    if ('description' in constant && !('descriptionHtml' in constant)) delete job.descriptionHtml;
    Object.assign(job, constant);
  }
  // The sanitised HTML rides beside the job, not in it: the API's job body has no such field.
  let descriptionHtml = typeof job.descriptionHtml === 'string' ? job.descriptionHtml : null;
  delete job.descriptionHtml;
  if (!job.source && options.source) job.source = options.source;
  if (job.salaryCurrency === undefined && options.currency && (job.salaryMin ?? job.salaryMax) !== undefined) {
    job.salaryCurrency = options.currency;
  }

  const title = typeof job.title === 'string' ? job.title.trim() : '';
  if (!title) {
    return {
      ok: false,
      rejection: { line, kind: 'rejected', field: 'title', reason: 'title: No usable title.' },
      warnings,
    };
  }
  if (job.company === undefined) {
    job.company = options.companyNotStated ?? COMPANY_NOT_STATED;
    warn('company', undefined, `No company; recorded as "${job.company}".`);
  }
  if (job.description === undefined) {
    descriptionHtml = null;
    job.description = title;
    warn('description', undefined, 'No description; the title stands in for it.');
  }
  if (typeof job.description === 'string' && job.description.length > 100_000) {
    job.description = job.description.slice(0, 100_000);
    warn('description', undefined, 'Longer than 100,000 characters; cut.');
  }
  if (
    typeof job.salaryCurrency === 'string' &&
    !(SALARY_CURRENCIES as readonly string[]).includes(job.salaryCurrency)
  ) {
    warn(
      'salaryCurrency',
      job.salaryCurrency,
      `Currency not supported (${SALARY_CURRENCIES.join(', ')}); salary left empty.`,
    );
    for (const f of SALARY_FIELDS) delete job[f];
  }
  if (job.postedDate instanceof Date) {
    const ahead = job.postedDate.getTime() - (options.now ?? new Date()).getTime();
    if (ahead > FUTURE_SLACK_MS) {
      warn('postedDate', job.postedDate.toISOString(), 'More than a day in the future; the import date is used.');
      delete job.postedDate;
    }
  }

  // Validate; drop each optional field that fails and validate again (a few rounds at most).
  for (let round = 0; round < 6; round++) {
    const parsed = createJobBody.safeParse(job);
    if (parsed.success) {
      const data = parsed.data;
      const textSkills = textSkillsOf(data.title, data.description);
      const inferred = inferFromText(data.title, data.description);
      const filled: CreateJob = { ...data };
      if (data.remote === undefined && inferred.remote !== undefined) filled.remote = inferred.remote;
      if (data.experienceLevel == null && inferred.experienceLevel) filled.experienceLevel = inferred.experienceLevel;
      if (data.jobType === undefined && inferred.jobType) filled.jobType = inferred.jobType;
      return {
        ok: true,
        job: filled,
        descriptionHtml,
        skillsFromText: textSkills.slice(0, MAX_TEXT_SKILLS),
        textSkills,
        warnings,
      };
    }
    const fields = new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')));
    if (fields.has('title') || fields.has('')) {
      const reason = parsed.error.issues
        .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
        .join('; ');
      return { ok: false, rejection: { line, kind: 'rejected', field: 'title', reason }, warnings };
    }
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0]);
      if (!(field in job)) continue;
      if ((SALARY_FIELDS as readonly string[]).includes(field)) {
        warn(field, job[field], `${issue.message} Salary left empty.`);
        for (const f of SALARY_FIELDS) delete job[f];
      } else if (field === 'company') {
        warn(field, job[field], `${issue.message} Recorded as not stated.`);
        job.company = options.companyNotStated ?? COMPANY_NOT_STATED;
      } else if (field === 'description') {
        warn(field, undefined, `${issue.message} The title stands in for it.`);
        job.description = title;
        descriptionHtml = null;
      } else if (field === 'source') {
        warn(field, job[field], `${issue.message} The import's source is used.`);
        job.source = options.source;
        if (job.source === undefined) delete job.source;
      } else {
        warn(field, job[field], `${issue.message} Left empty.`);
        delete job[field];
      }
    }
  }
  return { ok: false, rejection: { line, kind: 'rejected', reason: 'The row could not be made valid.' }, warnings };
}
