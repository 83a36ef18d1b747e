/**
 * A structured profile read from a CV's text: contact details, sections, skills, work history,
 * education, languages and total years of experience. Every field carries a confidence in [0, 1], so
 * an interface can say what it is unsure of. Rules, not a model: each one is small and tested.
 */
import { lookupSkill, normalizeSkills } from '../skills/skills.ts';

export type Field<T> = { value: T; confidence: number };
export type Job = {
  title: string | null;
  company: string | null;
  start: string | null;
  end: string | null;
  description: string;
};
export type Education = { institution: string | null; degree: string | null; start: string | null; end: string | null };

export type Profile = {
  name: Field<string | null>;
  email: Field<string | null>;
  phone: Field<string | null>;
  location: Field<string | null>;
  links: Field<string[]>;
  summary: Field<string | null>;
  skills: Field<string[]>;
  experience: Field<Job[]>;
  education: Field<Education[]>;
  languages: Field<string[]>;
  totalYearsExperience: Field<number | null>;
};

const SECTION_NAMES: Record<string, RegExp> = {
  summary: /^(summary|profile|professional summary|about me|about|objective|career objective|personal statement)$/,
  experience:
    /^(experience|work experience|professional experience|employment|employment history|work history|career history|relevant experience)$/,
  education: /^(education|academic background|education and training|qualifications|academic qualifications)$/,
  skills:
    /^(skills|technical skills|core skills|key skills|competencies|core competencies|skills and tools|technologies|tools)$/,
  languages: /^(languages|language skills)$/,
  other:
    /^(projects|certifications|certificates|awards|publications|interests|hobbies|references|volunteering|courses)$/,
};

function sectionOf(line: string): string | null {
  const words = line
    .replace(/[:|•·]+$/g, '')
    .trim()
    .toLowerCase();
  if (words.length === 0 || words.length > 40) return null;
  for (const [name, re] of Object.entries(SECTION_NAMES)) if (re.test(words)) return name;
  return null;
}

/** Lines grouped under their section heading; lines before the first heading are the "header". */
export function splitSections(text: string): Record<string, string[]> {
  const sections: Record<string, string[]> = { header: [] };
  let current = 'header';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const heading = sectionOf(line);
    if (heading) {
      current = heading;
      sections[current] ??= [];
      continue;
    }
    const lines = sections[current] ?? [];
    lines.push(line);
    sections[current] = lines;
  }
  return sections;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const PHONE = /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d[\d\s.-]{6,}\d/;
const URL_RE =
  /\b(?:https?:\/\/)?(?:www\.)?(?:linkedin\.com|github\.com|gitlab\.com|[a-z0-9-]+\.(?:dev|io|me))\/?[^\s,;|)]*/gi;
const MONTHS =
  'jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december';
const DATE = `(?:(?:${MONTHS})\\.?\\s+\\d{4}|\\d{1,2}[/.-]\\d{4}|\\d{4}[/.-]\\d{1,2}|\\d{4})`;
const RANGE = new RegExp(`(${DATE})\\s*(?:-|–|—|to|until)\\s*(${DATE}|present|current|now|today)`, 'i');

/** A header line without its contact details and icon glyphs: what may be left is a name. */
function withoutContacts(line: string): string {
  return line
    .replace(new RegExp(EMAIL, 'g'), ' ')
    .replace(new RegExp(PHONE, 'g'), ' ')
    .replace(URL_RE, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 1 || /\p{Lu}/u.test(w))
    .join(' ')
    .replace(/(\s\p{Lu})+$/u, '') // a trailing lone capital is an icon glyph, not an initial
    .trim();
}

function nameFrom(header: string[]): Field<string | null> {
  for (const [i, line] of header.slice(0, 6).entries()) {
    const clean = withoutContacts(line);
    if (/\d/.test(clean) || clean.length > 60 || clean.includes(',')) continue;
    const words = clean.split(' ');
    // 2-5 words of letters (any script), each capitalised or the whole line in capitals.
    if (words.length < 2 || words.length > 5 || !words.every((w) => /^\p{L}[\p{L}'’.-]*$/u.test(w))) continue;
    if (!words.every((w) => /^\p{Lu}/u.test(w) || !/\p{Ll}/u.test(w))) continue;
    const alone = clean === line.replace(/\s+/g, ' ').trim();
    return { value: toTitle(clean), confidence: i === 0 && alone ? 0.95 : alone ? 0.85 : 0.7 };
  }
  return { value: null, confidence: 0 };
}

/** "ANNA MÜLLER" -> "Anna Müller"; names already in mixed case are kept as written. */
function toTitle(name: string): string {
  if (/\p{Ll}/u.test(name)) return name;
  return name.toLowerCase().replace(/(^|[\s'’-])(\p{L})/gu, (_, sep: string, c: string) => sep + c.toUpperCase());
}

function phoneFrom(text: string): Field<string | null> {
  for (const m of text.matchAll(new RegExp(PHONE, 'g'))) {
    const digits = m[0].replace(/\D/g, '');
    // Not a date range or a year list: phones have 8-15 digits.
    if (digits.length >= 8 && digits.length <= 15 && !RANGE.test(m[0])) {
      return { value: m[0].trim().replace(/\s+/g, ' '), confidence: m[0].trim().startsWith('+') ? 0.95 : 0.85 };
    }
  }
  return { value: null, confidence: 0 };
}

function locationFrom(header: string[]): Field<string | null> {
  for (const line of header.slice(0, 8)) {
    for (const part of line.split(/\s*[|•·]\s*/)) {
      const phoneLike = part.replace(/\D/g, '').length > 6;
      if (EMAIL.test(part) || phoneLike || /https?:|www\.|linkedin|github/i.test(part)) continue;
      // "City, Country" or "City, ST"
      if (/^\p{Lu}[\p{L} .'-]+,\s*\p{Lu}[\p{L} .'-]+$/u.test(part.trim()) && part.length < 60) {
        return { value: part.trim(), confidence: 0.7 };
      }
    }
  }
  return { value: null, confidence: 0 };
}

/**
 * The items of a skills section. Lines that wrap mid-list are joined back; bullets and separators split
 * items; "Docker and Kubernetes" becomes two skills when both halves are known ones; a parenthesis
 * contributes the known skills inside it ("databases (MySQL, MongoDB)").
 */
export function skillItems(lines: string[]): string[] {
  const listLike = lines.filter((l) => /[,;|•·]/.test(l)).length >= lines.length / 2;
  const joined = lines
    .map((l) => l.replace(/^[^:]{1,30}:\s*/, '').trim())
    .reduce((text, line) => {
      if (!text) return line;
      // One skill per line, or a list that wrapped: a wrapped line continues the previous item.
      const continues = listLike && !/[,;|•·]\s*$/.test(text) && !/^[•·*-]/.test(line);
      return `${text}${continues ? ' ' : '\n'}${line}`;
    }, '');
  const items: string[] = [];
  // Separators inside parentheses belong to the parenthesis: hide them from the split.
  const guarded = joined.replace(/\([^)]*\)/g, (p) => p.replace(/[,;|]/g, '\u001f'));
  for (const part of guarded.split(/\s*(?:[,;|•·\n]|\s\/\s|(?<=[a-z0-9+#])\/(?=[a-z]))\s*/i)) {
    const raw = part.replaceAll('\u001f', ',');
    const inner = /\(([^)]*)\)/.exec(raw)?.[1];
    if (inner) items.push(...inner.split(/\s*[,;|]\s*/).filter((s) => lookupSkill(s)));
    const item = raw
      .replace(/\([^)]*\)/g, '')
      .replace(/^[-*–]\s*|\s+(basics|fundamentals|databases)$/gi, '')
      .replace(/^(and|or)\s+/i, '')
      .trim();
    const halves = item.split(/\s+(?:and|&)\s+/i);
    if (halves.length > 1 && halves.every((h) => lookupSkill(h))) items.push(...halves);
    else if (item) items.push(item);
  }
  return items.filter((s) => s.length <= 40 && s.split(' ').length <= 4);
}

function skillsFrom(sections: Record<string, string[]>): Field<string[]> {
  const skills = normalizeSkills(skillItems(sections.skills ?? []));
  return { value: skills, confidence: skills.length > 0 ? 0.85 : 0 };
}

function datesIn(line: string): { start: string; end: string } | null {
  const m = RANGE.exec(line);
  return m ? { start: (m[1] as string).trim(), end: (m[2] as string).trim() } : null;
}

/** Title and company from "Title at Company", "Title, Company", "Company — Title" or "Title | Company". */
function titleAndCompany(line: string): { title: string | null; company: string | null } {
  const text = line
    .replace(RANGE, '')
    .replace(/\(\s*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[,|–—-]\s*$/, '')
    .trim();
  const at = /^(.+?)\s+(?:at|@)\s+(.+)$/i.exec(text);
  if (at) return { title: at[1]?.trim() ?? null, company: at[2]?.trim() ?? null };
  const parts = text.split(/\s*(?:,|\||–|—|\s-\s)\s*/).filter(Boolean);
  if (parts.length >= 2) return { title: parts[0] ?? null, company: parts[1] ?? null };
  return { title: text || null, company: null };
}

const OPEN_START = new RegExp(`^(${DATE})\\s*(?:-|–|—|to)\\s+(\\S.*)$`, 'i');
const LEADING_END = new RegExp(`^(${DATE}|present|current|now|today)\\b\\s*(.*)$`, 'i');

/**
 * "2017 – Product Manager, Google" over "Present Leading the team…": a layout that sets dates in a
 * margin column splits the range across two lines. Put the range back on the role's line.
 */
function joinSplitRanges(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const open = RANGE.test(line) ? null : OPEN_START.exec(line);
    const end = open ? LEADING_END.exec(lines[i + 1] ?? '') : null;
    if (open && end) {
      out.push(`${open[2]} ${open[1]} - ${end[1]}`);
      if (end[2]) out.push(end[2]);
      i++;
    } else out.push(line);
  }
  return out;
}

function experienceFrom(raw: string[]): Job[] {
  const jobs: Job[] = [];
  const lines = joinSplitRanges(raw);
  for (const [i, line] of lines.entries()) {
    const dates = datesIn(line);
    if (!dates) {
      const last = jobs.at(-1);
      if (last) last.description = `${last.description}\n${line}`.trim();
      continue;
    }
    // The role is on the date's line, or on the line before it when the date stands alone.
    const own = titleAndCompany(line);
    const previous = i > 0 && own.title === null ? titleAndCompany(lines[i - 1] as string) : null;
    const names = own.title ? own : (previous ?? own);
    if (previous && jobs.at(-1)?.description.endsWith(lines[i - 1] as string)) {
      const last = jobs.at(-1) as Job;
      last.description = last.description.slice(0, -(lines[i - 1] as string).length).trim();
    }
    jobs.push({ ...names, start: dates.start, end: dates.end, description: '' });
  }
  return jobs;
}

const DEGREE =
  /\b(ph\.?d|doctor|master|m\.?sc|m\.?s\b|m\.?a\b|mba|m\.?tech|bachelor|b\.?sc|b\.?s\b|b\.?a\b|b\.?tech|b\.?e\b|b\.?com|diploma|associate|certificate|high school|a-levels|gcse)/i;
const INSTITUTION = /(university|college|institute|school|academy|polytechnic|iit|universität|université|universidad)/i;

function educationFrom(lines: string[]): Education[] {
  const entries: Education[] = [];
  let current: Education | null = null;
  for (const line of lines) {
    const isInstitution = INSTITUTION.test(line);
    const degree = DEGREE.test(line)
      ? line
          .replace(RANGE, '')
          .replace(/\s*[,|–—-]\s*$/, '')
          .trim()
      : null;
    const dates =
      datesIn(line) ??
      (/\b(19|20)\d{2}\b/.test(line) ? { start: null, end: line.match(/\b(19|20)\d{2}\b/)?.[0] ?? null } : null);
    if (isInstitution && (!current || current.institution)) {
      current = {
        institution: line
          .replace(RANGE, '')
          .replace(/\s*[,|–—-]\s*$/, '')
          .trim(),
        degree: null,
        start: null,
        end: null,
      };
      entries.push(current);
    } else if (isInstitution && current) current.institution = line.trim();
    if (degree && !isInstitution) {
      if (!current || current.degree) {
        current = { institution: null, degree, start: null, end: null };
        entries.push(current);
      } else current.degree = degree;
    }
    if (dates && current) {
      current.start ??= dates.start;
      current.end ??= dates.end;
    }
  }
  return entries;
}

const MONTH_INDEX: Record<string, number> = Object.fromEntries(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, i]),
);

/** Months since year 0 for "Mar 2019", "03/2019", "2019-03", "2019"; `present` is `now`. */
function monthOf(value: string, now: Date): number | null {
  const v = value.toLowerCase();
  if (/present|current|now|today/.test(v)) return now.getUTCFullYear() * 12 + now.getUTCMonth();
  const named = /([a-z]{3})[a-z]*\.?\s+(\d{4})/.exec(v);
  if (named) return Number(named[2]) * 12 + (MONTH_INDEX[named[1] as string] ?? 0);
  const mmYyyy = /(\d{1,2})[/.-](\d{4})/.exec(v);
  if (mmYyyy) return Number(mmYyyy[2]) * 12 + Number(mmYyyy[1]) - 1;
  const yyyyMm = /(\d{4})[/.-](\d{1,2})/.exec(v);
  if (yyyyMm) return Number(yyyyMm[1]) * 12 + Number(yyyyMm[2]) - 1;
  const year = /(\d{4})/.exec(v);
  return year ? Number(year[1]) * 12 : null;
}

/** Years covered by the jobs, overlapping periods counted once. */
export function totalYears(jobs: Job[], now = new Date()): number | null {
  const spans = jobs
    .map((j) => [j.start ? monthOf(j.start, now) : null, j.end ? monthOf(j.end, now) : null] as const)
    .filter((s): s is readonly [number, number] => s[0] !== null && s[1] !== null && s[1] >= s[0])
    .sort((a, b) => a[0] - b[0]);
  if (spans.length === 0) return null;
  let months = 0;
  let [start, end] = spans[0] as readonly [number, number];
  for (const [s, e] of spans.slice(1)) {
    if (s <= end) end = Math.max(end, e);
    else {
      months += end - start;
      [start, end] = [s, e];
    }
  }
  months += end - start;
  return Math.round((months / 12) * 10) / 10;
}

export function parseProfile(text: string, now = new Date()): Profile {
  const sections = splitSections(text);
  const header = sections.header ?? [];
  const email = EMAIL.exec(text)?.[0] ?? null;
  const links = [...new Set([...text.matchAll(URL_RE)].map((m) => m[0].replace(/[.,]$/, '')))];
  const experience = experienceFrom(sections.experience ?? []);
  const education = educationFrom(sections.education ?? []);
  const languages = (sections.languages ?? [])
    .flatMap((l) => l.split(/\s*[,;|•·]\s*/))
    .map((l) => l.replace(/\s*[(:-].*$/, '').trim())
    .filter((l) => /^\p{L}[\p{L} ]{1,30}$/u.test(l));
  const summary = (sections.summary ?? []).join(' ').trim();
  const years = totalYears(experience, now);
  return {
    name: nameFrom(header),
    email: { value: email, confidence: email ? 0.99 : 0 },
    phone: phoneFrom(header.join('\n') || text),
    location: locationFrom(header),
    links: { value: links, confidence: links.length > 0 ? 0.9 : 0 },
    summary: { value: summary || null, confidence: summary ? 0.8 : 0 },
    skills: skillsFrom(sections),
    experience: { value: experience, confidence: experience.length > 0 ? 0.7 : 0 },
    education: { value: education, confidence: education.length > 0 ? 0.7 : 0 },
    languages: { value: languages, confidence: languages.length > 0 ? 0.8 : 0 },
    totalYearsExperience: { value: years, confidence: years === null ? 0 : 0.6 },
  };
}
