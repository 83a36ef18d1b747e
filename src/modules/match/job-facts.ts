/**
 * jobs.match_facts: what the fit score reads from a job's text (its skills by importance and count, the
 * years it asks for), computed when the job is written, so ranking a catalogue never reads descriptions
 * (issue 13, docs/match.md "Stored job facts").
 *
 * The column is NULL or describes the row's current text: `of` is the md5 of the text the facts were
 * computed from, and the `jobs_match_facts_current` trigger (drizzle/0032) clears facts whose `of` no
 * longer matches after an update, whichever code wrote the row. Readers fall back to the text when NULL.
 */
import { createHash } from 'node:crypto';
import type { StoredMatchFacts } from '../../db/schema/index.ts';
import {
  type CountedSkill,
  countJobSkills,
  type JobFacts,
  type JobTextFacts,
  jobTextFacts,
  requiredYears,
  type SkillImportance,
  weighSkills,
} from './score.ts';

type JobText = Pick<JobFacts, 'title' | 'description' | 'requirements'>;

/** The md5 the trigger computes: `md5(title || E'\n' || description || E'\n' || array_to_string(requirements, E'\n'))`. */
export const textFingerprint = (job: JobText): string =>
  createHash('md5')
    .update(`${job.title}\n${job.description}\n${job.requirements.join('\n')}`, 'utf8')
    .digest('hex');

const LETTER: Record<SkillImportance, string> = { title: 't', required: 'r', preferred: 'p', mentioned: 'm' };
const IMPORTANCE: Record<string, SkillImportance> = { t: 'title', r: 'required', p: 'preferred', m: 'mentioned' };

/** The stored form, computed on create, edit and import (jobValues) and by fillMatchFacts / reindex. */
export function matchFactsOf(job: JobText): StoredMatchFacts {
  return {
    of: textFingerprint(job),
    years: requiredYears(job.description),
    // Skill keys never hold "|": it separates the fields of the taxonomy file they come from.
    skills: countJobSkills(job)
      .map((s) => `${LETTER[s.importance]}${s.count} ${s.skill}`)
      .join('|'),
  };
}

function countedSkills(stored: string): CountedSkill[] {
  if (stored === '') return [];
  return stored.split('|').map((entry) => {
    const space = entry.indexOf(' ');
    const importance = IMPORTANCE[entry[0] ?? ''];
    if (space < 2 || !importance) throw new Error(`malformed jobs.match_facts skill "${entry}"`);
    return { skill: entry.slice(space + 1), importance, count: Number(entry.slice(1, space)) };
  });
}

/**
 * The facts scoring needs: from the stored column when the row has it, else from the row's text (a row
 * written before the column was filled, or by code that does not compute it). Same result either way.
 */
export function textFactsOf(stored: StoredMatchFacts | null, job: JobText | null): JobTextFacts {
  if (stored) return { skills: weighSkills(countedSkills(stored.skills)), years: stored.years };
  if (!job) throw new Error('a job without stored match facts must be read with its text');
  return jobTextFacts(job);
}
