/**
 * What a posting does not state but says in words: remote work, experience level and job type from
 * its title (and a few unambiguous phrases of its description). Every pattern is a plain alternation
 * of words (linear-time); descriptions are read up to MAX_INFER_TEXT characters.
 */
import type { EXPERIENCE_LEVELS, JOB_TYPES } from '../../../db/schema/index.ts';

const MAX_INFER_TEXT = 20_000;

export type Inferred = {
  remote?: boolean;
  experienceLevel?: (typeof EXPERIENCE_LEVELS)[number];
  jobType?: (typeof JOB_TYPES)[number];
};

const REMOTE_TITLE = /\bremote\b|\bwork from home\b|\bwfh\b|\btelecommute\b/;
const REMOTE_TEXT =
  /\b(?:fully|100%|completely|100 percent) remote\b|\bremote[- ](?:first|position|role|job|opportunity)\b|\bthis (?:is a|position is|role is) remote\b|\bwork from (?:home|anywhere)\b|\btelecommut(?:e|ing) (?:position|role|job)\b/;

const LEVEL_TITLE: Array<[RegExp, (typeof EXPERIENCE_LEVELS)[number]]> = [
  [/\b(?:director|vp|vice president|head of|chief|cto|cio|cdo)\b/, 'executive'],
  [/\b(?:senior|sr|lead|principal|staff|expert)\b/, 'senior'],
  [/\b(?:junior|jr|entry[- ]level|graduate|trainee|intern|internship|apprentice)\b/, 'junior'],
  [/\b(?:mid[- ]level|intermediate|associate)\b/, 'mid'],
];

const TYPE_TITLE: Array<[RegExp, (typeof JOB_TYPES)[number]]> = [
  [/\b(?:intern|internship|co-op)\b/, 'internship'],
  [/\b(?:part[- ]time)\b/, 'part-time'],
  [/\b(?:contract|contractor|temporary|temp|fixed[- ]term|contract[- ]to[- ]hire)\b/, 'contract'],
  [/\bfreelance\b/, 'freelance'],
];

const TYPE_TEXT: Array<[RegExp, (typeof JOB_TYPES)[number]]> = [
  [/\bthis is an? (?:paid )?internship\b/, 'internship'],
  [/\bthis is a part[- ]time (?:position|role|job)\b|\bpart[- ]time position\b/, 'part-time'],
  [
    /\bthis is a (?:\d{1,2}[- ]month )?contract(?:[- ]to[- ]hire)? (?:position|role|job)\b|\bcontract position\b/,
    'contract',
  ],
];

/** Inferred values for what the row left unstated. */
export function inferFromText(title: string, description: string): Inferred {
  const t = title.toLowerCase();
  const d = description.slice(0, MAX_INFER_TEXT).toLowerCase();
  const out: Inferred = {};
  if (REMOTE_TITLE.test(t) || REMOTE_TEXT.test(d)) out.remote = true;
  const level = LEVEL_TITLE.find(([re]) => re.test(t))?.[1];
  if (level) out.experienceLevel = level;
  const type = TYPE_TITLE.find(([re]) => re.test(t))?.[1] ?? TYPE_TEXT.find(([re]) => re.test(d))?.[1];
  if (type) out.jobType = type;
  return out;
}
