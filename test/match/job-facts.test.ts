/** The stored form of a job's match facts (jobs.match_facts) gives exactly what reading the text gives. */
import { describe, expect, it } from 'vitest';
import { matchFactsOf, textFactsOf, textFingerprint } from '../../src/modules/match/job-facts.ts';

const jobs = [
  {
    title: 'Senior Go Engineer',
    description: 'Requirements\n5+ years of Go.\nNice to have\nApache Kafka',
    requirements: [],
  },
  {
    title: 'Data Engineer',
    description: `${'Python, Python and SQL. '.repeat(6)}\nBenefits\nMachine learning courses`,
    requirements: ['Spark', 'not a skill at all'],
  },
  { title: 'Nurse', description: 'Patient care on a ward.', requirements: [] },
  { title: 'Engineer', description: '', requirements: [] },
];

describe('match facts', () => {
  it.each(jobs)('round-trip to the facts of the text itself: $title', (job) => {
    const stored = matchFactsOf(job);
    // Through JSON, as jsonb stores and returns it.
    expect(textFactsOf(JSON.parse(JSON.stringify(stored)), null)).toEqual(textFactsOf(null, job));
  });

  it('are compact and keep counts above nine and multi-word skills', () => {
    const stored = matchFactsOf(jobs[1] as (typeof jobs)[number]);
    expect(stored.skills).toMatch(/^[trpm]\d+ [^|]+(\|[trpm]\d+ [^|]+)*$/);
    expect(stored.skills.split('|')).toContain('m12 python');
    expect(stored.skills.split('|')).toContain('m1 machine learning');
    expect(matchFactsOf(jobs[3] as (typeof jobs)[number]).skills).toBe('');
  });

  it('fingerprint the text as the trigger does, and refuse a malformed stored entry', () => {
    expect(textFingerprint({ title: 'a', description: 'b', requirements: ['c', 'd'] })).toBe(
      'aedeb9f7ddf76f45747fe5f7f6d211dd', // select md5('a' || E'\n' || 'b' || E'\n' || array_to_string(array['c','d'], E'\n'))
    );
    expect(() => textFactsOf({ of: 'x', years: null, skills: 'x9' }, null)).toThrow(/malformed/);
  });
});
