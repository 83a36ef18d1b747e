/**
 * The fit score: how well one CV fits one job, 0-100, as a sum of explainable parts. Pure functions, no
 * database and no model: the same input always gives the same score, and every point can be traced to
 * a skill, a line of the CV or a field of the job. See docs/match.md for the weights and bands.
 */

import { oneOf, trimWhere } from '../../lib/text.ts';
import { findSkillsInText, lookupSkill, type SkillMention } from '../skills/skills.ts';
import { taxonomy } from '../skills/taxonomy.ts';

/** Points each part can give when it applies. A part that does not apply passes its points to the others. */
export const WEIGHTS = { skills: 45, title: 25, seniority: 15, location: 10, salary: 5 } as const;
export type PartName = keyof typeof WEIGHTS;

export const LEVELS = ['junior', 'mid', 'senior', 'executive'] as const;
export type Level = (typeof LEVELS)[number];

export type CvFacts = {
  /** The CV's text (parsed_content). */
  text: string;
  /** Canonical skills from the profile's skills section (cvs.skills). */
  skills: readonly string[];
  /** The headline (the role the CV states under the name), then the work history's job titles, most recent first. */
  titles: readonly string[];
  /** Total years of experience, when the profile could tell. */
  years: number | null;
  location: string | null;
};

export type JobFacts = {
  title: string;
  description: string;
  requirements: readonly string[];
  /** Canonical skills stored on the job (requirements, title and description). */
  skills?: readonly string[];
  experienceLevel: string | null;
  /** full-time, part-time, contract, internship, freelance; matched against the preferred job types. */
  jobType?: string | null;
  location: string | null;
  remote: boolean;
  salaryCurrency: string;
  salaryYearlyMin: number | null;
  salaryYearlyMax: number | null;
};

export type Preferences = {
  locations?: readonly string[];
  remote?: 'only' | 'preferred' | 'no' | undefined;
  salaryMin?: number | undefined;
  salaryCurrency?: string | undefined;
  levels?: readonly Level[];
  jobTypes?: readonly string[];
};

export type SkillImportance = 'title' | 'required' | 'preferred' | 'mentioned';
export type CoveredSkill = { skill: string; name: string; importance: SkillImportance; evidence: string };
export type MissingSkill = {
  skill: string;
  name: string;
  importance: SkillImportance;
  /** The CV has a close relative (another SQL database, another front-end framework): quick to learn. */
  learnable: boolean;
  relatedTo: string[];
};
export type Part = { name: PartName; points: number; max: number; detail: string };
export type Band = 'excellent' | 'good' | 'fair' | 'poor';
export type MatchResult = {
  score: number;
  band: Band;
  parts: Part[];
  covered: CoveredSkill[];
  missing: MissingSkill[];
  reasons: string[];
};

// ---------------------------------------------------------------------------------------------------------
// Skills of a job, by importance

/**
 * findSkillsInText without US state codes: in "Mountain View, CA" or "Austin, TX 78701" the capitals are
 * a place, not Chartered Accountancy or a skill named by two letters.
 */
export function skillMentions(text: string): SkillMention[] {
  return findSkillsInText(text).filter((m) => {
    if (m.end - m.start !== 2 || !/^[A-Z]{2}$/.test(text.slice(m.start, m.end))) return true;
    // eslint-disable-next-line regexp/no-super-linear-move -- the text tested is at most 30 characters
    return !/\p{Lu}[\p{L}.]*,\s?$/u.test(text.slice(Math.max(0, m.start - 30), m.start));
  });
}

const IMPORTANCE_WEIGHT: Record<SkillImportance, number> = { title: 3, required: 2, preferred: 1, mentioned: 1 };
// Soft skills and spoken languages appear in nearly every posting and say little about fit.
const CATEGORY_WEIGHT: Record<string, number> = { soft: 0.25, languages: 0.25 };

const REQUIRED_HEADING =
  /\b(requirements?|required|qualifications?|must[- ]haves?|what you(?:'|’)?ll need|what you bring|what we(?:'|’)?re looking for|you have|you(?:'|’)?ll have|who you are|about you|skills|experience)\b/i;
const PREFERRED_HEADING = /\b(nice[- ]to[- ]haves?|preferred|bonus|plus|desired|good to have|ideally)\b/i;
const OTHER_HEADING =
  /\b(benefits|perks|about us|about the company|who we are|what we offer|compensation|equal opportunity|our culture)\b/i;

type Section = 'required' | 'preferred' | 'mentioned';

/** The section a short heading-like line opens, if it is one. */
function headingOf(line: string): Section | 'other' | null {
  const l = line.trim();
  if (l.length === 0 || l.length > 60 || /[.!?]$/.test(l)) return null;
  if (PREFERRED_HEADING.test(l)) return 'preferred';
  if (OTHER_HEADING.test(l)) return 'other';
  if (REQUIRED_HEADING.test(l)) return 'required';
  return null;
}

export type JobSkill = { skill: string; name: string; importance: SkillImportance; weight: number; count: number };
/** A skill a job names, before weighing: what jobs.match_facts stores (job-facts.ts). */
export type CountedSkill = Pick<JobSkill, 'skill' | 'importance' | 'count'>;

/**
 * The skills a job asks for: in its title (most important), its requirements list and the
 * requirements part of its description (required), a "nice to have" part (preferred), anywhere else
 * (mentioned). A skill repeated through the text weighs a little more.
 */
export function jobSkills(job: Pick<JobFacts, 'title' | 'description' | 'requirements'>): JobSkill[] {
  return weighSkills(countJobSkills(job));
}

/** jobSkills without the weights: each skill's highest importance and how often the job names it. */
export function countJobSkills(job: Pick<JobFacts, 'title' | 'description' | 'requirements'>): CountedSkill[] {
  const out = new Map<string, CountedSkill>();
  const add = (skill: string, importance: SkillImportance) => {
    const current = out.get(skill);
    if (!current) {
      out.set(skill, { skill, importance, count: 1 });
      return;
    }
    current.count++;
    if (IMPORTANCE_WEIGHT[importance] > IMPORTANCE_WEIGHT[current.importance]) current.importance = importance;
  };
  for (const m of skillMentions(job.title)) add(m.skill, 'title');
  for (const r of job.requirements) {
    const found = skillMentions(r);
    if (found.length > 0) for (const m of found) add(m.skill, 'required');
    else {
      const known = lookupSkill(r);
      if (known) add(known.key, 'required');
    }
  }
  let section: Section | 'other' = 'mentioned';
  for (const line of job.description.split('\n')) {
    const heading = headingOf(line);
    if (heading) {
      section = heading;
      continue;
    }
    for (const m of skillMentions(line)) add(m.skill, section === 'other' ? 'mentioned' : section);
  }
  return [...out.values()];
}

/**
 * Names and weights from the taxonomy (its display name, its category), heaviest first. Done when
 * scoring, not stored, so a stored job follows a change of weights without being read again.
 */
export function weighSkills(counted: readonly CountedSkill[]): JobSkill[] {
  return counted
    .map(({ skill, importance, count }) => {
      const known = taxonomy.byAlias.get(skill);
      const weight =
        IMPORTANCE_WEIGHT[importance] *
        (CATEGORY_WEIGHT[known?.category ?? ''] ?? 1) *
        (1 + Math.min(count - 1, 2) * 0.25);
      return { skill, name: known?.name ?? skill, importance, weight, count };
    })
    .sort((a, b) => b.weight - a.weight || a.skill.localeCompare(b.skill));
}

// Families of interchangeable skills: knowing one makes another quick to learn.
const FAMILIES: readonly (readonly string[])[] = [
  ['react', 'vue.js', 'angular', 'svelte', 'next.js', 'nuxt', 'ember.js', 'backbone.js'],
  ['postgresql', 'mysql', 'sql server', 'oracle database', 'sqlite', 'mariadb', 'sql'],
  ['mongodb', 'dynamodb', 'cassandra', 'couchdb', 'firestore'],
  ['aws', 'google cloud', 'microsoft azure'],
  ['java', 'kotlin', 'scala', 'c#'],
  ['javascript', 'typescript'],
  ['python', 'ruby', 'php', 'perl'],
  ['c', 'c++', 'rust', 'go'],
  ['django', 'flask', 'fastapi'],
  ['spring', 'spring boot', '.net', 'asp.net'],
  ['node.js', 'express', 'nestjs', 'deno'],
  ['docker', 'kubernetes', 'podman', 'openshift'],
  ['jenkins', 'github actions', 'gitlab ci', 'circleci', 'ci/cd'],
  ['terraform', 'ansible', 'pulumi', 'cloudformation'],
  ['kafka', 'rabbitmq', 'amazon sqs', 'pulsar'],
  ['tensorflow', 'pytorch', 'keras', 'scikit-learn'],
  ['tableau', 'power bi', 'looker'],
  ['ios', 'android', 'swift', 'react native', 'flutter'],
];
const FAMILY_OF = new Map<string, number>();
for (const [i, family] of FAMILIES.entries()) {
  for (const s of family) {
    const key = lookupSkill(s)?.key;
    if (key) FAMILY_OF.set(key, i);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Titles and seniority

const SENIORITY_WORDS =
  /\b(senior|sr|junior|jr|lead|principal|staff|head|chief|vp|vice president|director|intern|internship|graduate|new grad|entry level|associate|mid|level|i{1,3}|iv|[1-5])\b/g;
const ROLE_SYNONYMS: Record<string, string> = {
  developer: 'engineer',
  programmer: 'engineer',
  dev: 'engineer',
  swe: 'software engineer',
  sde: 'software engineer',
  coder: 'engineer',
  'front end': 'frontend',
  'front-end': 'frontend',
  'back end': 'backend',
  'back-end': 'backend',
  'full stack': 'fullstack',
  'full-stack': 'fullstack',
  ml: 'machine learning',
  ai: 'machine learning',
  'data scientist': 'data science',
  'product owner': 'product manager',
  pm: 'product manager',
};
const STOP = new Set(['and', 'of', 'the', 'for', 'in', 'with', 'a', 'an', 'to', 'at', 'on', 'remote', 'hybrid']);

/** The words of a job title that name the role: "Sr. Full-Stack Developer (Remote)" -> fullstack, engineer. */
export function roleWords(title: string): string[] {
  let t = ` ${title
    .toLowerCase()
    .replace(/\([^()]*\)/g, ' ')
    .replace(/[^a-z0-9+#./ -]/g, ' ')} `;
  for (const [from, to] of Object.entries(ROLE_SYNONYMS)) t = t.replaceAll(` ${from} `, ` ${to} `);
  t = t.replace(SENIORITY_WORDS, ' ');
  const words = t
    .split(/[\s,/|–—-]+/)
    .map((w) => trimWhere(w, oneOf('.')))
    .filter((w) => w.length > 0 && !STOP.has(w));
  return [...new Set(words.flatMap((w) => (ROLE_SYNONYMS[w] ?? w).split(' ')))];
}

/** The level a job asks for: its stated level, else its title's words, else "mid". */
export function jobLevel(job: Pick<JobFacts, 'title' | 'experienceLevel'>): Level {
  if ((LEVELS as readonly string[]).includes(job.experienceLevel ?? '')) return job.experienceLevel as Level;
  const t = job.title.toLowerCase();
  if (/\b(chief|vp|vice president|director|head of)\b/.test(t)) return 'executive';
  if (/\b(senior|sr|lead|principal|staff|architect|iii|iv)\b/.test(t)) return 'senior';
  if (/\b(junior|jr|intern|internship|graduate|new grad|entry[- ]level|trainee|apprentice)\b/.test(t)) return 'junior';
  return 'mid';
}

/** Years of experience a description asks for ("5+ years", "at least 3 years"), the largest stated. */
export function requiredYears(description: string): number | null {
  let most: number | null = null;
  const text = description.replace(/\s+/g, ' ');
  for (const m of text.matchAll(/\b(\d{1,2})(?: ?(?:\+|plus))?(?: ?- ?\d{1,2})? ?\+? ?years?\b/gi)) {
    const n = Number(m[1]);
    if (n >= 1 && n <= 15) most = Math.max(most ?? 0, n);
  }
  return most;
}

export function levelForYears(years: number): Level {
  if (years < 2) return 'junior';
  if (years < 5) return 'mid';
  if (years < 12) return 'senior';
  return 'executive';
}

// ---------------------------------------------------------------------------------------------------------
// The score

const round1 = (n: number) => Math.round(n * 10) / 10;

export function bandOf(score: number): Band {
  if (score >= 75) return 'excellent';
  if (score >= 55) return 'good';
  if (score >= 35) return 'fair';
  return 'poor';
}

/** For each CV skill, the CV line that proves it (the first line mentioning it). */
export function cvEvidence(cv: Pick<CvFacts, 'text' | 'skills'>): Map<string, string> {
  const evidence = new Map<string, string>();
  for (const line of cv.text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    for (const m of skillMentions(trimmed)) if (!evidence.has(m.skill)) evidence.set(m.skill, trimmed.slice(0, 200));
  }
  // Skills-section items the text scan missed (written in a form only the section parser reads).
  for (const s of cv.skills) if (!evidence.has(s)) evidence.set(s, 'Skills section');
  return evidence;
}

export type PreparedCv = CvFacts & {
  evidence: Map<string, string>;
  /** How often each skill is mentioned in the CV: the ones mentioned most are the CV's core. */
  mentions: Map<string, number>;
  roles: string[][];
  textWords: Set<string>;
};

/** Work done once per CV when ranking many jobs. */
export function prepareCv(cv: CvFacts): PreparedCv {
  const header = cv.text
    .split('\n')
    .slice(0, 6)
    .filter((l) => l.trim().length > 0 && l.length < 80);
  const titles = [...cv.titles, ...header];
  const mentions = new Map<string, number>();
  for (const m of skillMentions(cv.text)) mentions.set(m.skill, (mentions.get(m.skill) ?? 0) + 1);
  for (const skill of cv.skills) mentions.set(skill, (mentions.get(skill) ?? 0) + 1);
  return {
    ...cv,
    mentions,
    evidence: cvEvidence(cv),
    roles: titles.map(roleWords).filter((w) => w.length > 0),
    textWords: new Set(roleWords(cv.text.slice(0, 20_000))),
  };
}

/** Share of the skills part that comes from the CV's core skills being used by the job. */
const CORE_SHARE = 0.35;

function skillsPart(cv: PreparedCv, skills: JobSkill[]) {
  const covered: CoveredSkill[] = [];
  const missing: MissingSkill[] = [];
  let total = 0;
  let got = 0;
  for (const s of skills) {
    total += s.weight;
    const evidence = cv.evidence.get(s.skill);
    if (evidence) {
      got += s.weight;
      covered.push({ skill: s.skill, name: s.name, importance: s.importance, evidence });
      continue;
    }
    const family = FAMILY_OF.get(s.skill);
    const relatedTo =
      family === undefined
        ? []
        : [...cv.evidence.keys()].filter((other) => other !== s.skill && FAMILY_OF.get(other) === family).slice(0, 3);
    // A close relative is worth part of the skill: the gap is real but short.
    if (relatedTo.length > 0) got += s.weight * 0.3;
    missing.push({
      skill: s.skill,
      name: s.name,
      importance: s.importance,
      learnable: relatedTo.length > 0,
      relatedTo,
    });
  }
  // A job that names one or two skills says less than one that names ten: smooth toward the middle.
  const coverage = total === 0 ? 0.5 : (got + 0.5) / (total + 1);
  // The other direction: how much of the CV's core (its most mentioned skills) the job uses.
  let core = 0;
  let used = 0;
  const named = new Set(skills.map((x) => x.skill));
  for (const [skill, n] of cv.mentions) {
    const w = Math.log2(1 + n) * (CATEGORY_WEIGHT[taxonomy.byAlias.get(skill)?.category ?? ''] ?? 1);
    core += w;
    if (named.has(skill)) used += w;
  }
  const coreRatio = core === 0 ? 0 : Math.min(1, (used / core) * 2);
  const ratio = CORE_SHARE * coreRatio + (1 - CORE_SHARE) * coverage;
  return { ratio, coverage, coreRatio, covered, missing, total };
}

function titlePart(cv: PreparedCv, job: JobFacts) {
  const want = roleWords(job.title);
  if (want.length === 0) return { ratio: 0.5, detail: 'The job title names no role.' };
  let best = 0;
  for (const have of cv.roles) {
    const shared = want.filter((w) => have.includes(w)).length;
    // Dice coefficient: shared words over the two titles' lengths.
    best = Math.max(best, (2 * shared) / (want.length + have.length));
  }
  // The role's words found anywhere in the CV count for less than a matching title.
  const inText = want.filter((w) => cv.textWords.has(w)).length / want.length;
  const ratio = Math.max(best, inText * 0.6);
  const detail =
    best >= 0.99
      ? `Your title matches "${job.title}".`
      : best > 0
        ? `Your titles share ${Math.round(best * 100)}% of the role words of "${job.title}".`
        : `No title in your CV names this role; ${Math.round(inText * 100)}% of its words appear in your CV.`;
  return { ratio, detail };
}

function seniorityPart(cv: PreparedCv, job: JobFacts, years: number | null, prefs: Preferences | null) {
  const level = jobLevel(job);
  if (cv.years === null) {
    if (prefs?.levels?.length)
      return prefs.levels.includes(level)
        ? { ratio: 1, detail: `The job is ${level} level, one of the levels you want.` }
        : { ratio: 0.3, detail: `The job is ${level} level, not one you asked for.` };
    return null;
  }
  const have = LEVELS.indexOf(levelForYears(cv.years));
  const want = LEVELS.indexOf(level);
  const gap = want - have;
  let ratio = gap === 0 ? 1 : gap === -1 ? 0.7 : gap === 1 ? 0.5 : 0.1;
  if (years !== null && cv.years < years) ratio = Math.min(ratio, Math.max(0, cv.years / years));
  if (prefs?.levels?.length && !prefs.levels.includes(level)) ratio *= 0.5;
  const asked = years !== null ? ` and asks for ${years}+ years` : '';
  return { ratio, detail: `The job is ${level} level${asked}; your CV shows ${cv.years} years.` };
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N} ]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

function locationPart(cv: PreparedCv, job: JobFacts, prefs: Preferences | null) {
  const remote = prefs?.remote;
  if (job.remote && remote !== 'no') return { ratio: 1, detail: 'The job is remote.' };
  if (remote === 'only') return { ratio: 0, detail: 'You want remote work; this job is on site.' };
  const places = [...(prefs?.locations ?? []), ...(prefs?.locations?.length ? [] : cv.location ? [cv.location] : [])];
  if (!job.location || places.length === 0) return null;
  const jobPlace = norm(job.location);
  const hit = places.find((p) => {
    const first = norm(p).split(' ').slice(0, 2).join(' ');
    return first.length > 1 && (jobPlace.includes(first) || norm(p).includes(jobPlace.split(' ')[0] ?? '\u0000'));
  });
  return hit
    ? { ratio: 1, detail: `The job is in ${job.location}, where you want to work.` }
    : { ratio: 0.2, detail: `The job is in ${job.location}, not a place you listed.` };
}

/** Where and how: location or remote, and the job type when the seeker named the types they want. */
function workPart(cv: PreparedCv, job: JobFacts, prefs: Preferences | null) {
  const base = locationPart(cv, job, prefs);
  const types = prefs?.jobTypes ?? [];
  if (types.length === 0 || !job.jobType) return base;
  const fits = types.includes(job.jobType);
  const detail = fits ? `It is ${job.jobType}, as you want.` : `It is ${job.jobType}, not a job type you asked for.`;
  if (!base) return { ratio: fits ? 1 : 0.2, detail };
  return { ratio: fits ? base.ratio : base.ratio * 0.4, detail: `${base.detail} ${detail}` };
}

function salaryPart(job: JobFacts, prefs: Preferences | null) {
  if (!prefs?.salaryMin) return null;
  const currency = prefs.salaryCurrency ?? 'USD';
  const top = job.salaryYearlyMax ?? job.salaryYearlyMin;
  if (top === null) return { ratio: 0.5, detail: 'The job states no salary.' };
  if (job.salaryCurrency !== currency)
    return { ratio: 0.5, detail: `The job pays in ${job.salaryCurrency}, you asked in ${currency}.` };
  if (top >= prefs.salaryMin) return { ratio: 1, detail: `The job pays up to ${top} ${currency} a year.` };
  return {
    ratio: Math.max(0, top / prefs.salaryMin - 0.5) * 2,
    detail: `The job pays up to ${top} ${currency} a year, below what you asked.`,
  };
}

/** What scoring reads from a job's text (title, description, requirements); the rest are plain fields. */
export type JobTextFacts = { skills: JobSkill[]; years: number | null };

export const jobTextFacts = (job: Pick<JobFacts, 'title' | 'description' | 'requirements'>): JobTextFacts => ({
  skills: jobSkills(job),
  years: requiredYears(job.description),
});

/**
 * Scores one CV against one job. Parts that cannot be judged (no location on either side, no salary
 * expectation) hand their points to the others in proportion, so the parts always add up to the score.
 */
export function scoreMatch(
  cv: PreparedCv,
  job: JobFacts,
  prefs: Preferences | null = null,
  /** The facts of the job's text when the caller has them (stored in jobs.match_facts): then the description is not read. */
  known?: JobTextFacts,
): MatchResult {
  const { skills, years } = known ?? jobTextFacts(job);
  const s = skillsPart(cv, skills);
  const t = titlePart(cv, job);
  const raw: { name: PartName; ratio: number; detail: string }[] = [
    {
      name: 'skills',
      ratio: s.ratio,
      detail:
        skills.length === 0
          ? 'The job names no skills we know.'
          : `You have ${s.covered.length} of the ${skills.length} skills the job names.`,
    },
    { name: 'title', ...t },
  ];
  const optional = [
    ['seniority', seniorityPart(cv, job, years, prefs)],
    ['location', workPart(cv, job, prefs)],
    ['salary', salaryPart(job, prefs)],
  ] as const;
  for (const [name, part] of optional) if (part) raw.push({ name, ...part });
  const available = raw.reduce((sum, p) => sum + WEIGHTS[p.name], 0);
  const scale = 100 / available;
  const parts: Part[] = raw.map((p) => {
    const max = round1(WEIGHTS[p.name] * scale);
    return { name: p.name, max, points: round1(max * Math.min(1, Math.max(0, p.ratio))), detail: p.detail };
  });
  const score = round1(parts.reduce((sum, p) => sum + p.points, 0));
  const missing = s.missing;
  const reasons = [
    ...parts.map((p) => p.detail),
    ...(missing.length > 0
      ? [
          `Missing: ${missing
            .slice(0, 5)
            .map((m) => m.name)
            .join(', ')}.`,
        ]
      : []),
  ];
  return { score, band: bandOf(score), parts, covered: s.covered, missing, reasons };
}
