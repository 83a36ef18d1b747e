/** What the fit score reads from a stored CV and a stored (or raw) job. */
import type { Profile } from '../cvs/profile.ts';
import type { CvFacts, JobFacts } from './score.ts';

/** A CV's facts from its text and its parsed profile (cvs.parsed_content, cvs.profile). */
export function cvFactsFrom(
  text: string,
  profile: Partial<Profile> | Record<string, unknown>,
  skills?: string[],
): CvFacts {
  const p = profile as Partial<Profile>;
  const experience = Array.isArray(p.experience?.value) ? p.experience.value : [];
  // The headline is a title the seeker claims: first, then the jobs' titles (a profile stored before
  // headlines has none). Each title once, case ignored.
  const headline = typeof p.headline?.value === 'string' ? p.headline.value.trim() : '';
  const titles = [headline, ...experience.map((j) => j.title)].filter(
    (t): t is string => typeof t === 'string' && t.trim().length > 0,
  );
  return {
    text,
    skills: skills ?? (Array.isArray(p.skills?.value) ? p.skills.value : []),
    titles: titles.filter((t, i) => titles.findIndex((o) => o.toLowerCase() === t.toLowerCase()) === i),
    years: typeof p.totalYearsExperience?.value === 'number' ? p.totalYearsExperience.value : null,
    location: typeof p.location?.value === 'string' ? p.location.value : null,
  };
}

/** A job posted as plain text: the first line is its title, the rest its description. */
export function jobFactsFromText(text: string): JobFacts {
  const trimmed = text.trim();
  const newline = trimmed.indexOf('\n');
  const title = (newline < 0 ? trimmed : trimmed.slice(0, newline)).trim().slice(0, 255);
  return {
    title,
    description: newline < 0 ? '' : trimmed.slice(newline + 1),
    requirements: [],
    experienceLevel: null,
    location: null,
    remote: /\b(fully remote|100% remote|remote[- ]first|work from home|remote)\b/i.test(title),
    salaryCurrency: 'USD',
    salaryYearlyMin: null,
    salaryYearlyMax: null,
  };
}
