/** The job catalogue through HTTP: who may write, every validation rule, reading one job, bookmarks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys } from '../../src/db/schema/index.ts';
import { generateApiKey } from '../../src/lib/tokens.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInAdmin, signedInUser } from '../helpers/auth.ts';
import { createApplication, createJob } from '../helpers/factories.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

const validJob = {
  title: 'Backend Engineer',
  company: 'Fictional Freight Ltd',
  location: 'Pune, India',
  remote: false,
  salaryMin: 12,
  salaryMax: 18,
  salaryCurrency: 'INR',
  salaryPeriod: 'monthly',
  experienceLevel: 'mid',
  jobType: 'full-time',
  description: 'Design and run the services that route our trucks. You will own APIs end to end.',
  requirements: ['Node.js', 'PostgreSQL', 'JS', 'Node.js'],
};

async function apiKeyFor(userId: string, permissions: string[]) {
  const { key, prefix, hash } = generateApiKey();
  await ctx.database.db.insert(apiKeys).values({ userId, name: 'test', permissions, keyHash: hash, prefix });
  return { authorization: `Bearer ${key}` };
}

const post = (headers: Record<string, string>, payload: unknown) =>
  ctx.app.inject({ method: 'POST', url: '/api/v1/jobs', headers, payload: payload as object });

describe('creating jobs', () => {
  it('lets an administrator create a job, normalising skills and the yearly salary', async () => {
    const admin = await signedInAdmin(ctx.database.db);
    const res = await post(admin.headers, validJob);
    expect(res.statusCode).toBe(201);
    const job = res.json();
    expect(job).toMatchObject({
      title: 'Backend Engineer',
      salaryMin: 12,
      salaryMax: 18,
      salaryYearlyMin: 144,
      salaryYearlyMax: 216,
      salaryCurrency: 'INR',
      requirements: ['Node.js', 'PostgreSQL', 'JS'],
      skills: ['node.js', 'postgresql', 'javascript'],
      source: 'manual',
      externalId: null,
    });
    expect(job).not.toHaveProperty('searchVector');
  });

  it('applies the documented defaults', async () => {
    const admin = await signedInAdmin(ctx.database.db);
    const res = await post(admin.headers, { title: 'Nurse', company: 'Clinic', description: 'Night shifts.' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      remote: false,
      jobType: 'full-time',
      salaryCurrency: 'USD',
      salaryPeriod: 'yearly',
      experienceLevel: null,
      requirements: [],
    });
  });

  it('refuses ordinary users (403), anonymous callers (401) and API keys without jobs:write (403)', async () => {
    const user = await signedInUser(ctx.database.db);
    expect((await post(user.headers, validJob)).statusCode).toBe(403);
    expect((await post({}, validJob)).statusCode).toBe(401);

    const admin = await signedInAdmin(ctx.database.db);
    const readOnly = await apiKeyFor(admin.user.id, ['jobs:read']);
    const refused = await post(readOnly, validJob);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.details).toEqual({ requiredScope: 'jobs:write' });

    const writer = await apiKeyFor(admin.user.id, ['jobs:write']);
    expect((await post(writer, validJob)).statusCode).toBe(201);
    // A jobs:write key does not turn an ordinary user into an administrator.
    const userKey = await apiKeyFor(user.user.id, ['jobs:write']);
    expect((await post(userKey, validJob)).statusCode).toBe(403);
  });

  it.each([
    ['a missing title', { title: undefined }, 'body.title'],
    ['an empty title', { title: '   ' }, 'body.title'],
    ['a title over 255 characters', { title: 'x'.repeat(256) }, 'body.title'],
    ['a company over 255 characters', { company: 'x'.repeat(256) }, 'body.company'],
    ['a missing description', { description: undefined }, 'body.description'],
    ['salaryMax below salaryMin', { salaryMin: 20, salaryMax: 10 }, 'body.salaryMax'],
    ['a negative salary', { salaryMin: -1 }, 'body.salaryMin'],
    ['a fractional salary', { salaryMin: 1.5 }, 'body.salaryMin'],
    ['a salary beyond an integer', { salaryMax: 3_000_000_000 }, 'body.salaryMax'],
    [
      'an hourly salary too large once yearly',
      { salaryPeriod: 'hourly', salaryMin: 1, salaryMax: 2_000_000 },
      'body.salaryMax',
    ],
    ['an unknown experience level', { experienceLevel: 'guru' }, 'body.experienceLevel'],
    ['an unknown job type', { jobType: 'gig' }, 'body.jobType'],
    ['an unknown currency', { salaryCurrency: 'JPY' }, 'body.salaryCurrency'],
    ['an unknown salary period', { salaryPeriod: 'weekly' }, 'body.salaryPeriod'],
    ['a requirement that is not a string', { requirements: [42] }, 'body.requirements.0'],
    [
      'more than 100 requirements',
      { requirements: Array.from({ length: 101 }, (_, i) => `s${i}`) },
      'body.requirements',
    ],
    ['a NUL character', { title: 'Bad\u0000title' }, 'body.title'],
    ['a javascript: source URL', { sourceUrl: 'javascript:alert(1)' }, 'body.sourceUrl'],
    ['an unknown field', { salary: 10 }, 'body'],
    ['a malformed category id', { categoryId: 'nope' }, 'body.categoryId'],
  ])('refuses %s with 400 naming the field', async (_name, change, path) => {
    const admin = await signedInAdmin(ctx.database.db);
    const res = await post(admin.headers, { ...validJob, ...change });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('refuses an unknown category with 400, not a 500', async () => {
    const admin = await signedInAdmin(ctx.database.db);
    const res = await post(admin.headers, { ...validJob, categoryId: '00000000-0000-4000-8000-000000000000' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.categoryId');
  });

  it('refuses a second job with the same source and external id with 409', async () => {
    const admin = await signedInAdmin(ctx.database.db);
    const sourced = { ...validJob, source: 'acme-ats', externalId: 'REQ-1' };
    expect((await post(admin.headers, sourced)).statusCode).toBe(201);
    const again = await post(admin.headers, sourced);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('JOB_SOURCE_CONFLICT');
  });
});

describe('changing and deleting jobs', () => {
  it('updates fields, re-derives skills and the yearly salary, and checks the merged salary range', async () => {
    const admin = await signedInAdmin(ctx.database.db);
    const created = (await post(admin.headers, validJob)).json();
    const patch = (payload: object) =>
      ctx.app.inject({ method: 'PATCH', url: `/api/v1/jobs/${created.id}`, headers: admin.headers, payload });

    const res = await patch({ salaryPeriod: 'yearly', requirements: ['k8s', 'Go'] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ salaryYearlyMin: 12, salaryYearlyMax: 18, skills: ['kubernetes', 'go'] });

    const bad = await patch({ salaryMin: 100 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('body.salaryMax');
    expect((await patch({})).statusCode).toBe(400);
  });

  it('answers 404 for a job that does not exist, and 400 for a malformed id', async () => {
    const admin = await signedInAdmin(ctx.database.db);
    const missing = '00000000-0000-4000-8000-000000000000';
    const patch = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/jobs/${missing}`,
      headers: admin.headers,
      payload: { title: 'x' },
    });
    expect(patch.statusCode).toBe(404);
    expect(patch.json().error.code).toBe('JOB_NOT_FOUND');
    expect(
      (await ctx.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${missing}`, headers: admin.headers })).statusCode,
    ).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/jobs/not-a-uuid' })).statusCode).toBe(400);
  });

  it('deletes a job with its applications and bookmarks; ordinary users cannot', async () => {
    const admin = await signedInAdmin(ctx.database.db);
    const user = await signedInUser(ctx.database.db);
    const job = await createJob(ctx.database.db);
    await createApplication(ctx.database.db, { jobId: job.id, userId: user.user.id });
    await ctx.app.inject({ method: 'PUT', url: `/api/v1/jobs/${job.id}/bookmark`, headers: user.headers });

    expect(
      (await ctx.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${job.id}`, headers: user.headers })).statusCode,
    ).toBe(403);
    expect(
      (await ctx.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${job.id}`, headers: admin.headers })).statusCode,
    ).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}` })).statusCode).toBe(404);
    const left = await ctx.database.superuserQuery<{ n: number }>(
      `select (select count(*) from applications where job_id = $1)::int + (select count(*) from job_bookmarks where job_id = $1)::int as n`,
      [job.id],
    );
    expect(left[0]?.n).toBe(0);
  });

  it('keeps ordinary users from writing jobs in SQL too (the write guard)', async () => {
    const user = await signedInUser(ctx.database.db);
    const job = await createJob(ctx.database.db, { title: 'Untouched' });
    const { withContext } = await import('../../src/db/context.ts');
    const { jobs, jobCategories } = await import('../../src/db/schema/index.ts');
    const { eq } = await import('drizzle-orm');
    const asUser = <T>(fn: Parameters<typeof withContext<T>>[2]) =>
      withContext(ctx.database.db, { kind: 'user', userId: user.user.id }, fn);
    await expect(
      asUser((tx) => tx.update(jobs).set({ title: 'Hijacked' }).where(eq(jobs.id, job.id))),
    ).rejects.toThrow();
    await expect(asUser((tx) => tx.delete(jobs).where(eq(jobs.id, job.id)))).rejects.toThrow();
    await expect(
      asUser((tx) => tx.insert(jobs).values({ title: 'Fake', company: 'Fake', description: 'Fake' })),
    ).rejects.toThrow();
    await expect(asUser((tx) => tx.insert(jobCategories).values({ name: 'Fake' }))).rejects.toThrow();
    // Reading stays open to everyone, and the administrator context may write.
    expect(await asUser((tx) => tx.select({ title: jobs.title }).from(jobs).where(eq(jobs.id, job.id)))).toEqual([
      { title: 'Untouched' },
    ]);
    await withContext(ctx.database.db, { kind: 'admin', userId: null }, (tx) =>
      tx.update(jobs).set({ title: 'Renamed' }).where(eq(jobs.id, job.id)),
    );
  });
});

describe('reading one job', () => {
  it('counts applications without the withdrawn or deleted ones, and tells a signed-in user what they did', async () => {
    const job = await createJob(ctx.database.db);
    const me = await signedInUser(ctx.database.db);
    await createApplication(ctx.database.db, { jobId: job.id, userId: me.user.id });
    await createApplication(ctx.database.db, { jobId: job.id });
    await createApplication(ctx.database.db, { jobId: job.id, status: 'withdrawn' });
    await createApplication(ctx.database.db, { jobId: job.id, deletedAt: new Date() });

    const anonymous = await ctx.app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}` });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toMatchObject({ id: job.id, applicationCount: 2, bookmarked: null, applied: null });

    await ctx.app.inject({ method: 'PUT', url: `/api/v1/jobs/${job.id}/bookmark`, headers: me.headers });
    const mine = await ctx.app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}`, headers: me.headers });
    expect(mine.json()).toMatchObject({ applicationCount: 2, bookmarked: true, applied: true });

    const other = await signedInUser(ctx.database.db);
    const theirs = await ctx.app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}`, headers: other.headers });
    expect(theirs.json()).toMatchObject({ applicationCount: 2, bookmarked: false, applied: false });
  });

  it("writes the anonymous job page (JSON built by the database) exactly as the signed-in one (the API's serializer)", async () => {
    // Every kind of value: nulls, an HTML description, arrays with quotes and non-ASCII text, a stale
    // imported posting, timestamps with microseconds (the API writes milliseconds, as Date does).
    const micro = await ctx.database.superuserQuery<{ t: string }>(
      `select (now() - interval '40 days 3 hours' + interval '0.123456 seconds')::text as t`,
    );
    const variants = [
      await createJob(ctx.database.db),
      await createJob(ctx.database.db, {
        title: 'Ingénieur "données" \\ <b> 日本',
        location: null,
        salaryMin: 50_000,
        salaryMax: null,
        salaryYearlyMin: 50_000,
        experienceLevel: 'senior',
        requirements: ['C++', 'SQL "advanced"', 'Gestión'],
        skills: ['c++', 'sql'],
        description: 'Line one\nline two\ttab \u2028 end',
        descriptionHtml: '<p>Line one</p><ul><li>two</li></ul>',
        source: 'import',
        externalId: 'ext-1',
        sourceUrl: 'https://example.com/jobs/1?a=b&c=d',
        lastSeenAt: new Date(micro[0]?.t as string),
        postedDate: new Date(micro[0]?.t as string),
      }),
    ];
    await ctx.database.superuserQuery(
      `update jobs set first_seen_at = '${micro[0]?.t}' where id = '${variants[1]?.id}'`,
    );
    const someone = await signedInUser(ctx.database.db);
    for (const job of variants) {
      const anonymous = await ctx.app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}` });
      expect(anonymous.statusCode).toBe(200);
      expect(anonymous.headers['content-type']).toBe('application/json; charset=utf-8');
      const signedIn = await ctx.app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}`, headers: someone.headers });
      expect(anonymous.json()).toEqual({ ...signedIn.json(), bookmarked: null, applied: null });
      expect(Object.keys(anonymous.json()).sort()).toEqual(Object.keys(signedIn.json()).sort());
    }
    const stale = (await ctx.app.inject({ method: 'GET', url: `/api/v1/jobs/${variants[1]?.id}` })).json();
    expect(stale).toMatchObject({ stale: true, location: null, salaryMax: null, tracked: false });
    expect(stale.firstSeenAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(stale.title).toBe('Ingénieur "données" \\ <b> 日本');
  });

  it('lets an API key read only with jobs:read', async () => {
    const job = await createJob(ctx.database.db);
    const owner = await signedInUser(ctx.database.db, { plan: 'Premium' });
    const cvsOnly = await apiKeyFor(owner.user.id, ['cvs:read']);
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}`, headers: cvsOnly });
    expect(res.statusCode).toBe(403);
    const reader = await apiKeyFor(owner.user.id, ['jobs:read']);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}`, headers: reader })).statusCode).toBe(
      200,
    );
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/jobs', headers: cvsOnly })).statusCode).toBe(403);
  });
});

describe('stale postings', () => {
  it('flags an imported posting its source has not listed for 30 days, and never a manual one', async () => {
    const old = new Date(Date.now() - 40 * 86_400_000);
    const gone = await createJob(ctx.database.db, {
      title: 'Stale feed job',
      source: 'feed',
      externalId: 's-1',
      lastSeenAt: old,
    });
    const fresh = await createJob(ctx.database.db, { title: 'Fresh feed job', source: 'feed', externalId: 's-2' });
    const manual = await createJob(ctx.database.db, { title: 'Old manual job', lastSeenAt: old });
    const stale = async (id: string) =>
      (await ctx.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}` })).json().stale;
    expect([await stale(gone.id), await stale(fresh.id), await stale(manual.id)]).toEqual([true, false, false]);
    const hits = (await ctx.app.inject({ method: 'GET', url: '/api/v1/jobs?q=stale%20feed' })).json().data;
    expect(hits.find((h: { id: string }) => h.id === gone.id)?.stale).toBe(true);
  });
});

describe('bookmarks', () => {
  it('bookmarks idempotently, lists newest first with job summaries, and removes idempotently', async () => {
    const me = await signedInUser(ctx.database.db);
    const first = await createJob(ctx.database.db, { title: 'First' });
    const second = await createJob(ctx.database.db, { title: 'Second' });
    const put = (id: string) =>
      ctx.app.inject({ method: 'PUT', url: `/api/v1/jobs/${id}/bookmark`, headers: me.headers });
    expect((await put(first.id)).statusCode).toBe(204);
    expect((await put(first.id)).statusCode).toBe(204);
    expect((await put(second.id)).statusCode).toBe(204);

    const list = await ctx.app.inject({ method: 'GET', url: '/api/v1/bookmarks', headers: me.headers });
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((b: { job: { title: string } }) => b.job.title)).toEqual(['Second', 'First']);

    const remove = (id: string) =>
      ctx.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${id}/bookmark`, headers: me.headers });
    expect((await remove(first.id)).statusCode).toBe(204);
    expect((await remove(first.id)).statusCode).toBe(204);
    const after = await ctx.app.inject({ method: 'GET', url: '/api/v1/bookmarks', headers: me.headers });
    expect(after.json().data.map((b: { jobId: string }) => b.jobId)).toEqual([second.id]);
  });

  it('answers 404 for an unknown job and 401 without a user', async () => {
    const me = await signedInUser(ctx.database.db);
    const missing = '00000000-0000-4000-8000-000000000000';
    const res = await ctx.app.inject({ method: 'PUT', url: `/api/v1/jobs/${missing}/bookmark`, headers: me.headers });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('JOB_NOT_FOUND');
    const job = await createJob(ctx.database.db);
    expect((await ctx.app.inject({ method: 'PUT', url: `/api/v1/jobs/${job.id}/bookmark` })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/bookmarks' })).statusCode).toBe(401);
  });

  it('keeps each user’s bookmarks invisible to others, in the API and in SQL', async () => {
    const alice = await signedInUser(ctx.database.db);
    const bob = await signedInUser(ctx.database.db);
    const job = await createJob(ctx.database.db);
    await ctx.app.inject({ method: 'PUT', url: `/api/v1/jobs/${job.id}/bookmark`, headers: alice.headers });

    const bobs = await ctx.app.inject({ method: 'GET', url: '/api/v1/bookmarks', headers: bob.headers });
    expect(bobs.json().data).toEqual([]);
    // Bob removing "his" bookmark of the job leaves Alice's alone.
    await ctx.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${job.id}/bookmark`, headers: bob.headers });
    const alices = await ctx.app.inject({ method: 'GET', url: '/api/v1/bookmarks', headers: alice.headers });
    expect(alices.json().data).toHaveLength(1);

    const { withContext } = await import('../../src/db/context.ts');
    const { sql } = await import('drizzle-orm');
    const { rowsOf } = await import('../../src/db/client.ts');
    const seen = await withContext(ctx.database.db, { kind: 'user', userId: bob.user.id }, async (tx) =>
      rowsOf(await tx.execute(sql`select * from job_bookmarks where user_id = ${alice.user.id}`)),
    );
    expect(seen).toEqual([]);
  });

  it('pages through bookmarks without gaps or repeats', async () => {
    const me = await signedInUser(ctx.database.db);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const job = await createJob(ctx.database.db, { title: `Job ${i}` });
      ids.push(job.id);
      await ctx.app.inject({ method: 'PUT', url: `/api/v1/jobs/${job.id}/bookmark`, headers: me.headers });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/bookmarks?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await ctx.app.inject({ method: 'GET', url, headers: me.headers })).json();
      seen.push(...page.data.map((b: { jobId: string }) => b.jobId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const bad = await ctx.app.inject({ method: 'GET', url: '/api/v1/bookmarks?cursor=garbage', headers: me.headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_CURSOR');
  });
});
