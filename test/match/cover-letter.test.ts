/** The built-in letter's facts and template as pure functions: the headline introduces a CV without a job title. */
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/modules/cvs/profile.ts';
import { groundedFacts, groundLetter, templateLetter } from '../../src/modules/match/cover-letter.ts';
import { cvFactsFrom, jobFactsFromText } from '../../src/modules/match/facts.ts';
import { prepareCv, scoreMatch } from '../../src/modules/match/score.ts';

const JOB_TEXT = 'Backend Java Developer\nRequirements\nJava and Spring Boot; SQL databases.';

function letterFor(cvText: string, edit: (p: ReturnType<typeof parseProfile>) => void = () => {}) {
  const profile = parseProfile(cvText, new Date('2026-01-01'));
  edit(profile);
  const cv = prepareCv(cvFactsFrom(cvText, profile));
  const job = { ...jobFactsFromText(JOB_TEXT), company: 'Initrode' };
  const facts = groundedFacts(cv, profile, job, scoreMatch(cv, job));
  const letter = templateLetter(facts, 'professional', 'medium');
  const checked = groundLetter(letter, {
    cvText,
    jobText: JOB_TEXT,
    cvSkills: new Set(cv.skills),
    jobNames: [job.title, job.company],
  });
  return { facts, letter, removed: checked.removed };
}

describe('the headline in a template letter', () => {
  it('introduces a candidate without a job title by the headline, grounded', () => {
    const { facts, letter, removed } = letterFor('Kai Example\nJava Developer\n\nSkills\nJava, Spring Boot, SQL');
    expect(facts.recentTitle).toBeNull();
    expect(facts.headline).toBe('Java Developer');
    expect(letter).toContain('My professional title is Java Developer.');
    expect(removed).toEqual([]);
  });

  it('prefers the current job title, and leaves out a headline naming a skill the CV does not show', () => {
    const withJob = letterFor(
      'Kai Example\nJava Developer\n\nExperience\nSoftware Engineer, Initech, Jan 2020 - Present\nBuilt Java services.\n\nSkills\nJava, SQL',
    );
    expect(withJob.letter).toContain('I currently work as Software Engineer at Initech.');
    expect(withJob.letter).not.toContain('professional title');
    const unshown = letterFor('Kai Example\nJava Developer\n\nSkills\nJava, SQL', (p) => {
      p.headline = { value: 'Kotlin Developer', confidence: 1 };
    });
    expect(unshown.facts.headline).toBeNull();
    expect(unshown.removed).toEqual([]);
  });

  it('reads a profile stored before headlines as having none', () => {
    const { facts, letter } = letterFor('Kai Example\n\nSkills\nJava, SQL', (p) => {
      delete (p as Partial<typeof p>).headline;
    });
    expect(facts.headline).toBeNull();
    expect(letter).not.toContain('professional title');
  });
});
