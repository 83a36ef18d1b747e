import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fastSerializer } from '../../src/http/fast-serializer.ts';
import { errorResponse } from '../../src/http/schemas.ts';
import { jobDetail } from '../../src/modules/jobs/jobs.schemas.ts';

/** What the default (zod) serializer writes for `data`. */
const zodJson = (schema: z.ZodType, data: unknown) => JSON.parse(JSON.stringify(z.encode(schema, data)));

const job = {
  id: '6f1c1b6e-8a2d-4b8e-9c55-1a2b3c4d5e6f',
  title: 'Data "Engineer" \u2028 <b>',
  company: 'Acme',
  location: null,
  remote: true,
  salaryMin: 90_000,
  salaryMax: null,
  salaryCurrency: 'EUR',
  salaryPeriod: 'yearly',
  salaryYearlyMin: 90_000,
  salaryYearlyMax: null,
  experienceLevel: null,
  jobType: 'full-time',
  requirements: ['SQL', 'C++'],
  skills: [],
  categoryId: null,
  source: 'import',
  sourceUrl: 'https://example.com/a?b=c&d',
  postedDate: new Date('2026-11-02T10:00:00.000Z'),
  lastSeenAt: new Date('2026-11-30T23:59:59.999Z'),
  stale: false,
  description: 'Line one\nline two\ttab \\ backslash',
  descriptionHtml: '<p>Line one</p>',
  externalId: null,
  firstSeenAt: new Date('2026-11-02T10:00:00.000Z'),
  updatedAt: new Date('2026-11-03T00:00:00.000Z'),
  tracked: false,
  applicationCount: 0,
  bookmarked: null,
  applied: false,
};

describe('fastSerializer (the hot reads: GET /jobs/:id)', () => {
  const serialize = (schema: z.ZodType) => fastSerializer({ schema });

  it('writes the same document as the zod serializer: dates as ISO strings, nulls, escapes, arrays', () => {
    const text = serialize(jobDetail)(job);
    expect(JSON.parse(text)).toEqual(zodJson(jobDetail, job));
    expect(JSON.parse(text).postedDate).toBe('2026-11-02T10:00:00.000Z');
  });

  it('leaves out properties the schema does not list, as zod does', () => {
    const text = serialize(jobDetail)({ ...job, ownerUserId: 'someone-else', importHash: 'x' });
    expect(text).not.toContain('ownerUserId');
    expect(text).not.toContain('importHash');
  });

  it('writes error bodies with free-form details', () => {
    const body = {
      error: { code: 'VALIDATION_FAILED', message: 'Bad.', details: [{ path: 'params.id', n: 1 }], requestId: 'r-1' },
    };
    expect(JSON.parse(serialize(errorResponse)(body))).toEqual(zodJson(errorResponse, body));
  });

  it('refuses an object without a required field rather than writing part of a document', () => {
    const { title: _, ...withoutTitle } = job;
    expect(() => serialize(jobDetail)(withoutTitle)).toThrow(/title/);
  });
});
