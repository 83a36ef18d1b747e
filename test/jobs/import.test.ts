/** Importing jobs: every format, malformed and duplicate rows, upsert by source identity, the HTTP endpoint and the CLI. */
import { existsSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/db/context.ts';
import { importJobs } from '../../src/modules/jobs/import/import.service.ts';
import { parseSalaryText } from '../../src/modules/jobs/import/map.ts';
import type { ImportFormat } from '../../src/modules/jobs/import/read.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInAdmin, signedInUser } from '../helpers/auth.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

const run = (
  text: string,
  format: ImportFormat,
  options: { source?: string; mapping?: Record<string, string>; batchSize?: number } = {},
) =>
  importJobs(ctx.database.db, systemActor, Readable.from([Buffer.from(text)]), { format, source: 'test', ...options });

async function jobsFrom(source: string) {
  return ctx.database.superuserQuery<Record<string, unknown>>(
    'select title, company, location, remote, salary_min, salary_max, salary_currency, salary_period, salary_yearly_min, job_type, experience_level, requirements, skills, external_id, source_url, posted_date from jobs where source = $1 order by title',
    [source],
  );
}

describe('NDJSON', () => {
  it('imports rows with bad optional values (with warnings), and rejects only unreadable or titleless ones', async () => {
    const lines = [
      JSON.stringify({
        title: 'Data Engineer',
        company: 'River Analytics',
        description: 'Pipelines.',
        id: 'n-1',
        skills: ['Python', 'SQL'],
      }),
      '{ not json',
      '',
      JSON.stringify({ title: 'QA Engineer', description: 'Tests.', id: 'n-2' }),
      JSON.stringify([1, 2]),
      JSON.stringify({
        title: 'Platform Engineer',
        company: 'Cloud Nine',
        description: 'Kubernetes.',
        id: 'n-3',
        salaryMin: 20,
        salaryMax: 10,
      }),
      JSON.stringify({
        title: 'SRE',
        company: 'Cloud Nine',
        description: 'On call.',
        id: 'n-4',
        jobType: 'Full-time',
        level: 'Senior',
      }),
    ].join('\n');
    const report = await run(lines, 'ndjson', { source: 'nd' });
    expect(report).toMatchObject({ rows: 6, inserted: 4, updated: 0, skipped: 0, rejected: 2, warned: 2 });
    expect(report.errors.map((e) => e.line)).toEqual([2, 5]);
    expect(report.errors[0]?.reason).toBe('Not valid JSON.');
    expect(report.errors[1]?.reason).toBe('Expected a JSON object.');
    expect(report.warnings).toEqual([
      { line: 4, field: 'company', reason: 'No company; recorded as "Not stated".' },
      {
        line: 6,
        field: 'salaryMax',
        value: '10',
        reason: expect.stringMatching(/Must be at least salaryMin.*left empty/),
      },
    ]);
    const rows = await jobsFrom('nd');
    expect(rows.map((r) => r.title)).toEqual(['Data Engineer', 'Platform Engineer', 'QA Engineer', 'SRE']);
    expect(rows[1]).toMatchObject({ salary_min: null, salary_max: null });
    expect(rows[2]).toMatchObject({ company: 'Not stated' });
    expect(rows[3]).toMatchObject({ job_type: 'full-time', experience_level: 'senior', external_id: 'n-4' });
    expect(rows[0]?.skills).toEqual(['python', 'sql']);
  });
});

describe('upserting by source identity', () => {
  it('inserts, then skips unchanged rows, updates changed ones, and collapses duplicates', async () => {
    const row = (id: string, title: string) => JSON.stringify({ id, title, company: 'Same Co', description: 'Same.' });
    const first = await run([row('u-1', 'Alpha'), row('u-2', 'Beta'), row('u-2', 'Beta')].join('\n'), 'ndjson', {
      source: 'ups',
    });
    expect(first).toMatchObject({ inserted: 2, updated: 0, skipped: 1, rejected: 0 });

    // Seen two days ago: a re-import refreshes last_seen_at (unchanged rows seen recently are not rewritten).
    await ctx.database.superuserQuery(
      "update jobs set last_seen_at = now() - interval '2 days' where source = 'ups' and external_id = 'u-1'",
    );
    const [before] = await ctx.database.superuserQuery<{ last_seen_at: Date }>(
      "select last_seen_at from jobs where source = 'ups' and external_id = 'u-1'",
    );
    const second = await run(
      [row('u-1', 'Alpha'), row('u-2', 'Beta renamed'), row('u-3', 'Gamma')].join('\n'),
      'ndjson',
      { source: 'ups' },
    );
    expect(second).toMatchObject({ inserted: 1, updated: 1, skipped: 1, rejected: 0 });
    expect((await jobsFrom('ups')).map((r) => r.title)).toEqual(['Alpha', 'Beta renamed', 'Gamma']);
    const seenAt = async () =>
      new Date(
        (
          await ctx.database.superuserQuery<{ last_seen_at: Date }>(
            "select last_seen_at from jobs where source = 'ups' and external_id = 'u-1'",
          )
        )[0]?.last_seen_at as Date,
      ).getTime();
    const after = await seenAt();
    expect(after).toBeGreaterThan(new Date(before?.last_seen_at as Date).getTime());
    // Seen just now: an unchanged re-import writes nothing, last_seen_at included.
    await run(row('u-1', 'Alpha'), 'ndjson', { source: 'ups' });
    expect(await seenAt()).toBe(after);
  });

  it('counts duplicates across batches as skipped, and identifies rows without an id by URL or content', async () => {
    const rows = [
      {
        title: 'Cook',
        company: 'Diner',
        description: 'Breakfast shift.',
        url: 'https://jobs.example.test/cook?utm_source=x#apply',
      },
      { title: 'Cook', company: 'Diner', description: 'Breakfast shift.', url: 'https://jobs.example.test/cook' },
      { title: 'Waiter', company: 'Diner', location: 'Leeds', description: 'Evenings.' },
      { title: 'Waiter', company: 'Diner', location: 'Leeds', description: 'Evenings.' },
    ].map((r) => JSON.stringify(r));
    const report = await run(rows.join('\n'), 'ndjson', { source: 'noid', batchSize: 1 });
    expect(report).toMatchObject({ inserted: 2, skipped: 2, rejected: 0 });
    const stored = await jobsFrom('noid');
    expect(stored.map((r) => r.external_id)).toEqual([
      'https://jobs.example.test/cook',
      expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    ]);
  });
});

describe('JSON', () => {
  it('streams a top-level array, with line numbers for bad elements', async () => {
    const text = `[
  {"title": "Analyst", "company": "Quartz {Braces} Ltd", "description": "Numbers \\"quoted\\" and [brackets].", "id": "j-1"},
  {"title": "", "company": "Nobody", "description": "x", "id": "j-2"},
  {"title": "Designer", "company": "Pixel", "description": "UI", "id": "j-3",
   "location": {"city": "Berlin", "countryCode": "DE"}}
]`;
    const report = await run(text, 'json', { source: 'arr' });
    expect(report).toMatchObject({ rows: 3, inserted: 2, rejected: 1 });
    expect(report.errors).toEqual([{ line: 3, reason: expect.stringMatching(/^title: /) }]);
    expect((await jobsFrom('arr')).map((r) => [r.title, r.company, r.location])).toEqual([
      ['Analyst', 'Quartz {Braces} Ltd', null],
      ['Designer', 'Pixel', 'Berlin, DE'],
    ]);
  });

  it('reports a truncated file instead of failing', async () => {
    const report = await run(
      '[{"title": "A", "company": "B", "description": "C", "id": "t-1"}, {"title": "cut',
      'json',
      { source: 'trunc' },
    );
    expect(report).toMatchObject({ inserted: 1, rejected: 1 });
    expect(report.errors[0]?.reason).toMatch(/ends in the middle/);
  });

  const fixture = '../shared/fixtures/jsonresume/sample.job.json';
  it.skipIf(!existsSync(fixture))('imports a JSON Resume job (shared fixture)', async () => {
    const report = await run(readFileSync(fixture, 'utf8'), 'json', { source: 'jsonresume' });
    expect(report).toMatchObject({ inserted: 1, rejected: 0 });
    const [job] = await jobsFrom('jsonresume');
    expect(job).toMatchObject({
      title: 'Web Developer',
      company: 'Microsoft',
      job_type: 'full-time',
      experience_level: 'mid',
      remote: false,
    });
    expect(job?.location).toBe('Berlin, DE');
    expect(job?.skills).toEqual(expect.arrayContaining(['javascript', 'react', 'node.js', 'mongodb']));
  });
});

describe('CSV', () => {
  it('matches columns by header, takes a mapping, parses salary text, and reports malformed rows', async () => {
    const csv = [
      'Job Title,Employer,City,Pay,Type,Skills,Ref,Details',
      'Backend Developer,Chai Systems,Bengaluru,₹12-18 LPA,Full-time,"Java; Spring",c-1,"APIs, queues."',
      'Night Nurse,"St. Ann\'s, North",Leeds,£30/hour,Part time,Patient care,c-2,"Night ward.\nTwo lines."',
      'Too,Many,Columns,Here,Now,Really,c-3,Desc,extra',
      'No Employer,,Leeds,,,,c-4,Desc',
      'Broken,"unterminated,Leeds',
    ].join('\n');
    const report = await run(csv, 'csv', {
      source: 'csv',
      mapping: { title: 'Job Title', location: 'City', externalId: 'Ref', description: 'Details' },
    });
    expect(report).toMatchObject({ inserted: 3, rejected: 2 });
    expect(report.errors.map((e) => e.line)).toEqual([5, 7]); // the nurse's description spans lines 3-4
    expect(report.errors[0]?.reason).toMatch(/Malformed CSV/);
    expect(report.errors[1]?.reason).toMatch(/Quote Not Closed/);
    expect(report.warnings).toEqual([{ line: 6, field: 'company', reason: expect.stringMatching(/^No company/) }]);
    const rows = await jobsFrom('csv');
    expect(rows.find((r) => r.title === 'Backend Developer')).toMatchObject({
      company: 'Chai Systems',
      location: 'Bengaluru',
      salary_min: 1_200_000,
      salary_max: 1_800_000,
      salary_currency: 'INR',
      salary_period: 'yearly',
      requirements: ['Java', 'Spring'],
      external_id: 'c-1',
    });
    expect(rows.find((r) => r.title === 'Night Nurse')).toMatchObject({
      company: "St. Ann's, North",
      salary_min: 30,
      salary_period: 'hourly',
      salary_currency: 'GBP',
      salary_yearly_min: 58_500, // 30 an hour × 1,950 hours: the UK working year
      job_type: 'part-time',
    });
  });
});

describe('salary text', () => {
  it.each([
    ['₹12-18 LPA', { min: 1_200_000, max: 1_800_000, currency: 'INR', period: 'yearly' }],
    ['12 - 18 lakhs', { min: 1_200_000, max: 1_800_000, currency: 'INR' }],
    ['$120k - $150k', { min: 120_000, max: 150_000, currency: 'USD' }],
    ['$120-150k', { min: 120_000, max: 150_000, currency: 'USD' }],
    ['£45,000 per annum', { min: 45_000, max: 45_000, currency: 'GBP', period: 'yearly' }],
    ['€30/hour', { min: 30, max: 30, currency: 'EUR', period: 'hourly' }],
    ['INR 50,000 per month', { min: 50_000, max: 50_000, currency: 'INR', period: 'monthly' }],
    ['100000', { min: 100_000, max: 100_000 }],
  ])('reads %s', (text, expected) => {
    expect(parseSalaryText(text)).toEqual(expected);
  });

  it('gives up on text without a figure', () => {
    expect(parseSalaryText('competitive')).toBeNull();
  });
});

const posting = {
  '@context': 'https://schema.org/',
  '@type': 'JobPosting',
  title: 'Staff Frontend Engineer',
  description: '<p>Build <b>delightful</b> interfaces &amp; tooling.</p><ul><li>React</li><li>TypeScript</li></ul>',
  identifier: { '@type': 'PropertyValue', name: 'Example Careers', value: 'EX-1042' },
  datePosted: '2026-11-01',
  employmentType: ['FULL_TIME', 'CONTRACTOR'],
  hiringOrganization: { '@type': 'Organization', name: 'Example Careers Inc', sameAs: 'https://example.test' },
  jobLocation: {
    '@type': 'Place',
    address: { '@type': 'PostalAddress', addressLocality: 'Austin', addressRegion: 'TX', addressCountry: 'US' },
  },
  baseSalary: {
    '@type': 'MonetaryAmount',
    currency: 'USD',
    value: { '@type': 'QuantitativeValue', minValue: 80, maxValue: 95, unitText: 'HOUR' },
  },
  experienceRequirements: { '@type': 'OccupationalExperienceRequirements', monthsOfExperience: 96 },
  skills: 'React, TypeScript, Accessibility',
};

describe('schema.org JobPosting', () => {
  it('maps a JSON-LD document', async () => {
    const report = await run(
      JSON.stringify({ '@context': 'https://schema.org', '@graph': [{ '@type': 'WebPage' }, posting] }),
      'jsonld',
      { source: 'ld' },
    );
    expect(report).toMatchObject({ inserted: 1, rejected: 0 });
    const [job] = await jobsFrom('ld');
    expect(job).toMatchObject({
      title: 'Staff Frontend Engineer',
      company: 'Example Careers Inc',
      location: 'Austin, TX, US',
      remote: false,
      salary_min: 80,
      salary_max: 95,
      salary_period: 'hourly',
      salary_yearly_min: 166_400,
      job_type: 'full-time',
      experience_level: 'senior',
      external_id: 'EX-1042',
    });
    expect(job?.skills).toEqual(expect.arrayContaining(['react', 'typescript', 'accessibility']));
    expect(new Date(job?.posted_date as string).toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('reads the JSON-LD embedded in an HTML page, remote postings included', async () => {
    const remote = {
      ...posting,
      identifier: 'EX-2',
      title: 'Remote Support Agent',
      jobLocation: undefined,
      jobLocationType: 'TELECOMMUTE',
      applicantLocationRequirements: { '@type': 'Country', name: 'India' },
    };
    const html = `<!doctype html><html><head><title>Jobs</title>
<script type="application/ld+json">${JSON.stringify(remote)}</script>
<script type="application/ld+json">{ broken json </script>
</head><body><h1>Remote Support Agent</h1></body></html>`;
    const report = await run(html, 'html', { source: 'page' });
    expect(report).toMatchObject({ inserted: 1, rejected: 1 });
    expect(report.errors[0]).toEqual({ line: 3, reason: 'A JSON-LD block is not valid JSON.' });
    const [job] = await jobsFrom('page');
    expect(job).toMatchObject({ title: 'Remote Support Agent', remote: true, location: 'India' });
  });

  it('says so when a page has no JobPosting', async () => {
    const report = await run('<html><body>Hello</body></html>', 'html');
    expect(report).toMatchObject({ inserted: 0, rejected: 1 });
    expect(report.errors[0]?.reason).toMatch(/no schema.org JobPosting/);
  });
});

describe('POST /api/v1/jobs/import', () => {
  const upload = (headers: Record<string, string>, payload: string, query = '') =>
    ctx.app.inject({ method: 'POST', url: `/api/v1/jobs/import${query}`, headers, payload });

  it('imports a CSV body for an administrator, with the format from the Content-Type', async () => {
    const admin = await signedInAdmin(ctx.database.db);
    const res = await upload(
      { ...admin.headers, 'content-type': 'text/csv' },
      'title,company,description,id\nPorter,Hotel Royale,Luggage.,h-1\n',
      '?source=hotel',
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ rows: 1, inserted: 1, rejected: 0, errors: [] });
    expect((await jobsFrom('hotel')).map((r) => r.title)).toEqual(['Porter']);
  });

  it('refuses ordinary users, an unknown type, a body over the limit, and bad parameters', async () => {
    const user = await signedInUser(ctx.database.db);
    expect((await upload({ ...user.headers, 'content-type': 'text/csv' }, 'title\n')).statusCode).toBe(403);
    const admin = await signedInAdmin(ctx.database.db);
    const unknown = await upload({ ...admin.headers, 'content-type': 'application/pdf' }, '%PDF');
    expect(unknown.statusCode).toBe(415);
    expect((await upload({ ...admin.headers, 'content-type': 'text/csv' }, 'x', '?source=Bad Source')).statusCode).toBe(
      400,
    );
    expect((await upload({ ...admin.headers, 'content-type': 'text/csv' }, 'x', '?mapping=nonsense')).statusCode).toBe(
      400,
    );

    const small = await createTestApp({ env: { IMPORT_MAX_BYTES: '2048' } });
    try {
      const smallAdmin = await signedInAdmin(small.database.db);
      const big = `[${Array.from({ length: 100 }, (_, i) => JSON.stringify({ title: `T${i}`, company: 'C', description: 'D' })).join(',')}]`;
      const res = await small.app.inject({
        method: 'POST',
        url: '/api/v1/jobs/import',
        headers: { ...smallAdmin.headers, 'content-type': 'application/json' },
        payload: big,
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    } finally {
      await small.close();
    }
  });
});

describe('POST /api/v1/jobs/import/stream (live progress)', () => {
  const stream = (headers: Record<string, string>, payload: string, query = '') =>
    ctx.app.inject({ method: 'POST', url: `/api/v1/jobs/import/stream${query}`, headers, payload });
  type Line = { type: string; rows?: number; report?: { rows: number; rejected: number; errors: unknown[] } };
  const linesOf = (body: string) =>
    body
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Line);

  it('answers NDJSON: growing progress lines while it imports, then the report with the rejected rows', async () => {
    const admin = await signedInAdmin(ctx.database.db);
    const rows = Array.from({ length: 250 }, (_, i) =>
      i % 50 === 7 ? `,No title ${i},Nothing.,s-${i}` : `Role ${i},Stream Co,Work.,s-${i}`,
    );
    const res = await stream(
      { ...admin.headers, 'content-type': 'text/csv' },
      `title,company,description,id\n${rows.join('\n')}\n`,
      '?source=streamed',
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = linesOf(res.body);
    const progress = lines.filter((l) => l.type === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const counts = progress.map((p) => p.rows ?? 0);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
    expect(progress[0]).toMatchObject({ type: 'progress', inserted: expect.any(Number), rejected: expect.any(Number) });
    const last = lines.at(-1);
    expect(last?.type).toBe('report');
    expect(last?.report).toMatchObject({ rows: 250, inserted: 245, rejected: 5 });
    expect(last?.report?.errors).toHaveLength(5);
    expect(await jobsFrom('streamed')).toHaveLength(245);
  });

  it('ends with an error line when the import stops part way; refusals before the first row are plain errors', async () => {
    const admin = await signedInAdmin(ctx.database.db);
    const missing = await stream(
      { ...admin.headers, 'content-type': 'text/csv' },
      'title,company,description\nA,B,C\n',
      '?mapping=title=Job%20Title',
    );
    expect(missing.statusCode).toBe(200);
    const last = linesOf(missing.body).at(-1) as Line & { error?: { code: string; message: string } };
    expect(last.type).toBe('error');
    expect(last.error?.code).toMatch(/^[A-Z_]+$/);
    expect(last.error?.message).toMatch(/Job Title/);

    const user = await signedInUser(ctx.database.db);
    expect((await stream({ ...user.headers, 'content-type': 'text/csv' }, 'title\n')).statusCode).toBe(403);
    const pdf = await stream({ ...admin.headers, 'content-type': 'application/pdf' }, '%PDF');
    expect(pdf.statusCode).toBe(415);
    expect(pdf.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await stream({ 'content-type': 'text/csv' }, 'title\n')).statusCode).toBe(401);
  });
});
