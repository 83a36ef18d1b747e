/**
 * From a record as found in a file to the fields of a job, before validation. Flat records (JSON,
 * NDJSON, CSV) are matched by field name with common aliases; schema.org JobPosting by its vocabulary.
 * Values are coerced the way people write them: "yes", "12-18 LPA", "$120k", "Full-time".
 */
import { EXPERIENCE_LEVELS, JOB_TYPES } from '../../../db/schema/index.ts';
import { LAKH } from '../salary.ts';

export type MappedJob = Record<string, unknown>;

/** Header/key (lower-case, letters and digits only) -> job field. */
const FIELD_ALIASES: Record<string, string> = {
  title: 'title',
  jobtitle: 'title',
  position: 'title',
  role: 'title',
  company: 'company',
  companyname: 'company',
  employer: 'company',
  organization: 'company',
  hiringorganization: 'company',
  location: 'location',
  joblocation: 'location',
  city: 'location',
  remote: 'remote',
  isremote: 'remote',
  workplace: 'remote',
  salarymin: 'salaryMin',
  minsalary: 'salaryMin',
  salaryfrom: 'salaryMin',
  salarymax: 'salaryMax',
  maxsalary: 'salaryMax',
  salaryto: 'salaryMax',
  salary: 'salary',
  pay: 'salary',
  compensation: 'salary',
  salarycurrency: 'salaryCurrency',
  currency: 'salaryCurrency',
  salaryperiod: 'salaryPeriod',
  period: 'salaryPeriod',
  payperiod: 'salaryPeriod',
  experiencelevel: 'experienceLevel',
  level: 'experienceLevel',
  seniority: 'experienceLevel',
  experience: 'experienceLevel',
  jobtype: 'jobType',
  type: 'jobType',
  employmenttype: 'jobType',
  description: 'description',
  jobdescription: 'description',
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
  posteddate: 'postedDate',
  dateposted: 'postedDate',
  date: 'postedDate',
  publishedat: 'postedDate',
  source: 'source',
  responsibilities: 'responsibilities',
  qualifications: 'qualifications',
};

/** The fields a CSV column can be mapped to (`--map field=Column`). */
export const MAPPABLE_FIELDS = [...new Set(Object.values(FIELD_ALIASES))].filter(
  (f) => f !== 'responsibilities' && f !== 'qualifications',
);

const key = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

const str = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v.trim() || undefined;
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
  return s ? s.split(/\s*[,;|]\s*/).filter(Boolean) : [];
};

function toBoolean(v: unknown): boolean | unknown {
  if (typeof v === 'boolean') return v;
  const s = str(v)?.toLowerCase();
  if (s === undefined) return undefined;
  if (['true', 'yes', 'y', '1', 'remote', 'full', 'fully remote', 'telecommute'].includes(s)) return true;
  if (['false', 'no', 'n', '0', 'onsite', 'on-site', 'office', 'hybrid', 'none'].includes(s)) return false;
  return v; // validation names it
}

function toInteger(v: unknown): number | unknown {
  if (typeof v === 'number') return v;
  const s = str(v);
  if (s === undefined) return undefined;
  const n = Number(s.replace(/[,_\s]/g, ''));
  return Number.isFinite(n) ? n : v;
}

const JOB_TYPE_WORDS: Array<[RegExp, (typeof JOB_TYPES)[number]]> = [
  [/full/, 'full-time'],
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

const PERIOD_WORDS: Array<[RegExp, string]> = [
  [/hour|hr\b|hourly/, 'hourly'],
  [/day|daily/, 'daily'],
  [/week/, 'weekly'],
  [/month|monthly|\bpm\b|\/mo\b/, 'monthly'],
  [/year|annum|annual|yearly|\bpa\b|lpa/, 'yearly'],
];

/** The pay period a text names, if any. */
const periodIn = (text: string) => PERIOD_WORDS.find(([re]) => re.test(text))?.[1];

/** An explicit period field: recognised words, else the value as given (validation names it). */
const toPeriod = (v: unknown) => {
  const s = str(v)?.toLowerCase();
  return s ? (periodIn(s) ?? s) : undefined;
};

export type ParsedSalary = { min: number; max: number; currency?: string; period?: string };

/**
 * "₹12-18 LPA", "$120k - $150k", "£45,000 per annum", "€30/hour", "100000": a range (or one figure),
 * with the currency and period when the text says them.
 */
export function parseSalaryText(text: string): ParsedSalary | null {
  const t = text.toLowerCase();
  const amounts = [...t.matchAll(/(\d[\d,]*(?:\.\d+)?)\s*(k\b|m\b|lakhs?|lacs?|lpa|l\b|crores?|cr\b)?/g)].map((m) => {
    const n = Number((m[1] ?? '').replace(/,/g, ''));
    const unit = m[2] ?? '';
    if (unit === 'k') return n * 1_000;
    if (unit === 'm') return n * 1_000_000;
    if (/^(lakh|lac|lpa|l)/.test(unit)) return n * LAKH;
    if (/^cr/.test(unit)) return n * 100 * LAKH;
    return n;
  });
  if (amounts.length === 0 || amounts.some((n) => !Number.isFinite(n))) return null;
  // "12-18 LPA": the unit written once applies to both ends.
  let [min, max] = [amounts[0] as number, (amounts[1] ?? amounts[0]) as number];
  if (min < max / 500 && /lpa|lakh|lac|k\b/.test(t)) min *= max >= LAKH && /lpa|lakh|lac/.test(t) ? LAKH : 1_000;
  const currency = /₹|\binr\b|\brs\.?/.test(t)
    ? 'INR'
    : /\$|\busd\b/.test(t)
      ? 'USD'
      : /€|\beur\b/.test(t)
        ? 'EUR'
        : /£|\bgbp\b/.test(t)
          ? 'GBP'
          : /lpa|lakh|lac|crore/.test(t)
            ? 'INR'
            : undefined;
  const period = periodIn(t);
  return {
    min: Math.round(min),
    max: Math.round(max),
    ...(currency ? { currency } : {}),
    ...(period ? { period } : {}),
  };
}

/** Weekly pay has no column of its own: it is stored as its yearly equivalent. */
function applySalary(job: MappedJob, salary: { min?: unknown; max?: unknown; currency?: unknown; period?: unknown }) {
  let { min, max } = salary;
  let period = salary.period;
  if (period === 'weekly') {
    min = typeof min === 'number' ? min * 52 : min;
    max = typeof max === 'number' ? max * 52 : max;
    period = 'yearly';
  }
  if (min !== undefined) job.salaryMin = min;
  if (max !== undefined) job.salaryMax = max;
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

function withBullets(description: string | undefined, ...lists: unknown[]): string | undefined {
  const extra = lists.flatMap(list).map((item) => `- ${item}`);
  if (extra.length === 0) return description;
  return [description, ...extra].filter(Boolean).join('\n');
}

/** A flat record (JSON, NDJSON, CSV, JSON Resume job) to job fields. Unknown keys are ignored. */
export function mapFlatRecord(record: Record<string, unknown>): MappedJob {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    const field = FIELD_ALIASES[key(name)] ?? (name in FIELD_ALIASES ? FIELD_ALIASES[name] : undefined);
    if (field && fields[field] === undefined) fields[field] = value;
  }
  const job: MappedJob = {};
  const title = str(fields.title);
  if (title) job.title = title;
  const company =
    str(fields.company) ??
    (typeof fields.company === 'object' ? str((fields.company as Record<string, unknown> | null)?.name) : undefined);
  if (company) job.company = company;
  const location = locationText(fields.location);
  if (location) job.location = location;
  const remote = toBoolean(fields.remote);
  if (remote !== undefined) job.remote = remote;

  const salaryText = str(fields.salary);
  const parsed = salaryText ? parseSalaryText(salaryText) : null;
  applySalary(job, {
    min: fields.salaryMin !== undefined ? toInteger(fields.salaryMin) : parsed?.min,
    max: fields.salaryMax !== undefined ? toInteger(fields.salaryMax) : parsed?.max,
    currency: str(fields.salaryCurrency) ?? parsed?.currency,
    period: toPeriod(fields.salaryPeriod) ?? parsed?.period,
  });
  if (salaryText && !parsed) job.salaryMin = salaryText; // validation reports it

  const level = toExperienceLevel(fields.experienceLevel);
  if (level !== undefined) job.experienceLevel = level;
  const type = toJobType(fields.jobType);
  if (type !== undefined) job.jobType = type;
  const description = withBullets(str(fields.description), fields.responsibilities, fields.qualifications);
  if (description) job.description = description;
  const requirements = list(fields.requirements);
  if (requirements.length > 0) job.requirements = requirements;
  const externalId = str(fields.externalId);
  if (externalId) job.externalId = externalId;
  const meta = record.meta as Record<string, unknown> | undefined;
  const sourceUrl = str(fields.sourceUrl) ?? str(meta?.canonical);
  if (sourceUrl) job.sourceUrl = sourceUrl;
  const posted = str(fields.postedDate);
  if (posted) job.postedDate = posted;
  const source = str(fields.source);
  if (source) job.source = source.toLowerCase();
  return job;
}

/** HTML (as job pages put in JobPosting.description) to plain text with line breaks kept. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6]|tr)>/gi, '\n')
    .replace(/<li[^>]*>/gi, '- ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x?[0-9a-f]+|amp|lt|gt|quot|apos|nbsp);/gi, (_, entity: string) => {
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
      const lower = entity.toLowerCase();
      if (named[lower]) return named[lower];
      const code = lower.startsWith('#x') ? Number.parseInt(lower.slice(2), 16) : Number.parseInt(lower.slice(1), 10);
      return Number.isInteger(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : '';
    })
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n\s*\n+/g, '\n\n')
    .trim();
}

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
      min: toInteger(q.minValue ?? q.value),
      max: toInteger(q.maxValue ?? q.value),
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
