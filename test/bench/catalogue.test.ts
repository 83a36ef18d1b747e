/**
 * The benchmark's data generator and query sampler (bench/catalogue.ts, bench/queries.ts) and the
 * pgbench script writer: deterministic for a seed, not in posting order, skewed, and the recorded
 * statements written back with their parameters as literals. Runs on the real exports when
 * ../shared/data/jobs is present and on the synthetic vocabulary otherwise.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  catalogueJob,
  csvBatch,
  parseSalaryEstimate,
  rng,
  sentencesOf,
  vocabulary,
  Weighted,
} from '../../bench/catalogue.ts';
import { pgbenchScript } from '../../bench/pgbench.ts';
import { classify, sampleQueries, urlParams } from '../../bench/queries.ts';

const now = Date.parse('2026-06-01T00:00:00Z');

// Reading the exports and finding the skills in every sentence takes seconds on a loaded machine.
beforeAll(() => {
  vocabulary();
});

describe('catalogue generator', () => {
  it('gives the same job for the same row and seed, and another for another row', () => {
    expect(catalogueJob(42, now, 7)).toEqual(catalogueJob(42, now, 7));
    expect(catalogueJob(42, now, 7)).not.toEqual(catalogueJob(43, now, 7));
    expect(catalogueJob(42, now, 7)).not.toEqual(catalogueJob(42, now, 8));
    expect(csvBatch(1, 20, now)).toBe(csvBatch(1, 20, now));
  });

  it('does not store rows in posting order, and dates reach back a year at most', () => {
    const dates = Array.from({ length: 2000 }, (_, i) => catalogueJob(i + 1, now).postedDate.getTime());
    let ascending = 0;
    for (let i = 1; i < dates.length; i++) if ((dates[i] as number) > (dates[i - 1] as number)) ascending++;
    // Independent of row order: about half the neighbours ascend (posting order would give ~0 or ~all).
    expect(ascending / dates.length).toBeGreaterThan(0.4);
    expect(ascending / dates.length).toBeLessThan(0.6);
    for (const d of dates) {
      expect(d).toBeLessThanOrEqual(now);
      expect(d).toBeGreaterThan(now - 366 * 86_400_000);
    }
  });

  it('recombines titles and skews them: a common head, a long tail, and more titles than the source has', () => {
    const counts = new Map<string, number>();
    for (let n = 1; n <= 5000; n++) {
      const title = catalogueJob(n, now).title;
      counts.set(title, (counts.get(title) ?? 0) + 1);
    }
    const sorted = [...counts.values()].sort((a, b) => b - a);
    expect(counts.size).toBeGreaterThan(vocabulary().realTitles.values.length / 2);
    expect(sorted[0] as number).toBeGreaterThan(20 * (sorted[Math.floor(sorted.length / 2)] as number));
  });

  it('writes skills canonical and requirements as named, with yearly salaries beside the posted ones', () => {
    for (let n = 1; n <= 200; n++) {
      const j = catalogueJob(n, now);
      expect(j.skills).toHaveLength(j.requirements.length);
      for (const s of j.skills) expect(s).toBe(s.toLowerCase());
      if (j.salaryMin !== null && j.salaryPeriod === 'yearly') expect(j.salaryYearlyMin).toBe(j.salaryMin);
      if (j.salaryMin !== null && j.salaryPeriod === 'hourly') expect(j.salaryYearlyMin).toBe(j.salaryMin * 2080);
      if (j.salaryMax !== null && j.salaryMin !== null) expect(j.salaryMax).toBeGreaterThanOrEqual(j.salaryMin);
    }
  });

  it('escapes CSV quotes and array elements for COPY', () => {
    const line = csvBatch(1, 1, now);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.split('\n')).toHaveLength(2);
  });

  it('parses the export salary estimates and keeps only sentences worth reusing', () => {
    expect(parseSalaryEstimate('$53K-$91K (Glassdoor est.)')).toEqual({ min: 53_000, max: 91_000, period: 'yearly' });
    expect(parseSalaryEstimate('Employer Provided Salary:$17-$24 Per Hour')).toEqual({
      min: 17,
      max: 24,
      period: 'hourly',
    });
    expect(parseSalaryEstimate('-1')).toBeNull();
    expect(sentencesOf('Skills:\nYou will build models with Python and SQL. Short.')).toEqual([
      'You will build models with Python and SQL.',
    ]);
  });

  it('draws weighted values in proportion to their weights', () => {
    const w = new Weighted(['a', 'b'], [3, 1]);
    const random = rng(1);
    let a = 0;
    for (let i = 0; i < 4000; i++) if (w.pick(random) === 'a') a++;
    expect(a / 4000).toBeGreaterThan(0.7);
    expect(a / 4000).toBeLessThan(0.8);
  });
});

describe('query sampler', () => {
  it('is deterministic for a seed and gives distinct queries', () => {
    const first = sampleQueries(vocabulary(), 80, 3);
    expect(sampleQueries(vocabulary(), 80, 3)).toEqual(first);
    expect(new Set(first.map((p) => JSON.stringify(p))).size).toBe(first.length);
    expect(first.filter((p) => p.q).length).toBeGreaterThan(first.length / 2);
    // Salary filters and salary sort always say their currency (the API requires it).
    for (const p of first) if (p.salaryMin || p.sort === 'salary') expect(p.currency).toBeDefined();
  });

  it('classifies by measured selectivity first, then by filters', () => {
    expect(classify({ q: 'data', remote: 'true' }, 0.001)).toBe('selective');
    expect(classify({ q: 'data' }, 0.3)).toBe('broad');
    expect(classify({ q: 'data', sort: 'newest' }, 0.3)).toBe('filtered');
    expect(classify({}, 1)).toBe('broad');
  });

  it('turns a recency in days into a date for the URL', () => {
    expect(urlParams({ postedSince: '7' }, now)).toEqual({ postedSince: '2026-05-25' });
    expect(urlParams({ q: 'x' }, now)).toEqual({ q: 'x' });
  });
});

describe('pgbench scripts', () => {
  it('writes recorded parameters in as literals, NULL for null, one statement a line-ending semicolon', () => {
    const script = pgbenchScript([
      { text: 'begin', values: [] },
      { text: 'select $1::text, $2, $10', values: ["it's", null, 'ten', 4, 5, 6, 7, 8, 9, 'x\\y'] },
    ]);
    expect(script).toBe("begin;\nselect 'it''s'::text, NULL,  E'x\\\\y';\n");
  });
});
