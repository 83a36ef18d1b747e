/**
 * From a record as found in a file to the fields of a job, before validation. Flat records (JSON,
 * NDJSON, CSV) are matched by field name with common aliases; schema.org JobPosting by its vocabulary.
 * Values are coerced the way people write them: "yes", "12-18 LPA", "$120k", "Full-time".
 */
import { EXPERIENCE_LEVELS, JOB_TYPES } from '../../../db/schema/index.ts';
import { periodsPerYear, type SalaryCurrency } from '../salary.ts';
import { parseDate } from './dates.ts';
import { htmlToText, looksLikeHtml, sanitizeHtml, textAsHtml } from './html.ts';
import { isNoSalary, type ParsedSalary, parseSalaryText, periodIn } from './salary-text.ts';
import { repairMojibake } from './text.ts';

export { type ParsedSalary, parseSalaryText };

export type MappedJob = Record<string, unknown>;

/**
 * Header/key (lower-case, letters and digits only) -> job field: how real exports name things
 * (city job boards, job-board scrapes, aggregators, ATS feeds). `--map field=Column` wins over these.
 */
const FIELD_ALIASES: Record<string, string> = {
  title: 'title',
  jobtitle: 'title',
  businesstitle: 'title',
  positiontitle: 'title',
  civilservicetitle: 'title',
  position: 'title',
  role: 'title',
  jobname: 'title',
  vacancy: 'title',
  company: 'company',
  companyname: 'company',
  employer: 'company',
  employername: 'company',
  agency: 'company',
  organization: 'company',
  organisation: 'company',
  hiringorganization: 'company',
  location: 'location',
  joblocation: 'location',
  worklocation: 'location',
  locationraw: 'location',
  city: 'location',
  town: 'location',
  remote: 'remote',
  isremote: 'remote',
  workplace: 'remote',
  workplacetype: 'remote',
  remotework: 'remote',
  salarymin: 'salaryMin',
  minsalary: 'salaryMin',
  salaryfrom: 'salaryMin',
  salaryrangefrom: 'salaryMin',
  minimumsalary: 'salaryMin',
  salarymax: 'salaryMax',
  maxsalary: 'salaryMax',
  salaryto: 'salaryMax',
  salaryrangeto: 'salaryMax',
  maximumsalary: 'salaryMax',
  salary: 'salary',
  salaryestimate: 'salary',
  estimatedsalary: 'salary',
  salaryraw: 'salary',
  salaryrange: 'salary',
  salarytext: 'salary',
  pay: 'salary',
  payrate: 'salary',
  compensation: 'salary',
  salarycurrency: 'salaryCurrency',
  currency: 'salaryCurrency',
  salaryperiod: 'salaryPeriod',
  salaryfrequency: 'salaryPeriod',
  payfrequency: 'salaryPeriod',
  period: 'salaryPeriod',
  payperiod: 'salaryPeriod',
  experiencelevel: 'experienceLevel',
  careerlevel: 'experienceLevel',
  level: 'experienceLevel',
  seniority: 'experienceLevel',
  senioritylevel: 'experienceLevel',
  experience: 'experienceLevel',
  jobtype: 'jobType',
  type: 'jobType',
  employmenttype: 'jobType',
  contracttype: 'jobType',
  contracttime: 'jobType',
  fulltimeparttimeindicator: 'jobType',
  fullparttime: 'jobType',
  description: 'description',
  jobdescription: 'description',
  fulldescription: 'description',
  descriptionhtml: 'description',
  summary: 'description',
  requirements: 'requirements',
  skills: 'requirements',
  tags: 'requirements',
  keywords: 'requirements',
  externalid: 'externalId',
  id: 'externalId',
  jobid: 'externalId',
  reference: 'externalId',
  requisitionid: 'externalId',
  sourceurl: 'sourceUrl',
  url: 'sourceUrl',
  link: 'sourceUrl',
  applyurl: 'sourceUrl',
  redirecturl: 'sourceUrl',
  posteddate: 'postedDate',
  postingdate: 'postedDate',
  dateposted: 'postedDate',
  posted: 'postedDate',
  postedat: 'postedDate',
  created: 'postedDate',
  date: 'postedDate',
  publishedat: 'postedDate',
  source: 'source',
  responsibilities: 'responsibilities',
  duties: 'duties',
  jobduties: 'duties',
  qualifications: 'qualifications',
  minimumqualrequirements: 'qualifications',
  minimumqualifications: 'qualifications',
  preferredskills: 'preferredSkills',
  preferredqualifications: 'preferredSkills',
};

/** The headings under which extra text columns are composed into a description. */
const TEXT_SECTIONS: Array<[string, string]> = [
  ['responsibilities', 'Responsibilities'],
  ['duties', 'Duties'],
  ['qualifications', 'Qualifications'],
  ['preferredSkills', 'Preferred skills'],
];

/** The fields a CSV column can be mapped to (`--map field=Column`). */
export const MAPPABLE_FIELDS = [...new Set(Object.values(FIELD_ALIASES))];

/** The header names recognised for each field (for `--help` and the docs). */
export function recognisedHeaders(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [alias, field] of Object.entries(FIELD_ALIASES)) {
    out[field] = [...(out[field] ?? []), alias];
  }
  return out;
}

const key = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The job field a header names, if any. */
export const fieldForHeader = (header: string): string | undefined => FIELD_ALIASES[key(header)];

const str = (v: unknown): string | undefined => {
  if (typeof v === 'string') return repairMojibake(v.trim()) || undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
};

const list = (v: unknown): string[] => {
  if (Array.isArray(v)) {
    return v.flatMap((item) => {
      if (typeof item === 'string') return [item.trim()];
      // JSON Resume style: { name, keywords: [...] }
      if (item && typeof item === 'object') {
        const o = item as Record<string, unknown>;
        const words = Array.isArray(o.keywords) ? o.keywords.filter((k): k is string => typeof k === 'string') : [];
        return words.length > 0 ? words : typeof o.name === 'string' ? [o.name] : [];
      }
      return [];
    });
  }
  const s = str(v);
  return s
    ? s
        .split(/[,;|]/)
        .map((item) => item.trim())
        .filter(Boolean)
    : [];
};

function toBoolean(v: unknown): boolean | unknown {
  if (typeof v === 'boolean') return v;
  const s = str(v)?.toLowerCase();
  if (s === undefined) return undefined;
  if (['true', 'yes', 'y', '1', 'remote', 'full', 'fully remote', 'telecommute'].includes(s)) return true;
  if (['false', 'no', 'n', '0', 'onsite', 'on-site', 'office', 'hybrid', 'none'].includes(s)) return false;
  return v; // validation names it
}

/** A salary figure as a number; "-1", "0", "N/A" and empty mean none (undefined). */
function toAmount(v: unknown): number | unknown {
  if (typeof v === 'number') return v > 0 ? v : undefined;
  const s = str(v);
  if (s === undefined || isNoSalary(s)) return undefined;
  const n = Number(s.replace(/[,_\s$£€₹]/g, ''));
  if (Number.isFinite(n)) return n > 0 ? n : undefined;
  const parsed = parseSalaryText(s);
  return parsed ? parsed.max : v;
}

const JOB_TYPE_WORDS: Array<[RegExp, (typeof JOB_TYPES)[number]]> = [
  [/^f$|^ft$|full|permanent/, 'full-time'],
  [/^p$|^pt$/, 'part-time'],
  [/part/, 'part-time'],
  [/intern/, 'internship'],
  [/freelan|per.?diem/, 'freelance'],
  [/contract|temporar|temp\b|fixed.?term/, 'contract'],
];

export function toJobType(v: unknown): unknown {
  const values = Array.isArray(v) ? v : [v];
  for (const value of values) {
    const s = str(value)?.toLowerCase().replace(/_/g, ' ');
    if (!s) continue;
    if ((JOB_TYPES as readonly string[]).includes(s)) return s;
    const found = JOB_TYPE_WORDS.find(([re]) => re.test(s));
    if (found) return found[1];
  }
  return values.length === 1 && values[0] !== undefined ? values[0] : undefined;
}

const LEVEL_WORDS: Array<[RegExp, (typeof EXPERIENCE_LEVELS)[number]]> = [
  [/entry|junior|graduate|trainee|fresher|beginner/, 'junior'],
  [/mid|intermediate|associate/, 'mid'],
  [/senior|lead|principal|staff|expert/, 'senior'],
  [/executive|director|vp|vice president|head|chief|c-level/, 'executive'],
];

export function toExperienceLevel(v: unknown): unknown {
  const s = str(v)?.toLowerCase();
  if (!s) return undefined;
  if ((EXPERIENCE_LEVELS as readonly string[]).includes(s)) return s;
  return LEVEL_WORDS.find(([re]) => re.test(s))?.[1] ?? v;
}

/** An explicit period field: recognised words, else the value as given (validation names it). */
const toPeriod = (v: unknown) => {
  const s = str(v)?.toLowerCase().slice(0, 100);
  return s ? (periodIn(s) ?? s) : undefined;
};

/**
 * Salary fields onto a job. Weekly pay has no column of its own: it is stored as its yearly
 * equivalent; so is hourly or daily pay with cents (the columns hold whole units, and truncating
 * $17.50 to $17 would be wrong). Other amounts are rounded to the unit.
 */
function applySalary(job: MappedJob, salary: { min?: unknown; max?: unknown; currency?: unknown; period?: unknown }) {
  let { min, max } = salary;
  let period = salary.period;
  const fractional = [min, max].some((n) => typeof n === 'number' && !Number.isInteger(n));
  if (period === 'weekly' || (fractional && (period === 'hourly' || period === 'daily'))) {
    // The currency's working year (an unknown currency is refused by validation later; USD meanwhile).
    const currency = (typeof salary.currency === 'string' ? salary.currency.toUpperCase() : 'USD') as SalaryCurrency;
    const factor = periodsPerYear(period, currency);
    min = typeof min === 'number' ? min * factor : min;
    max = typeof max === 'number' ? max * factor : max;
    period = 'yearly';
  }
  const round = (n: unknown) => (typeof n === 'number' ? Math.round(n) : n);
  if (min !== undefined) job.salaryMin = round(min);
  if (max !== undefined) job.salaryMax = round(max);
  if (salary.currency !== undefined)
    job.salaryCurrency = typeof salary.currency === 'string' ? salary.currency.toUpperCase() : salary.currency;
  if (period !== undefined) job.salaryPeriod = period;
}

function locationText(v: unknown): string | undefined {
  if (typeof v === 'string') return str(v);
  if (Array.isArray(v)) {
    const parts = [...new Set(v.map(locationText).filter(Boolean))];
    return parts.length ? parts.join('; ') : undefined;
  }
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  if ('address' in o && typeof o.address === 'object') return locationText(o.address);
  const country = o.addressCountry ?? o.countryCode ?? o.country;
  const parts = [
    o.addressLocality ?? o.city,
    o.addressRegion ?? o.region,
    typeof country === 'object' && country ? (country as Record<string, unknown>).name : country,
  ]
    .map(str)
    .filter((p): p is string => Boolean(p));
  return [...new Set(parts)].join(', ') || str(o.name);
}

/** Extra text columns under their headings, after the description (or as it, when it is empty). */
function composeDescription(description: string | undefined, fields: Record<string, unknown>): string | undefined {
  const sections = TEXT_SECTIONS.flatMap(([field, heading]) => {
    const value = fields[field];
    const items = Array.isArray(value) ? list(value).map((item) => `- ${item}`) : [str(value)].filter(Boolean);
    return items.length > 0 ? [`${heading}:\n${items.join('\n')}`] : [];
  });
  if (sections.length === 0) return description;
  return [description, ...sections].filter(Boolean).join('\n\n');
}

/**
 * "Tecolote Research\n3.8" (a rating after a line break), "Acme 4.2 ★": the company name alone.
 * Done line by line with fixed-size tests, never a pattern anchored at the end (linear-time).
 */
export function cleanCompany(raw: string): string {
  const lines = raw.split('\n').map((l) => l.trim());
  while (lines.length > 1 && /^[0-5](?:\.\d)?\s?★?$/.test((lines[lines.length - 1] ?? '').slice(0, 8))) lines.pop();
  let name = lines.filter(Boolean).join(' ');
  const tail = name.slice(-8).match(/\s[0-5]\.\d\s?★$/);
  if (tail) name = name.slice(0, name.length - tail[0].length);
  return name.trim();
}

export type MapOptions = {
  /** Currency for rows that do not state one. */
  currency?: string | undefined;
  /** Dates like 03/04/2025 are day-first. */
  dayfirst?: boolean | undefined;
  /** Called for each value that is understood differently from how it was written. */
  warn?: ((field: string, value: unknown, reason: string) => void) | undefined;
};

/** A flat record (JSON, NDJSON, CSV, JSON Resume job) to job fields. Unknown keys are ignored. */
export function mapFlatRecord(record: Record<string, unknown>, options: MapOptions = {}): MappedJob {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    const field = FIELD_ALIASES[key(name)] ?? (name in FIELD_ALIASES ? FIELD_ALIASES[name] : undefined);
    if (field && (fields[field] === undefined || str(fields[field]) === undefined)) fields[field] = value;
  }
  const warn = options.warn ?? (() => {});
  const job: MappedJob = {};
  const title = str(fields.title);
  if (title) job.title = title.replace(/\s+/g, ' ');
  const companyText =
    str(fields.company) ??
    (typeof fields.company === 'object' ? str((fields.company as Record<string, unknown> | null)?.name) : undefined);
  const company = companyText ? cleanCompany(companyText) : undefined;
  if (company) job.company = company;
  const location = locationText(fields.location);
  if (location) job.location = location;
  const remote = toBoolean(fields.remote);
  if (remote !== undefined) job.remote = remote;

  const salaryText = str(fields.salary);
  const parsed = salaryText ? parseSalaryText(salaryText) : null;
  if (salaryText && !parsed && !isNoSalary(salaryText)) warn('salary', salaryText, 'No figure found; left empty.');
  const min = fields.salaryMin !== undefined ? toAmount(fields.salaryMin) : parsed?.min;
  const max = fields.salaryMax !== undefined ? toAmount(fields.salaryMax) : parsed?.max;
  const currency = str(fields.salaryCurrency) ?? parsed?.currency;
  applySalary(job, {
    min,
    max,
    currency: currency ?? (min !== undefined || max !== undefined ? options.currency : undefined),
    period: toPeriod(fields.salaryPeriod) ?? parsed?.period,
  });

  const level = toExperienceLevel(fields.experienceLevel);
  if (level !== undefined) job.experienceLevel = level;
  const type = toJobType(fields.jobType);
  if (type !== undefined) job.jobType = type;
  const rawDescription = str(fields.description);
  // An HTML description is stored twice: as text (search, snippets) and sanitised to a safe subset (pages).
  const isHtml = rawDescription !== undefined && looksLikeHtml(rawDescription);
  const description = composeDescription(isHtml ? htmlToText(rawDescription) : rawDescription, fields);
  if (description) job.description = description;
  const safeHtml = isHtml ? sanitizeHtml(rawDescription) : null;
  if (safeHtml) job.descriptionHtml = safeHtml + textAsHtml(composeDescription(undefined, fields) ?? '');
  const requirements = list(fields.requirements);
  if (requirements.length > 0) job.requirements = requirements;
  const externalId = str(fields.externalId);
  if (externalId) job.externalId = externalId;
  const meta = record.meta as Record<string, unknown> | undefined;
  const sourceUrl = str(fields.sourceUrl) ?? str(meta?.canonical);
  if (sourceUrl) job.sourceUrl = sourceUrl;
  const posted = str(fields.postedDate);
  if (posted) job.postedDate = parseDate(posted, options) ?? posted;
  const source = str(fields.source);
  if (source) job.source = source.toLowerCase();
  return job;
}

export { htmlToText };

const UNIT_PERIODS: Record<string, string> = {
  HOUR: 'hourly',
  DAY: 'daily',
  WEEK: 'weekly',
  MONTH: 'monthly',
  YEAR: 'yearly',
};

/** A schema.org JobPosting (https://schema.org/JobPosting) to job fields. */
export function mapJobPosting(posting: Record<string, unknown>, pageUrl?: string): MappedJob {
  const job: MappedJob = {};
  const title = str(posting.title) ?? str(posting.name);
  if (title) job.title = title;
  const org = posting.hiringOrganization;
  const company = typeof org === 'string' ? str(org) : str((org as Record<string, unknown> | undefined)?.name);
  if (company) job.company = company;
  const location = locationText(posting.jobLocation);
  const locationType = posting.jobLocationType;
  const remote =
    locationType === 'TELECOMMUTE' || (Array.isArray(locationType) && locationType.includes('TELECOMMUTE'));
  job.remote = remote;
  if (location) job.location = location;
  else if (remote) job.location = locationText(posting.applicantLocationRequirements) ?? 'Remote';

  const salary = posting.baseSalary as Record<string, unknown> | undefined;
  if (salary && typeof salary === 'object') {
    const value = salary.value;
    const q = (value && typeof value === 'object' ? value : { value }) as Record<string, unknown>;
    const unit = str(q.unitText) ?? str(salary.unitText);
    applySalary(job, {
      min: toAmount(q.minValue ?? q.value),
      max: toAmount(q.maxValue ?? q.value),
      currency: str(salary.currency),
      period: unit ? (UNIT_PERIODS[unit.toUpperCase()] ?? unit.toLowerCase()) : undefined,
    });
    for (const k of ['salaryMin', 'salaryMax'] as const)
      if (typeof job[k] === 'number') job[k] = Math.round(job[k] as number);
  }

  const type = toJobType(posting.employmentType);
  if (type !== undefined) job.jobType = type;
  const months = Number((posting.experienceRequirements as Record<string, unknown> | undefined)?.monthsOfExperience);
  if (Number.isFinite(months))
    job.experienceLevel = months < 24 ? 'junior' : months < 60 ? 'mid' : months < 120 ? 'senior' : 'executive';
  const description = str(posting.description);
  if (description) job.description = htmlToText(description);
  const safeHtml = description && looksLikeHtml(description) ? sanitizeHtml(description) : null;
  if (safeHtml) job.descriptionHtml = safeHtml;
  const skills = list(posting.skills);
  if (skills.length > 0) job.requirements = skills;
  const identifier = posting.identifier;
  const externalId =
    typeof identifier === 'object' && identifier ? str((identifier as Record<string, unknown>).value) : str(identifier);
  if (externalId) job.externalId = externalId;
  const url = str(posting.url) ?? pageUrl;
  if (url) job.sourceUrl = url;
  const posted = str(posting.datePosted);
  if (posted) job.postedDate = posted;
  return job;
}
