/** Applications through HTTP: applying, every workflow transition by every kind of actor, history, listing, stats, soft delete, archival. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.ts';
import { withContext } from '../../src/db/context.ts';
import { APPLICATION_STATUSES, apiKeys } from '../../src/db/schema/index.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { generateApiKey } from '../../src/lib/tokens.ts';
import { NEXT_STATUSES } from '../../src/modules/applications/workflow.ts';
import { archiveTask } from '../../src/tasks/archive.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInAdmin, signedInUser } from '../helpers/auth.ts';
import { createCv, createJob } from '../helpers/factories.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

type Headers = Record<string, string>;
const applyAs = (headers: Headers, payload: object) =>
  ctx.app.inject({ method: 'POST', url: '/api/v1/applications', headers, payload });
const move = (headers: Headers, id: string, payload: object) =>
  ctx.app.inject({ method: 'PATCH', url: `/api/v1/applications/${id}/status`, headers, payload });

async function applicant() {
  const user = await signedInUser(ctx.database.db);
  const cv = await createCv(ctx.database.db, { userId: user.user.id });
  return { ...user, cv };
}

async function freshApplication() {
  const me = await applicant();
  const job = await createJob(ctx.database.db);
  const res = await applyAs(me.headers, { jobId: job.id, cvId: me.cv.id, coverLetter: 'I would love to.' });
  expect(res.statusCode, res.body).toBe(201);
  return { me, job, application: res.json() };
}

async function keyFor(userId: string, permissions: string[]) {
  const { key, prefix, hash } = generateApiKey();
  await ctx.database.db.insert(apiKeys).values({ userId, name: 'k', permissions, keyHash: hash, prefix });
  return { authorization: `Bearer ${key}` };
}

describe('applying', () => {
  it('creates the application, its first history row and a usage row together', async () => {
    const { me, job, application } = await freshApplication();
    expect(application).toMatchObject({
      jobId: job.id,
      cvId: me.cv.id,
      status: 'submitted',
      coverLetter: 'I would love to.',
      archived: false,
      job: { id: job.id, title: job.title },
    });
    expect(application.history).toEqual([{ status: 'submitted', notes: null, at: expect.any(String) }]);
    const usage = await ctx.database.superuserQuery<{ action_type: string }>(
      'select action_type from usage_tracking where user_id = $1',
      [me.user.id],
    );
    expect(usage).toEqual([{ action_type: 'job_application' }]);
  });

  it('refuses a second application to the same job with 409, also when ten race', async () => {
    const me = await applicant();
    const job = await createJob(ctx.database.db);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => applyAs(me.headers, { jobId: job.id, cvId: me.cv.id })),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    expect(results.find((r) => r.statusCode === 409)?.json().error.code).toBe('APPLICATION_EXISTS');
    const [count] = await ctx.database.superuserQuery<{ n: number }>(
      'select count(*)::int as n from application_status_history h join applications a on a.id = h.application_id where a.job_id = $1',
      [job.id],
    );
    expect(count?.n).toBe(1);
  });

  it('refuses another user’s CV, an unknown job and bad input', async () => {
    const me = await applicant();
    const other = await applicant();
    const job = await createJob(ctx.database.db);
    const theirs = await applyAs(me.headers, { jobId: job.id, cvId: other.cv.id });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().error.code).toBe('CV_NOT_FOUND');
    const noJob = await applyAs(me.headers, { jobId: '00000000-0000-4000-8000-000000000000', cvId: me.cv.id });
    expect(noJob.json().error.code).toBe('JOB_NOT_FOUND');
    for (const body of [
      { cvId: me.cv.id },
      { jobId: 'nope', cvId: me.cv.id },
      { jobId: job.id, cvId: me.cv.id, coverLetter: 'x'.repeat(20_001) },
      { jobId: job.id, cvId: me.cv.id, status: 'accepted' },
      { jobId: job.id, cvId: me.cv.id, customMessage: 'a\u0000b' },
    ]) {
      expect((await applyAs(me.headers, body)).statusCode, JSON.stringify(body).slice(0, 60)).toBe(400);
    }
    expect((await applyAs({}, { jobId: job.id, cvId: me.cv.id })).statusCode).toBe(401);
  });
});

describe('the status workflow', () => {
  async function applicationIn(status: string) {
    const fresh = await freshApplication();
    if (status !== 'submitted')
      await ctx.database.superuserQuery('update applications set status = $1 where id = $2', [
        status,
        fresh.application.id,
      ]);
    return fresh;
  }

  const pairs = APPLICATION_STATUSES.flatMap((from) => APPLICATION_STATUSES.map((to) => [from, to] as const));

  const actors = ['applicant', 'administrator', "applicant's API key"] as const;
  const cases = actors.flatMap((actor) => pairs.map(([from, to]) => [actor, from, to] as const));

  it.each(cases)('%s: %s -> %s is allowed exactly when the workflow says so', async (actor, from, to) => {
    const { me, application } = await applicationIn(from);
    const headers =
      actor === 'applicant'
        ? me.headers
        : actor === 'administrator'
          ? (await signedInAdmin(ctx.database.db)).headers
          : await keyFor(me.user.id, ['applications:write', 'applications:read']);
    const res = await move(headers, application.id, { status: to });
    // Withdrawn moves back only to where it came from (the undo, tested in the tracker suite).
    const allowed = from === 'withdrawn' ? ['submitted'] : NEXT_STATUSES[from];
    if (allowed.includes(to)) {
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().status).toBe(to);
    } else {
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({
        code: 'INVALID_STATUS_TRANSITION',
        details: { from, to, allowed },
      });
    }
  });

  it('lets administrators and keys with applications:write move anyone’s application; others see nothing', async () => {
    const { me, application } = await freshApplication();
    const admin = await signedInAdmin(ctx.database.db);
    expect((await move(admin.headers, application.id, { status: 'reviewing' })).statusCode).toBe(200);
    const adminKey = await keyFor(admin.user.id, ['applications:write']);
    expect((await move(adminKey, application.id, { status: 'interview' })).statusCode).toBe(200);

    const stranger = await signedInUser(ctx.database.db);
    const hidden = await move(stranger.headers, application.id, { status: 'rejected' });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().error.code).toBe('APPLICATION_NOT_FOUND');
    const readOnly = await keyFor(me.user.id, ['applications:read']);
    expect((await move(readOnly, application.id, { status: 'withdrawn' })).statusCode).toBe(403);
    const ownKey = await keyFor(me.user.id, ['applications:write']);
    expect((await move(ownKey, application.id, { status: 'withdrawn' })).statusCode).toBe(200);
  });

  it('records every change in the history, with notes, and bumps updated_at — also a change made in SQL', async () => {
    const { me, application } = await freshApplication();
    await move(me.headers, application.id, { status: 'reviewing' });
    await move(me.headers, application.id, { status: 'interview', notes: 'Panel on Tuesday' });
    await withContext(ctx.database.db, { kind: 'admin', userId: null }, (tx) =>
      tx.execute(sql`update applications set status = 'accepted' where id = ${application.id}`),
    );
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/applications/${application.id}`,
      headers: me.headers,
    });
    const detail = res.json();
    expect(detail.history.map((h: { status: string }) => h.status)).toEqual([
      'submitted',
      'reviewing',
      'interview',
      'accepted',
    ]);
    expect(detail.history[2].notes).toBe('Panel on Tuesday');
    expect(new Date(detail.updatedAt).getTime()).toBeGreaterThan(new Date(application.updatedAt).getTime());
  });

  it('refuses unknown statuses and malformed ids with 400', async () => {
    const { me, application } = await freshApplication();
    expect((await move(me.headers, application.id, { status: 'hired' })).statusCode).toBe(400);
    expect((await move(me.headers, 'nope', { status: 'reviewing' })).statusCode).toBe(400);
  });
});

describe('listing and reading', () => {
  it('shows users only their own; pages on (submitted_at, id) without gaps or repeats; filters by status', async () => {
    const me = await applicant();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const job = await createJob(ctx.database.db);
      ids.push((await applyAs(me.headers, { jobId: job.id, cvId: me.cv.id })).json().id);
    }
    await move(me.headers, ids[0] as string, { status: 'withdrawn' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/applications?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await ctx.app.inject({ method: 'GET', url, headers: me.headers })).json();
      seen.push(...page.data.map((a: { id: string }) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const withdrawn = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/applications?status=withdrawn',
      headers: me.headers,
    });
    expect(withdrawn.json().data.map((a: { id: string }) => a.id)).toEqual([ids[0]]);
    const other = await applicant();
    expect(
      (await ctx.app.inject({ method: 'GET', url: '/api/v1/applications', headers: other.headers })).json().data,
    ).toEqual([]);
  });

  it('lets administrators list everyone’s, filtered by job and user', async () => {
    const { me, job, application } = await freshApplication();
    const admin = await signedInAdmin(ctx.database.db);
    const byJob = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/applications?jobId=${job.id}`,
      headers: admin.headers,
    });
    expect(byJob.json().data.map((a: { id: string }) => a.id)).toEqual([application.id]);
    const byUser = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/applications?userId=${me.user.id}`,
      headers: admin.headers,
    });
    expect(byUser.json().data.map((a: { id: string }) => a.id)).toEqual([application.id]);
  });

  it('hides an application from other users: 404 through the API, no row in SQL', async () => {
    const { application } = await freshApplication();
    const other = await signedInUser(ctx.database.db);
    for (const [method, url] of [
      ['GET', `/api/v1/applications/${application.id}`],
      ['DELETE', `/api/v1/applications/${application.id}`],
    ] as const) {
      expect((await ctx.app.inject({ method, url, headers: other.headers })).statusCode).toBe(404);
    }
    const rows = await withContext(ctx.database.db, { kind: 'user', userId: other.user.id }, async (tx) => [
      ...rowsOf(await tx.execute(sql`select id from applications where id = ${application.id}`)),
      ...rowsOf(
        await tx.execute(sql`select id from application_status_history where application_id = ${application.id}`),
      ),
    ]);
    expect(rows).toEqual([]);
  });
});

describe('soft delete', () => {
  it('keeps the row but never shows it again: not readable, listed, counted or deletable twice', async () => {
    const { me, job, application } = await freshApplication();
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/applications/${application.id}`,
      headers: me.headers,
    });
    expect(del.statusCode).toBe(204);
    expect(
      (await ctx.app.inject({ method: 'GET', url: `/api/v1/applications/${application.id}`, headers: me.headers }))
        .statusCode,
    ).toBe(404);
    expect(
      (await ctx.app.inject({ method: 'GET', url: '/api/v1/applications', headers: me.headers })).json().data,
    ).toEqual([]);
    expect(
      (await ctx.app.inject({ method: 'GET', url: '/api/v1/applications/stats', headers: me.headers })).json().total,
    ).toBe(0);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}` })).json().applicationCount).toBe(0);
    expect(
      (await ctx.app.inject({ method: 'DELETE', url: `/api/v1/applications/${application.id}`, headers: me.headers }))
        .statusCode,
    ).toBe(404);
    const [row] = await ctx.database.superuserQuery<{ deleted_at: Date | null }>(
      'select deleted_at from applications where id = $1',
      [application.id],
    );
    expect(row?.deleted_at).not.toBeNull();
  });
});

describe('statistics', () => {
  it('counts per status, the response rate and the median days to a first response', async () => {
    const me = await applicant();
    const made: string[] = [];
    for (let i = 0; i < 4; i++) {
      const job = await createJob(ctx.database.db);
      made.push((await applyAs(me.headers, { jobId: job.id, cvId: me.cv.id })).json().id);
    }
    // Two heard back, after 2 and 4 days; one withdrew; one is still waiting.
    await move(me.headers, made[0] as string, { status: 'reviewing' });
    await move(me.headers, made[1] as string, { status: 'reviewing' });
    await move(me.headers, made[2] as string, { status: 'withdrawn' });
    for (const [id, days] of [
      [made[0], 2],
      [made[1], 4],
    ] as const) {
      await ctx.database.superuserQuery(
        "update application_status_history h set created_at = a.submitted_at + make_interval(days => $2) from applications a where a.id = h.application_id and a.id = $1 and h.status = 'reviewing'",
        [id, days],
      );
    }
    const stats = (
      await ctx.app.inject({ method: 'GET', url: '/api/v1/applications/stats', headers: me.headers })
    ).json();
    expect(stats).toMatchObject({
      total: 4,
      byStatus: { submitted: 1, reviewing: 2, withdrawn: 1, interview: 0, accepted: 0, rejected: 0 },
      responseRate: 0.5,
    });
    expect(stats.medianDaysToFirstResponse).toBeCloseTo(3, 5);
    const empty = await signedInUser(ctx.database.db);
    expect(
      (await ctx.app.inject({ method: 'GET', url: '/api/v1/applications/stats', headers: empty.headers })).json(),
    ).toMatchObject({
      total: 0,
      responseRate: null,
      medianDaysToFirstResponse: null,
    });
  });
});

describe('archival', () => {
  it('moves old finished applications with their history, keeps them readable, and is idempotent', async () => {
    const old = await freshApplication();
    await move(old.me.headers, old.application.id, { status: 'reviewing' });
    await move(old.me.headers, old.application.id, { status: 'interview' });
    await move(old.me.headers, old.application.id, { status: 'rejected', notes: 'Position filled' });
    const recent = await freshApplication();
    await ctx.database.superuserQuery("update applications set status = 'accepted' where id = $1", [
      recent.application.id,
    ]);
    const active = await freshApplication();
    // The finished one was last touched two years ago; so was the active one (but it is not finished).
    // (The updated_at trigger would stamp now(): switch it off for this backdating.)
    await ctx.database.superuserQuery('alter table applications disable trigger update_applications_updated_at');
    await ctx.database.superuserQuery(
      "update applications set updated_at = now() - interval '2 years' where id in ($1, $2)",
      [old.application.id, active.application.id],
    );
    await ctx.database.superuserQuery('alter table applications enable trigger update_applications_updated_at');

    const run = () =>
      archiveTask.run({
        db: ctx.database.db,
        config: ctx.config,
        logger: createLogger({ logLevel: 'silent', env: 'test' }),
        now: new Date(),
      });
    expect(await run()).toEqual({ archived: 1 });
    expect(await run()).toEqual({ archived: 0 });

    const detail = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/applications/${old.application.id}`,
      headers: old.me.headers,
    });
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ archived: true, status: 'rejected' });
    expect(detail.json().history.map((h: { status: string }) => h.status)).toEqual([
      'submitted',
      'reviewing',
      'interview',
      'rejected',
    ]);
    expect(detail.json().history[3].notes).toBe('Position filled');
    const live = await ctx.database.superuserQuery('select id from applications where id = $1', [old.application.id]);
    expect(live).toEqual([]);
    for (const untouched of [recent, active]) {
      expect(
        (
          await ctx.app.inject({
            method: 'GET',
            url: `/api/v1/applications/${untouched.application.id}`,
            headers: untouched.me.headers,
          })
        ).json().archived,
      ).toBe(false);
    }
    const stranger = await signedInUser(ctx.database.db);
    expect(
      (
        await ctx.app.inject({
          method: 'GET',
          url: `/api/v1/applications/${old.application.id}`,
          headers: stranger.headers,
        })
      ).statusCode,
    ).toBe(404);
  });
});
