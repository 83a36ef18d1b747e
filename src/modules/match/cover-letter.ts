/**
 * Cover letters that cite only what the CV and the job say. The facts a letter may use are gathered
 * first (groundedFacts); a writer turns them into prose (the built-in template here, or a language
 * model in llm-writer.ts); then the grounding check reads every sentence and drops any that names a
 * skill the CV does not show, or a number or a proper name found in neither the CV nor the job.
 */

import { oneOf, trimWhere } from '../../lib/text.ts';
import type { CoverLetterLength, CoverLetterTone } from './cover-letter.types.ts';
import type { JobFacts, MatchResult, PreparedCv } from './score.ts';
import { skillMentions } from './score.ts';

export type LetterFacts = {
  jobTitle: string;
  company: string;
  /** Skills the job asks for that the CV shows, most important first, with the CV line that shows them. */
  skills: { name: string; required: boolean; evidence: string }[];
  recentTitle: string | null;
  recentEmployer: string | null;
  /** The role the CV states under the name ("Java Developer"), when it names no skill the CV does not show. */
  headline: string | null;
  years: number | null;
  degree: string | null;
};

type ProfileLike = {
  headline?: { value?: string | null };
  experience?: { value?: { title?: string | null; company?: string | null }[] };
  education?: { value?: { degree?: string | null }[] };
};

/** What a letter for this CV and job may say: nothing else. */
export function groundedFacts(
  cv: PreparedCv,
  profile: ProfileLike,
  job: JobFacts & { company: string },
  match: MatchResult,
): LetterFacts {
  const recent = profile.experience?.value?.[0];
  const degree = profile.education?.value?.find((e) => e.degree)?.degree ?? null;
  // A profile stored before headlines has none.
  const headline = typeof profile.headline?.value === 'string' ? profile.headline.value.trim() : '';
  return {
    jobTitle: job.title,
    company: job.company,
    skills: match.covered
      .filter((c) => c.evidence !== 'Skills section' || cv.skills.includes(c.skill))
      .map((c) => ({
        name: c.name,
        required: c.importance === 'title' || c.importance === 'required',
        evidence: c.evidence,
      })),
    recentTitle: recent?.title ?? null,
    recentEmployer: recent?.company ?? null,
    headline: headline && skillMentions(headline).every((m) => cv.skills.includes(m.skill)) ? headline : null,
    years: cv.years !== null && cv.years >= 1 ? Math.floor(cv.years) : null,
    degree,
  };
}

const list = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

const OPENINGS: Record<CoverLetterTone, (f: LetterFacts) => string> = {
  professional: (f) => `I am writing to apply for the ${f.jobTitle} position at ${f.company}.`,
  friendly: (f) => `I was glad to see the ${f.jobTitle} role at ${f.company}, and I would like to apply.`,
  enthusiastic: (f) => `I am excited to apply for the ${f.jobTitle} role at ${f.company}!`,
};
const CLOSINGS: Record<CoverLetterTone, string> = {
  professional: 'Thank you for your consideration. I would welcome the opportunity to discuss the role.',
  friendly: 'Thanks for reading; I would be happy to talk about the role whenever suits you.',
  enthusiastic: 'I would love to talk about how I can help your team. Thank you for your time!',
};

/** The built-in writer: deterministic, offline, built from the grounded facts alone. */
export function templateLetter(facts: LetterFacts, tone: CoverLetterTone, length: CoverLetterLength): string {
  const paragraphs: string[] = [];
  const intro = [OPENINGS[tone](facts)];
  if (facts.recentTitle && facts.recentEmployer) {
    intro.push(`I currently work as ${facts.recentTitle} at ${facts.recentEmployer}.`);
  } else if (facts.recentTitle) intro.push(`My most recent role is ${facts.recentTitle}.`);
  // Without a job's title, the role the CV states under the name introduces the candidate.
  else if (facts.headline) intro.push(`My professional title is ${facts.headline}.`);
  if (facts.years !== null) intro.push(`My CV covers ${facts.years} years of professional experience.`);
  paragraphs.push(intro.join(' '));

  const maxSkills = length === 'short' ? 4 : length === 'medium' ? 8 : 14;
  const required = facts.skills.filter((s) => s.required);
  // Every required skill the CV has is named, whatever the length; others fill up to the length.
  const others = facts.skills.filter((s) => !s.required).slice(0, Math.max(0, maxSkills - required.length));
  if (required.length > 0) {
    paragraphs.push(`The role asks for ${list(required.map((s) => s.name))}, all of which appear in my experience.`);
  }
  if (others.length > 0) paragraphs.push(`I also bring ${list(others.map((s) => s.name))}.`);
  if (length !== 'short') {
    // One quoted CV line per distinct line, naming the skills it shows.
    const byLine = new Map<string, string[]>();
    for (const s of [...required, ...others]) {
      if (s.evidence !== 'Skills section') byLine.set(s.evidence, [...(byLine.get(s.evidence) ?? []), s.name]);
    }
    for (const [line, names] of [...byLine].slice(0, length === 'long' ? 3 : 1)) {
      paragraphs.push(`On ${list(names)}, my CV notes: "${line}"`);
    }
  }
  if (facts.degree && length === 'long') paragraphs.push(`I hold a ${facts.degree}.`);
  paragraphs.push(CLOSINGS[tone]);
  return paragraphs.join('\n\n');
}

// Capitalised words a letter may use that are not facts: greetings, closings, pronouns, weekdays.
const ALLOWED_CAPITALS = new Set(
  (
    'i dear hiring manager team thank thanks sincerely regards best kind yours the a an my in on at as it this that ' +
    'these those with for to of and or but we you your our their his her they he she cv resume role position job ' +
    'during while when where what which who how whenever also all every each both some any many most more ' +
    'monday tuesday wednesday thursday friday saturday sunday please here there having having being'
  ).split(' '),
);

/** A sentence the check removed: why, and the offending words (what a model is told to leave out). */
export type GroundingIssue = { sentence: string; reasons: string[]; terms: string[] };

/** The sentences of a paragraph, each with its closing punctuation (and quote or bracket). */
function sentencesOf(paragraph: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (const end of paragraph.matchAll(/[.!?]+["”’)]*/g)) {
    sentences.push(paragraph.slice(start, end.index + end[0].length));
    start = end.index + end[0].length;
  }
  sentences.push(paragraph.slice(start));
  return sentences.map((s) => s.trim()).filter((s) => /[^.!?"”’)]/.test(s));
}

/**
 * Keeps the sentences whose facts are grounded: skills in the CV, numbers and proper names in the CV
 * or the job. Quoted CV lines are checked like the rest (they pass because they are the CV's own).
 */
export function groundLetter(
  letter: string,
  sources: {
    cvText: string;
    jobText: string;
    cvSkills: ReadonlySet<string>;
    /** The job's own title and company: quoting them is not a claim about the candidate. */
    jobNames?: readonly string[];
    /** Figures derived from the CV rather than written in it (total years of experience). */
    derivedNumbers?: readonly number[];
  },
): { text: string; removed: GroundingIssue[] } {
  const haystack = `${sources.cvText}\n${sources.jobText}`.toLowerCase();
  const derived = new Set((sources.derivedNumbers ?? []).map(String));
  const names = (sources.jobNames ?? []).filter((n) => n.trim().length > 0).sort((a, b) => b.length - a.length);
  const removed: GroundingIssue[] = [];
  const kept: string[] = [];
  for (const paragraph of letter.split(/\n\s*\n/)) {
    const good: string[] = [];
    for (const sentence of sentencesOf(paragraph)) {
      if (!sentence) continue;
      const reasons: string[] = [];
      const terms: string[] = [];
      const flag = (why: string, term: string) => {
        reasons.push(`${why}: ${term}`);
        terms.push(term);
      };
      let rest = sentence;
      for (const name of names) rest = rest.split(name).join(' ');
      // Skills are claims about the candidate: the CV must show each one. Their names are then fine.
      const mentions = skillMentions(rest);
      for (const m of mentions) {
        if (!sources.cvSkills.has(m.skill)) flag('skill not in the CV', m.name);
      }
      for (const m of [...mentions].reverse()) rest = `${rest.slice(0, m.start)} ${rest.slice(m.end)}`;
      for (const n of rest.match(/\d[\d,.]*/g) ?? []) {
        const number = trimWhere(n, oneOf('.,'), 'end');
        if (!derived.has(number) && !haystack.includes(number.toLowerCase())) {
          flag('number not in the CV or job', number);
        }
      }
      // Proper names (employers, titles, degrees, places): capitalised words after the first.
      const words = rest
        .replace(/^[\s"“'(]+/, '')
        .split(/\s+/)
        .slice(1);
      for (const raw of words) {
        const word = trimWhere(
          trimWhere(raw, (c) => !/[\p{L}\p{N}]/u.test(c), 'start'),
          (c) => !/[\p{L}\p{N}+#]/u.test(c),
          'end',
        );
        if (!/^\p{Lu}/u.test(word) || ALLOWED_CAPITALS.has(word.toLowerCase())) continue;
        if (!haystack.includes(word.toLowerCase())) flag('name not in the CV or job', word);
      }
      if (reasons.length > 0) removed.push({ sentence, reasons, terms });
      else good.push(sentence);
    }
    if (good.length > 0) kept.push(good.join(' '));
  }
  return { text: kept.join('\n\n'), removed };
}
