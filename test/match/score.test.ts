/** The fit score as a pure function: deterministic, parts that add up, aliases, the skill gap, bands. */
import { describe, expect, it } from 'vitest';
import { precisionAt, rocAuc, tfidfCosine } from '../../scripts/match-eval/metrics.ts';
import { parseProfile } from '../../src/modules/cvs/profile.ts';
import { cvFactsFrom, jobFactsFromText } from '../../src/modules/match/facts.ts';
import {
  bandOf,
  type JobFacts,
  jobLevel,
  jobSkills,
  prepareCv,
  requiredYears,
  roleWords,
  scoreMatch,
} from '../../src/modules/match/score.ts';

const CV_TEXT = `Ada Example
Senior Software Engineer
Berlin, Germany

Summary
Backend engineer building APIs in TypeScript and Node.js.

Experience
Senior Software Engineer, Acme GmbH, Jan 2019 - Present
Built REST services in Node.js and TypeScript on PostgreSQL; deployed with Docker on AWS.
Software Engineer, Beta AG, Jan 2015 - Dec 2018
Wrote Python services and React front ends.

Skills
JS, TypeScript, Node.js, PostgreSQL, Docker, AWS, Python, React
`;

const cv = prepareCv(cvFactsFrom(CV_TEXT, parseProfile(CV_TEXT, new Date('2025-01-01'))));

const job = (overrides: Partial<JobFacts> = {}): JobFacts => ({
  title: 'Senior Backend Engineer',
  description: 'Requirements\nNode.js and TypeScript\nPostgreSQL\nKubernetes\nNice to have\nMySQL',
  requirements: [],
  experienceLevel: null,
  location: 'Berlin',
  remote: false,
  salaryCurrency: 'EUR',
  salaryYearlyMin: null,
  salaryYearlyMax: null,
  ...overrides,
});

describe('fit score', () => {
  it('gives the same result for the same input, and its parts add up to the score', () => {
    const a = scoreMatch(cv, job());
    const b = scoreMatch(prepareCv(cvFactsFrom(CV_TEXT, parseProfile(CV_TEXT, new Date('2025-01-01')))), job());
    expect(a).toEqual(b);
    const sum = a.parts.reduce((s, p) => s + p.points, 0);
    expect(Math.abs(sum - a.score)).toBeLessThan(0.05);
    expect(a.parts.reduce((s, p) => s + p.max, 0)).toBeCloseTo(100, 0);
    expect(a.score).toBeGreaterThanOrEqual(0);
    expect(a.score).toBeLessThanOrEqual(100);
    expect(a.band).toBe(bandOf(a.score));
  });

  it('counts aliases, cites the CV line for each covered skill and ranks the gap by importance', () => {
    const r = scoreMatch(cv, job({ requirements: ['javascript', 'Kubernetes'] }));
    const covered = new Map(r.covered.map((c) => [c.skill, c]));
    expect(covered.get('javascript')?.evidence).toMatch(/JS/); // "JS" in the CV is JavaScript
    expect(covered.get('node.js')?.evidence).toMatch(/Node\.js/);
    expect(CV_TEXT).toContain(covered.get('postgresql')?.evidence);
    expect(r.missing[0]).toMatchObject({ skill: 'kubernetes', importance: 'required', learnable: true });
    expect(r.missing[0]?.relatedTo).toContain('docker');
    const mysql = r.missing.find((m) => m.skill === 'mysql');
    expect(mysql).toMatchObject({ importance: 'preferred', learnable: true });
  });

  it('scores a fitting job above an unrelated one', () => {
    const fit = scoreMatch(cv, job());
    const nurse = scoreMatch(
      cv,
      job({ title: 'Registered Nurse', description: 'Requirements\nPatient care, phlebotomy and triage. 3+ years.' }),
    );
    expect(fit.score).toBeGreaterThan(nurse.score + 30);
    expect(nurse.band).toBe('poor');
  });

  it('reads seniority from the level, the title and the years asked for', () => {
    expect(jobLevel({ title: 'Sr. Data Engineer', experienceLevel: null })).toBe('senior');
    expect(jobLevel({ title: 'Graduate Developer', experienceLevel: null })).toBe('junior');
    expect(jobLevel({ title: 'Engineer', experienceLevel: 'executive' })).toBe('executive');
    expect(requiredYears('You have 5+ years of experience and 2 years of Go')).toBe(5);
    expect(requiredYears('Founded 150 years ago')).toBeNull();
    const senior = scoreMatch(cv, job()).parts.find((p) => p.name === 'seniority');
    const junior = scoreMatch(cv, job({ title: 'Junior Backend Engineer' })).parts.find((p) => p.name === 'seniority');
    expect(senior && junior && senior.points > junior.points).toBe(true);
  });

  it('uses preferences: remote, locations and salary; parts without data hand their points on', () => {
    const none = scoreMatch(cv, job({ location: null }));
    expect(none.parts.map((p) => p.name)).not.toContain('salary');
    expect(none.parts.map((p) => p.name)).not.toContain('location');
    const prefs = { remote: 'only' as const, salaryMin: 80_000, salaryCurrency: 'EUR' };
    const onSite = scoreMatch(cv, job({ salaryYearlyMax: 60_000 }), prefs);
    const remote = scoreMatch(cv, job({ remote: true, salaryYearlyMax: 90_000 }), prefs);
    expect(onSite.parts.find((p) => p.name === 'location')?.points).toBe(0);
    expect(remote.parts.find((p) => p.name === 'location')?.points).toBeGreaterThan(0);
    expect(remote.parts.find((p) => p.name === 'salary')?.points).toBeGreaterThan(
      onSite.parts.find((p) => p.name === 'salary')?.points ?? 0,
    );
  });

  it('reads the preferred job types into the location part', () => {
    const prefs = { jobTypes: ['full-time'] };
    const contract = scoreMatch(cv, job({ jobType: 'contract' }), prefs).parts.find((p) => p.name === 'location');
    const fullTime = scoreMatch(cv, job({ jobType: 'full-time' }), prefs).parts.find((p) => p.name === 'location');
    expect(contract?.detail).toMatch(/not a job type/);
    expect((fullTime?.points ?? 0) > (contract?.points ?? 0)).toBe(true);
  });

  it('extracts job skills from the title, the requirements and the prose, by importance', () => {
    const skills = jobSkills({
      title: 'React Developer',
      requirements: ['TypeScript'],
      description: 'We use GraphQL.\nNice to have\nStorybook',
    });
    const by = new Map(skills.map((s) => [s.skill, s.importance]));
    expect(by.get('react')).toBe('title');
    expect(by.get('typescript')).toBe('required');
    expect(by.get('graphql')).toBe('mentioned');
    expect(skills[0]?.skill).toBe('react');
    expect(roleWords('Sr. Full-Stack Developer (Remote)')).toEqual(['fullstack', 'engineer']);
  });

  it('survives any text', () => {
    for (const text of ['', '\n\n', 'x'.repeat(50_000), '💥 C++ / C# ✓\u0000']) {
      const r = scoreMatch(cv, jobFactsFromText(text));
      expect(Number.isFinite(r.score)).toBe(true);
    }
  });
});

describe('match facts from a stored profile', () => {
  const field = <T>(value: T) => ({ value, confidence: 0.7 });
  const jobs = [
    { title: 'Backend Engineer', company: 'Acme', start: null, end: null, description: '' },
    { title: 'platform engineer', company: 'Beta', start: null, end: null, description: '' },
  ];

  it('puts the headline first among the titles, each title once whatever its case; without one, the job titles alone', () => {
    const facts = cvFactsFrom('text', { headline: field('Platform Engineer'), experience: field(jobs) });
    expect(facts.titles).toEqual(['Platform Engineer', 'Backend Engineer']);
    expect(
      cvFactsFrom('text', { headline: field('Site Reliability Engineer'), experience: field(jobs) }).titles,
    ).toEqual(['Site Reliability Engineer', 'Backend Engineer', 'platform engineer']);
    // A profile stored before headlines, or one without a headline: the job titles alone.
    const titles = ['Backend Engineer', 'platform engineer'];
    expect(cvFactsFrom('text', { experience: field(jobs) }).titles).toEqual(titles);
    expect(cvFactsFrom('text', { headline: field(null), experience: field(jobs) }).titles).toEqual(titles);
    expect(cvFactsFrom('text', { headline: field('  '), experience: field(jobs) }).titles).toEqual(titles);
  });
});

describe('evaluation metrics', () => {
  it('computes ROC-AUC, precision@k and a TF-IDF baseline', () => {
    expect(
      rocAuc([
        { score: 3, label: true },
        { score: 2, label: false },
        { score: 1, label: true },
      ]),
    ).toBe(0.5);
    expect(
      precisionAt(
        [
          { score: 2, label: true },
          { score: 1, label: false },
        ],
        1,
      ),
    ).toBe(1);
    const [same, other] = tfidfCosine('rust tokio async', ['rust async tokio', 'nursing patient care']);
    expect(same).toBeGreaterThan(other ?? 1);
  });
});
