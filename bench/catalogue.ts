/**
 * A realistic job catalogue for the benchmarks, generated in Node and loaded with COPY.
 *
 * The vocabulary comes from the real job exports in ../shared/data/jobs/ (titles, companies, locations,
 * salary estimates, description sentences), expanded by recombination rather than repeated: a title is
 * the head of one real title ("Senior", "Lead Machine") joined to the role of another ("Data Scientist"),
 * a company is the first word of one real name with the ending of another, a description is a dozen
 * sentences drawn from all real descriptions. Draws are skewed (Zipf-like: a few very common values, a
 * long tail), and posting dates are independent of row order, so the table is NOT stored in posting
 * order. A fifth of the rows are placed in non-US cities (EUR, GBP, INR) so currency filters have work.
 * Without ../shared/data the synthetic vocabulary of bench/synthetic.ts is used instead (and said so).
 *
 * Deterministic: row n of a given seed is always the same job, so any range can be generated alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { type SalaryPeriod, yearlySalary } from '../src/modules/jobs/salary.ts';
import { findSkillsInText } from '../src/modules/skills/skills.ts';
import { niche, roles, skills as syntheticSkills } from './synthetic.ts';

export const DEFAULT_SEED = 19;
/** Bump when the generated rows change, so cached bench databases are reloaded. */
export const GENERATOR_VERSION = 1;

// ---------------------------------------------------------------------------------------------------
// Randomness: small, seedable, and stable across Node versions.

/** mulberry32: a 32-bit PRNG returning floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A well-mixed seed for row n, so each row has its own stream. */
const rowSeed = (seed: number, n: number) => Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(n, 0xc2b2ae35);

/** Picks from values with the given weights (cumulative table + binary search). */
export class Weighted<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;
  constructor(
    readonly values: readonly T[],
    weights: readonly number[],
  ) {
    let sum = 0;
    for (const w of weights) {
      sum += w;
      this.cumulative.push(sum);
    }
    this.total = sum;
  }
  pick(random: () => number): T {
    const x = random() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulative[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo] as T;
  }
  /** Each value's share of the draws. */
  share(i: number): number {
    return ((this.cumulative[i] as number) - (i > 0 ? (this.cumulative[i - 1] as number) : 0)) / this.total;
  }
  /** The same weights over transformed values. */
  map<U>(fn: (value: T) => U): Weighted<U> {
    return new Weighted(
      this.values.map(fn),
      this.values.map((_, i) => this.share(i)),
    );
  }
}

/** Zipf weights 1/rank^s over values in the given order (the first is the most common). */
export const zipf = <T>(values: readonly T[], s = 1): Weighted<T> =>
  new Weighted(
    values,
    values.map((_, i) => 1 / (i + 1) ** s),
  );

/** Values weighted by how often they occur in `all` (a natural, already skewed distribution). */
function byFrequency(all: readonly string[]): Weighted<string> {
  const counts = new Map<string, number>();
  for (const v of all) counts.set(v, (counts.get(v) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return new Weighted(
    sorted.map(([v]) => v),
    sorted.map(([, n]) => n),
  );
}

/** A deterministic shuffle (Fisher-Yates). */
function shuffled<T>(values: readonly T[], random: () => number): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Vocabulary

type Place = { name: string; currency: 'USD' | 'EUR' | 'GBP' | 'INR'; factor: number };
type Salary = { min: number; max: number; period: SalaryPeriod } | null;
/** A reusable description sentence and the skills it names (canonical keys and display names). */
type Sentence = { text: string; skills: Array<{ key: string; name: string }> };

const sentence = (text: string): Sentence => {
  const seen = new Map<string, string>();
  for (const m of findSkillsInText(text)) if (!seen.has(m.skill)) seen.set(m.skill, m.name);
  return { text, skills: [...seen].map(([key, name]) => ({ key, name })) };
};

export type Vocabulary = {
  source: 'real' | 'synthetic';
  /** Where the real data came from (for the report). */
  origin: string;
  titleHeads: Weighted<string>;
  titleRoles: Weighted<string>;
  companies: Weighted<string>;
  usPlaces: Weighted<string>;
  abroad: Weighted<Place>;
  salaries: Weighted<Salary>;
  sentences: Weighted<Sentence>;
  /** Real titles as written, by frequency: the query sampler draws its words from them. */
  realTitles: Weighted<string>;
};

const abroadPlaces: Place[] = [
  { name: 'London, UK', currency: 'GBP', factor: 0.75 },
  { name: 'Manchester, UK', currency: 'GBP', factor: 0.6 },
  { name: 'Edinburgh, UK', currency: 'GBP', factor: 0.6 },
  { name: 'Berlin, Germany', currency: 'EUR', factor: 0.75 },
  { name: 'Munich, Germany', currency: 'EUR', factor: 0.85 },
  { name: 'Paris, France', currency: 'EUR', factor: 0.75 },
  { name: 'Amsterdam, Netherlands', currency: 'EUR', factor: 0.8 },
  { name: 'Dublin, Ireland', currency: 'EUR', factor: 0.8 },
  { name: 'Madrid, Spain', currency: 'EUR', factor: 0.55 },
  { name: 'Warsaw, Poland', currency: 'EUR', factor: 0.4 },
  { name: 'Bengaluru, India', currency: 'INR', factor: 20 },
  { name: 'Hyderabad, India', currency: 'INR', factor: 18 },
  { name: 'Pune, India', currency: 'INR', factor: 16 },
  { name: 'Mumbai, India', currency: 'INR', factor: 20 },
  { name: 'Chennai, India', currency: 'INR', factor: 15 },
  { name: 'Gurugram, India', currency: 'INR', factor: 18 },
];

const companyEndings = ['Inc', 'Labs', 'Group', 'Health', 'Analytics', 'Systems', 'Technologies', 'Partners'];

/** The folder of real job exports, if present. */
export const realJobsDir = (): string =>
  process.env.JOBR_SHARED_DATA_JOBS ?? join(process.cwd(), '../shared/data/jobs');

/** `$53K-$91K (Glassdoor est.)` → 53,000–91,000 yearly; `$17-$24 Per Hour` → hourly; `-1` → null. */
export function parseSalaryEstimate(text: string): Salary {
  const m = /\$(\d+)K?-\$(\d+)(K?)/.exec(text);
  if (!m) return null;
  const hourly = /per hour/i.test(text);
  const unit = hourly ? 1 : 1000;
  return { min: Number(m[1]) * unit, max: Number(m[2]) * unit, period: hourly ? 'hourly' : 'yearly' };
}

/** Sentences of a description worth reusing: 30–300 characters, not a bare heading. */
export function sentencesOf(description: string): string[] {
  return description
    .split(/\n+|(?<=[.!?])\s+(?=[A-Z])/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length >= 30 && s.length <= 300 && /\s/.test(s));
}

function realVocabulary(dir: string): Vocabulary {
  const records = parse(readFileSync(join(dir, 'glassdoor_jobs.csv')), {
    columns: true,
    relax_quotes: true,
    skip_empty_lines: true,
  }) as Array<Record<string, string>>;
  const random = rng(DEFAULT_SEED);
  const titles = records.map((r) => (r['Job Title'] ?? '').replace(/\s+/g, ' ').trim()).filter(Boolean);
  const heads: string[] = [];
  const tails: string[] = [];
  for (const t of titles) {
    // Strip a trailing qualifier ("Data Scientist - Contract", "Analyst (Remote)") before splitting.
    const words = t
      .replace(/\s*[-–,(/].*$/, '')
      .split(' ')
      .filter(Boolean);
    if (words.length === 0) continue;
    const cut = Math.max(0, words.length - 2);
    heads.push(words.slice(0, cut).join(' '));
    tails.push(words.slice(cut).join(' '));
  }
  const companyNames = [
    ...new Set(records.map((r) => (r['Company Name'] ?? '').split('\n')[0]?.trim() ?? '').filter((c) => c.length > 1)),
  ].sort();
  // Expanded: each real name, plus its first word joined to another name's ending or a common ending.
  const firstWords = [...new Set(companyNames.map((c) => c.split(' ')[0] as string))];
  const endings = [
    ...new Set([...companyNames.map((c) => c.split(' ').slice(1).join(' ')).filter(Boolean), ...companyEndings]),
  ];
  const expanded = new Set(companyNames);
  for (const first of firstWords) {
    for (let k = 0; k < 8; k++) expanded.add(`${first} ${endings[Math.floor(random() * endings.length)]}`);
  }
  const locations = records.map((r) => (r.Location ?? '').trim()).filter((l) => /^[^,]+, [A-Z]{2}$/.test(l));
  const sentenceTexts = [...new Set(records.flatMap((r) => sentencesOf(r['Job Description'] ?? '')))].sort();
  const sentences = shuffled(sentenceTexts, random).map(sentence);
  return {
    source: 'real',
    origin: `${records.length} real listings in ${dir}`,
    titleHeads: byFrequency(heads),
    titleRoles: byFrequency(tails),
    companies: zipf(shuffled([...expanded].sort(), random), 1.05),
    usPlaces: byFrequency(locations),
    abroad: zipf(abroadPlaces, 0.8),
    salaries: byFrequency(records.map((r) => r['Salary Estimate'] ?? '-1')).map(parseSalaryEstimate),
    sentences: zipf(sentences, 0.6),
    realTitles: byFrequency(titles),
  };
}

function syntheticVocabulary(): Vocabulary {
  const random = rng(DEFAULT_SEED);
  const words = [...syntheticSkills, ...niche];
  const sentences: Sentence[] = [];
  for (let i = 0; i < 4000; i++) {
    const a = words[Math.floor(random() ** 2 * words.length)] as string;
    const b = words[Math.floor(random() ** 1.5 * words.length)] as string;
    const text = `You will work with ${a} and ${b} every day alongside a friendly team of ${roles[i % roles.length]}s.`;
    sentences.push(sentence(text));
  }
  const heads = ['', '', 'Senior', 'Junior', 'Lead', 'Principal', 'Staff', 'Head of'];
  return {
    source: 'synthetic',
    origin: 'synthetic vocabulary (../shared/data/jobs not found)',
    titleHeads: zipf(heads),
    titleRoles: zipf(roles, 0.9),
    companies: zipf(
      Array.from({ length: 2000 }, (_, i) => `Company ${i}`),
      1.05,
    ),
    usPlaces: zipf(['New York, NY', 'San Francisco, CA', 'Austin, TX', 'Chicago, IL', 'Seattle, WA', 'Boston, MA']),
    abroad: zipf(abroadPlaces, 0.8),
    salaries: zipf(['$60K-$90K', '$80K-$120K', '-1', '$100K-$150K', '$20-$30 Per Hour']).map(parseSalaryEstimate),
    sentences: zipf(sentences, 0.6),
    realTitles: zipf(roles, 0.9),
  };
}

let cached: Vocabulary | undefined;
/** The vocabulary: real when ../shared/data/jobs is present, else synthetic. */
export function vocabulary(): Vocabulary {
  if (!cached) {
    const dir = realJobsDir();
    cached = existsSync(join(dir, 'glassdoor_jobs.csv')) ? realVocabulary(dir) : syntheticVocabulary();
  }
  return cached;
}

// ---------------------------------------------------------------------------------------------------
// Rows

export type CatalogueJob = {
  title: string;
  company: string;
  location: string | null;
  remote: boolean;
  salaryMin: number | null;
  salaryMax: number | null;
  salaryCurrency: string;
  salaryPeriod: SalaryPeriod;
  salaryYearlyMin: number | null;
  salaryYearlyMax: number | null;
  experienceLevel: string | null;
  jobType: string;
  description: string;
  requirements: string[];
  skills: string[];
  textSkills: string[];
  source: string;
  externalId: string;
  postedDate: Date;
  lastSeenAt: Date;
};

const jobTypes = new Weighted(['full-time', 'contract', 'part-time', 'internship', 'freelance'], [80, 10, 5, 3, 2]);

function experienceOf(title: string, random: () => number): string | null {
  if (/\b(senior|sr\.?|lead|principal|staff)\b/i.test(title)) return 'senior';
  if (/\b(junior|jr\.?|associate|intern|entry)\b/i.test(title)) return 'junior';
  if (/\b(director|vp|vice president|head|chief)\b/i.test(title)) return 'executive';
  return random() < 0.3 ? null : 'mid';
}

const YEAR_MS = 365 * 86_400_000;

/**
 * Job n (1-based) of the catalogue for `seed`, as of `now` (posting dates reach back a year, weighted to
 * recent weeks, independent of n).
 */
export function catalogueJob(n: number, now: number, seed = DEFAULT_SEED, v = vocabulary()): CatalogueJob {
  const random = rng(rowSeed(seed, n));
  const head = random() < 0.55 ? v.titleHeads.pick(random) : '';
  const title = `${head} ${v.titleRoles.pick(random)}`.trim().slice(0, 255);
  const company = v.companies.pick(random);
  const abroad = random() < 0.2 ? v.abroad.pick(random) : null;
  const remote = random() < 0.12;
  const location = abroad ? abroad.name : random() < 0.03 ? null : v.usPlaces.pick(random);
  const salary = v.salaries.pick(random);
  let salaryMin: number | null = null;
  let salaryMax: number | null = null;
  let period: SalaryPeriod = 'yearly';
  if (salary) {
    const jitter = 0.85 + random() * 0.3;
    const factor = (abroad?.factor ?? 1) * jitter;
    const round = salary.period === 'hourly' ? 1 : 1000;
    period = salary.period;
    salaryMin = Math.round((salary.min * factor) / round) * round;
    salaryMax = Math.max(salaryMin, Math.round((salary.max * factor) / round) * round);
  }
  const count = 4 + Math.floor(random() * 6);
  const picked = new Set<Sentence>();
  for (let i = 0; i < count; i++) picked.add(v.sentences.pick(random));
  const sentences = [...picked];
  const where = remote ? ' (remote)' : location ? ` in ${location}` : '';
  const description = [`${company} is hiring a ${title}${where}.`, ...sentences.map((s) => s.text)].join(' ');
  const mentioned = new Map(sentences.flatMap((s) => s.skills.map((k) => [k.key, k.name] as const)));
  const required = shuffled([...mentioned.keys()], random).slice(0, 3 + Math.floor(random() * 4));
  const posted = now - Math.floor(random() ** 2 * YEAR_MS) - Math.floor(random() * 3_600_000);
  return {
    title,
    company,
    location,
    remote,
    salaryMin,
    salaryMax,
    salaryCurrency: abroad?.currency ?? 'USD',
    salaryPeriod: period,
    salaryYearlyMin: yearlySalary(salaryMin, period),
    salaryYearlyMax: yearlySalary(salaryMax, period),
    experienceLevel: experienceOf(title, random),
    jobType: jobTypes.pick(random),
    description,
    requirements: required.map((key) => mentioned.get(key) as string),
    skills: required,
    textSkills: [...mentioned.keys()],
    source: 'bench',
    externalId: `bench-${n}`,
    postedDate: new Date(posted),
    lastSeenAt: new Date(Math.min(now, posted + Math.floor(random() * 30 * 86_400_000))),
  };
}

/** The table columns COPY writes, in order. */
export const copyColumns = [
  'title',
  'company',
  'location',
  'remote',
  'salary_min',
  'salary_max',
  'salary_currency',
  'salary_period',
  'salary_yearly_min',
  'salary_yearly_max',
  'experience_level',
  'job_type',
  'description',
  'requirements',
  'skills',
  'text_skills',
  'source',
  'external_id',
  'posted_date',
  'first_seen_at',
  'last_seen_at',
] as const;

const csvField = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return csvField(`{${v.map((s) => `"${String(s).replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
  if (v instanceof Date) return v.toISOString();
  if (typeof v !== 'string') return String(v);
  return `"${v.replaceAll('"', '""')}"`;
};

/** One job as a CSV line in copyColumns order. */
export function toCsvLine(j: CatalogueJob): string {
  return `${[
    j.title,
    j.company,
    j.location,
    j.remote,
    j.salaryMin,
    j.salaryMax,
    j.salaryCurrency,
    j.salaryPeriod,
    j.salaryYearlyMin,
    j.salaryYearlyMax,
    j.experienceLevel,
    j.jobType,
    j.description,
    j.requirements,
    j.skills,
    j.textSkills,
    j.source,
    j.externalId,
    j.postedDate,
    j.postedDate,
    j.lastSeenAt,
  ]
    .map(csvField)
    .join(',')}\n`;
}

/** Jobs from..to (inclusive) as one CSV text, ready for COPY ... FROM STDIN (FORMAT csv). */
export function csvBatch(from: number, to: number, now: number, seed = DEFAULT_SEED): string {
  const v = vocabulary();
  let out = '';
  for (let n = from; n <= to; n++) out += toCsvLine(catalogueJob(n, now, seed, v));
  return out;
}
