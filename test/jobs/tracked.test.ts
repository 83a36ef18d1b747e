/**
 * Jobs a seeker tracks (issue 15, decision 026): added from a page address or the short form, private
 * to that seeker everywhere (job page, search, facets, applying, bookmarks, match, cover letters, the
 * administrator's catalogue routes), applied to and counted like any job, exported and deleted with
 * the account.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.ts';
import { systemActor, withContext } from '../../src/db/context.ts';
import { usageTracking } from '../../src/db/schema/index.ts';
import { collectUserData } from '../../src/modules/exports/exports.service.ts';
import { MAX_TRACKED_JOBS } from '../../src/modules/jobs/tracked.service.ts';
import { DEFAULT_PLAN_RULES, planLimit } from '../../src/modules/plans/plans.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInAdmin, signedInUser } from '../helpers/auth.ts';
import { createCv, createJob } from '../helpers/factories.ts';

const posting = {
  '@context': 'https://schema.org',
  '@type': 'JobPosting',
  title: 'Lighthouse Keeper',
  description: '<p>Keep the light burning on Fictional Rock. Python scripts for the logbook.</p>',
  hiringOrganization: { '@type': 'Organization', name: 'Coastal Fictional Trust' },
  jobLocation: { '@type': 'Place', address: { addressLocality: 'Porthfict', addressCountry: 'GB' } },
  employmentType: 'PART_TIME',
  identifier: { value: 'LK-1' },
};
const page = `<html><head><script type="application/ld+json">${JSON.stringify(posting)}</script></head><body>Job</body></html>`;

let server: Server;
let base: string;
let fetched: string[] = [];
// May fetch 127.0.0.1 (FETCH_ALLOWED_ADDRESSES), and only that: every other private address is refused.
let ctx: TestContext & { close(): Promise<void> };

beforeAll(async () => {
  server = createServer((req, res) => {
    fetched.push(req.url ?? '');
    if (req.url?.startsWith('/job')) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    else if (req.url === '/plain') res.writeHead(200, { 'content-type': 'text/html' }).end('<p>Apply by post.</p>');
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ctx = await createTestApp({ env: { FETCH_ALLOWED_ADDRESSES: '127.0.0.1' } });
});
afterAll(async () => {
  await ctx?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

type Headers = Record<string, string>;
const api = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
  url: string,
  headers: Headers = {},
  payload?: object,
) => ctx.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

const form = (extra: object = {}) => ({
  title: 'Night Baker',
  company: 'Crumb Fictional Ltd',
  location: 'Leeds, UK',
  description: 'Bake bread overnight; Python for the ovens.',
  ...extra,
});

async function seeker() {
  const me = await signedInUser(ctx.database.db);
  const cv = await createCv(ctx.database.db, { userId: me.user.id });
  return { ...me, cv };
}

async function trackedBy(headers: Headers, extra: object = {}) {
  const res = await api('POST', '/me/jobs', headers, form(extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; title: string; tracked: boolean };
}

describe('tracking a job from the short form', () => {
  it('creates a private job that its owner reads like a catalogue job, marked tracked', async () => {
    const me = await seeker();
    const job = await trackedBy(me.headers, { url: 'https://jobs.example.test/baker?utm_source=x', remote: true });
    expect(job).toMatchObject({
      title: 'Night Baker',
      company: 'Crumb Fictional Ltd',
      remote: true,
      tracked: true,
      jobType: 'full-time',
      sourceUrl: 'https://jobs.example.test/baker',
    });
    expect((await api('GET', `/me/jobs/${job.id}`, me.headers)).json()).toMatchObject({ id: job.id, tracked: true });
    const detail = await api('GET', `/jobs/${job.id}`, me.headers);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ id: job.id, tracked: true, applied: false, bookmarked: false });
    const [row] = await ctx.database.superuserQuery<{ owner_user_id: string }>(
      'select owner_user_id from jobs where id = $1',
      [job.id],
    );
    expect(row?.owner_user_id).toBe(me.user.id);
  });

  it('lists, changes and deletes only the owner’s tracked jobs, newest first with a keyset cursor', async () => {
    const me = await seeker();
    const ids = [];
    for (const title of ['First', 'Second', 'Third']) ids.push((await trackedBy(me.headers, { title })).id);
    await createJob(ctx.database.db, { title: 'Catalogue job' });
    const first = (await api('GET', '/me/jobs?limit=2', me.headers)).json();
    expect(first.data.map((j: { title: string }) => j.title)).toEqual(['Third', 'Second']);
    const second = (await api('GET', `/me/jobs?limit=2&cursor=${first.nextCursor}`, me.headers)).json();
    expect(second).toMatchObject({ data: [{ title: 'First' }], nextCursor: null });

    const changed = await api('PATCH', `/me/jobs/${ids[0]}`, me.headers, { title: 'First, renamed', salaryMin: 30000 });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ title: 'First, renamed', salaryMin: 30000, salaryYearlyMin: 30000 });
    expect((await api('DELETE', `/me/jobs/${ids[1]}`, me.headers)).statusCode).toBe(204);
    expect((await api('GET', `/me/jobs/${ids[1]}`, me.headers)).statusCode).toBe(404);
    expect((await api('GET', '/me/jobs', me.headers)).json().data).toHaveLength(2);

    const other = await seeker();
    expect((await api('GET', '/me/jobs', other.headers)).json().data).toEqual([]);
    for (const [method, payload] of [['GET'], ['PATCH', { title: 'Mine now' }], ['DELETE']] as const) {
      const res = await api(method, `/me/jobs/${ids[0]}`, other.headers, payload);
      expect(res.statusCode, `${method} ${res.body}`).toBe(404);
      expect(res.json().error.code).toBe('JOB_NOT_FOUND');
    }
    // A catalogue job is not a tracked job, even by its id.
    const catalogue = await createJob(ctx.database.db);
    expect((await api('DELETE', `/me/jobs/${catalogue.id}`, me.headers)).statusCode).toBe(404);
    expect((await api('GET', `/me/jobs/${ids[0]}`, me.headers)).json().title).toBe('First, renamed');
    expect((await api('GET', '/me/jobs')).statusCode).toBe(401);
  });

  it('refuses malformed input with VALIDATION_FAILED', async () => {
    const me = await seeker();
    const bad: object[] = [
      {},
      { title: 'No company' },
      { ...form(), company: '   ' },
      { ...form(), url: 'ftp://jobs.example.test/x' },
      { ...form(), url: 'not a url' },
      { ...form(), ownerUserId: me.user.id },
      { ...form(), source: 'acme' },
      { ...form(), salaryMin: 50000, salaryMax: 40000 },
      { ...form(), salaryMin: -1 },
      { ...form(), title: 'x'.repeat(256) },
      { ...form(), title: 'nul\u0000' },
      { url: 'https://jobs.example.test/x', title: 'Half a form' },
    ];
    for (const payload of bad) {
      const res = await api('POST', '/me/jobs', me.headers, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const job = await trackedBy(me.headers, { salaryMin: 40000 });
    for (const patch of [{}, { salaryMax: 100 }, { company: '' }, { ownerUserId: null }]) {
      const res = await api('PATCH', `/me/jobs/${job.id}`, me.headers, patch);
      expect(res.statusCode, JSON.stringify(patch)).toBe(400);
    }
    expect((await api('GET', '/me/jobs/not-a-uuid', me.headers)).statusCode).toBe(400);
    expect((await api('GET', '/me/jobs?cursor=tampered', me.headers)).statusCode).toBe(400);
  });

  it('keeps one job per address: the same URL again is the job already tracked; a PATCH onto it is 409', async () => {
    const me = await seeker();
    const job = await trackedBy(me.headers, { url: 'https://jobs.example.test/one' });
    const again = await api('POST', '/me/jobs', me.headers, form({ url: 'https://jobs.example.test/one#apply' }));
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(job.id);
    const other = await trackedBy(me.headers, { url: 'https://jobs.example.test/two' });
    const clash = await api('PATCH', `/me/jobs/${other.id}`, me.headers, { url: 'https://jobs.example.test/one' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.code).toBe('TRACKED_JOB_EXISTS');
    // Without an address, two forms are two jobs; another seeker's same address is their own job.
    expect((await trackedBy(me.headers)).id).not.toBe((await trackedBy(me.headers)).id);
    const someoneElse = await seeker();
    expect((await trackedBy(someoneElse.headers, { url: 'https://jobs.example.test/one' })).id).not.toBe(job.id);
  });

  it(`stops at ${MAX_TRACKED_JOBS} tracked jobs with TRACKED_JOB_LIMIT`, async () => {
    const me = await seeker();
    await ctx.database.superuserQuery(
      `insert into jobs (title, company, description, owner_user_id)
       select 'Kept ' || g, 'Fictional', '', $1 from generate_series(1, ${MAX_TRACKED_JOBS}) g`,
      [me.user.id],
    );
    const res = await api('POST', '/me/jobs', me.headers, form());
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('TRACKED_JOB_LIMIT');
  });
});

describe('tracking a job from its page address', () => {
  it('reads the page’s JobPosting through the safe fetch; the same address again is not fetched twice', async () => {
    const me = await seeker();
    fetched = [];
    const res = await api('POST', '/me/jobs', me.headers, { url: `${base}/job?ref=mail` });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      title: 'Lighthouse Keeper',
      company: 'Coastal Fictional Trust',
      jobType: 'part-time',
      tracked: true,
      source: 'manual',
      externalId: null,
      sourceUrl: `${base}/job`,
    });
    expect(res.json().description).toContain('Keep the light burning');
    const again = await api('POST', '/me/jobs', me.headers, { url: `${base}/job` });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(res.json().id);
    expect(fetched).toEqual(['/job?ref=mail']);
    // The posting's identifier is not the catalogue's import key: a second seeker gets their own copy.
    const other = await seeker();
    expect((await api('POST', '/me/jobs', other.headers, { url: `${base}/job` })).statusCode).toBe(201);
  });

  it('answers a page without a JobPosting with JOB_POSTING_NOT_FOUND (use the form), and a refused address with URL_NOT_ALLOWED', async () => {
    const me = await seeker();
    const plain = await api('POST', '/me/jobs', me.headers, { url: `${base}/plain` });
    expect(plain.statusCode).toBe(422);
    expect(plain.json().error).toMatchObject({ code: 'JOB_POSTING_NOT_FOUND', message: expect.stringMatching(/form/) });
    const missing = await api('POST', '/me/jobs', me.headers, { url: `${base}/gone` });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.code).toBe('FETCH_FAILED');

    const port = (server.address() as AddressInfo).port;
    for (const url of [
      `http://127.0.0.2:${port}/job`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/jobs',
      'http://[::1]/jobs',
    ]) {
      const res = await api('POST', '/me/jobs', me.headers, { url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('URL_NOT_ALLOWED');
    }
    const [{ n } = { n: -1 }] = await ctx.database.superuserQuery<{ n: number }>(
      'select count(*)::int as n from jobs where owner_user_id = $1',
      [me.user.id],
    );
    expect(n).toBe(0);
  });
});

describe('a tracked job is invisible to everyone but its owner', () => {
  it('is 404 on the job page, and never in search or facets, even for its owner', async () => {
    const me = await seeker();
    const job = await trackedBy(me.headers, { title: 'Zeppelin Navigator', description: 'Zeppelinish duties.' });
    const other = await signedInUser(ctx.database.db);
    const admin = await signedInAdmin(ctx.database.db);
    for (const headers of [{}, other.headers, admin.headers]) {
      const res = await api('GET', `/jobs/${job.id}`, headers);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('JOB_NOT_FOUND');
    }
    for (const headers of [{}, me.headers, admin.headers]) {
      const search = (await api('GET', '/jobs?q=zeppelin', headers)).json();
      expect(search.data).toEqual([]);
      expect(search.facets.total).toBe(0);
      const newest = (await api('GET', '/jobs?limit=100', headers)).json();
      expect(newest.data.map((j: { id: string }) => j.id)).not.toContain(job.id);
    }
    // The same words in a catalogue job are found: the filter is the owner, not the text.
    await createJob(ctx.database.db, { title: 'Zeppelin Mechanic', description: 'Zeppelin engines.' });
    expect((await api('GET', '/jobs?q=zeppelin')).json().data.map((j: { title: string }) => j.title)).toEqual([
      'Zeppelin Mechanic',
    ]);
  });

  it('cannot be applied to, bookmarked, matched or written about by another user', async () => {
    const me = await seeker();
    const job = await trackedBy(me.headers);
    const other = await seeker();
    const attempts = [
      await api('POST', '/applications', other.headers, { jobId: job.id, cvId: other.cv.id }),
      await api('PUT', `/jobs/${job.id}/bookmark`, other.headers),
      await api('DELETE', `/jobs/${job.id}/bookmark`, other.headers),
      await api('GET', `/jobs/${job.id}/match?cvId=${other.cv.id}`, other.headers),
      await api('POST', '/cover-letters', other.headers, { jobId: job.id, cvId: other.cv.id }),
    ];
    for (const res of attempts) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().error.code).toBe('JOB_NOT_FOUND');
    }
    const rows = await ctx.database.superuserQuery<{ n: number }>(
      `select (select count(*) from applications where job_id = $1)::int
            + (select count(*) from job_bookmarks where job_id = $1)::int
            + (select count(*) from cover_letters where job_id = $1)::int
            + (select count(*) from usage_tracking where user_id = $2)::int as n`,
      [job.id, other.user.id],
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('is not the administrator’s to change or delete through the catalogue routes', async () => {
    const me = await seeker();
    const job = await trackedBy(me.headers);
    const admin = await signedInAdmin(ctx.database.db);
    expect((await api('PATCH', `/jobs/${job.id}`, admin.headers, { title: 'Hijacked' })).statusCode).toBe(404);
    expect((await api('DELETE', `/jobs/${job.id}`, admin.headers)).statusCode).toBe(404);
    expect((await api('GET', `/me/jobs/${job.id}`, me.headers)).json().title).toBe('Night Baker');
  });

  it('cannot be written by SQL in a seeker’s session: the catalogue write guard still admits no one but the administrator context', async () => {
    const me = await seeker();
    const job = await trackedBy(me.headers);
    const attempt = (statement: ReturnType<typeof sql>) =>
      withContext(ctx.database.db, { kind: 'user', userId: me.user.id }, (tx) => tx.execute(statement));
    await expect(
      attempt(sql`insert into jobs (title, company, description, owner_user_id) values ('x', 'y', '', ${me.user.id})`),
    ).rejects.toThrow();
    await expect(attempt(sql`update jobs set title = 'x' where id = ${job.id}`)).rejects.toThrow();
  });
});

describe('applying to a tracked job', () => {
  it('is the usual flow: tracker, stats, plan usage, bookmarks, match and cover letters', async () => {
    const me = await seeker();
    const job = await trackedBy(me.headers);
    const applied = await api('POST', '/applications', me.headers, { jobId: job.id, cvId: me.cv.id });
    expect(applied.statusCode, applied.body).toBe(201);
    expect(applied.json()).toMatchObject({ jobId: job.id, job: { id: job.id, title: 'Night Baker', tracked: true } });
    const list = (await api('GET', '/applications', me.headers)).json();
    expect(list.data).toMatchObject([{ jobId: job.id, job: { tracked: true } }]);
    expect((await api('GET', '/applications/stats', me.headers)).json()).toMatchObject({ total: 1 });
    const usage = rowsOf<{ n: number }>(
      await ctx.database.db.execute(
        sql`select count(*)::int as n from usage_tracking where user_id = ${me.user.id} and action_type = 'job_application'`,
      ),
    );
    expect(usage[0]?.n).toBe(1);
    expect((await api('GET', `/jobs/${job.id}`, me.headers)).json().applied).toBe(true);
    expect((await api('PUT', `/jobs/${job.id}/bookmark`, me.headers)).statusCode).toBe(204);
    expect((await api('GET', '/bookmarks', me.headers)).json().data).toMatchObject([{ jobId: job.id }]);
    expect((await api('GET', `/jobs/${job.id}/match?cvId=${me.cv.id}`, me.headers)).statusCode).toBe(200);
    const letter = await api('POST', '/cover-letters', me.headers, { jobId: job.id, cvId: me.cv.id });
    expect(letter.statusCode, letter.body).toBe(201);
  });

  it('counts against the plan’s job_application allowance like any application', async () => {
    const me = await seeker();
    const job = await trackedBy(me.headers);
    const limit = planLimit(DEFAULT_PLAN_RULES, 'Free', 'job_application') as number;
    await ctx.database.db
      .insert(usageTracking)
      .values(Array.from({ length: limit }, () => ({ userId: me.user.id, actionType: 'job_application' })));
    const res = await api('POST', '/applications', me.headers, { jobId: job.id, cvId: me.cv.id });
    expect(res.statusCode).toBe(429);
    expect(res.json().error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { action: 'job_application' } });
  });
});

describe('the account', () => {
  it('exports its tracked jobs and takes them (and their applications) when it is deleted', async () => {
    const me = await seeker();
    const job = await trackedBy(me.headers);
    expect((await api('POST', '/applications', me.headers, { jobId: job.id, cvId: me.cv.id })).statusCode).toBe(201);
    const data = await withContext(ctx.database.db, systemActor, (tx) => collectUserData(tx, me.user.id));
    expect(data.tracked_jobs).toMatchObject([{ id: job.id, title: 'Night Baker', owner_user_id: me.user.id }]);
    expect(data.tracked_jobs?.[0]).not.toHaveProperty('search_vector');
    expect(data.applications).toMatchObject([{ job_id: job.id }]);

    const deleted = await api('DELETE', '/me', me.headers, { confirm: 'DELETE' });
    expect(deleted.statusCode, deleted.body).toBe(204);
    const left = await ctx.database.superuserQuery<{ n: number }>(
      'select (select count(*) from jobs where id = $1)::int + (select count(*) from applications where job_id = $1)::int as n',
      [job.id],
    );
    expect(left[0]?.n).toBe(0);
  });
});
