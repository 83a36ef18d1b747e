/**
 * Cover letters: grounded template letters (201, at once), CRUD and attach, ownership, quotas; and letters
 * a fake OpenAI-compatible model writes through the queue (202 pending, then the task), inventing facts.
 */
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.ts';
import { usageTracking } from '../../src/db/schema/index.ts';
import { coverLetterSweepTask, coverLetterTask } from '../../src/modules/match/cover-letter.task.ts';
import { type QueuedLetter, TASK_GAVE_UP } from '../../src/modules/match/cover-letters.service.ts';
import { DEFAULT_PLAN_RULES, planLimit } from '../../src/modules/plans/plans.ts';
import { startQueue } from '../../src/tasks/queue.ts';
import { createTestApp, type TestContext, testConfig } from '../helpers/app.ts';
import { signedInUser } from '../helpers/auth.ts';
import { transactionOpen } from '../helpers/db.ts';
import { createApplication, createJob, createParsedCv } from '../helpers/factories.ts';
import { type FakeLlm, startFakeLlm } from '../helpers/fake-llm.ts';
import { jobCounts, workQueue as workJobs } from '../helpers/queue.ts';

type Ctx = TestContext & { close(): Promise<void> };
let plain: Ctx;
let withLlm: Ctx;
let llm: FakeLlm;
beforeAll(async () => {
  llm = await startFakeLlm();
  plain = await createTestApp();
  // 2 s: long enough that a loaded CI machine does not turn a model answer into a time-out (the fake's
  // 'slow' mode never answers, so only that test waits for it).
  withLlm = await createTestApp({
    env: { LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: 'sk-test-secret', LLM_MODEL: 'fake', LLM_TIMEOUT_MS: '2000' },
  });
});
afterAll(async () => {
  await plain?.close();
  await withLlm?.close();
  await llm?.close();
});

type Headers = Record<string, string>;
const call = (ctx: Ctx, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Headers, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

const CV_TEXT = `Robin Example
Frontend Developer

Experience
Frontend Developer, Initech, Mar 2019 - Present
Built React and TypeScript apps; tested with Jest.

Skills
React, TypeScript, JavaScript, CSS, Jest
`;

async function setup(ctx: Ctx) {
  const me = await signedInUser(ctx.database.db);
  const cv = await createParsedCv(ctx.database.db, me.user.id, CV_TEXT);
  const job = await createJob(ctx.database.db, {
    title: 'React Engineer',
    company: 'Umbrella',
    description: 'Requirements\nReact and TypeScript.\nNice to have\nGraphQL',
    requirements: ['React', 'TypeScript'],
  });
  return { me, cv, job };
}

async function lettersBilled(ctx: Ctx, userId: string) {
  const [row] = rowsOf<{ n: number }>(
    await ctx.database.db.execute(
      sql`select count(*)::int as n from usage_tracking where user_id = ${userId} and action_type = 'cover_letter_generated'`,
    ),
  );
  return Number(row?.n);
}

describe('cover letters (built-in writer)', () => {
  it('writes a grounded letter naming the required skills the CV has; lists, edits, attaches and deletes it', async () => {
    const { me, cv, job } = await setup(plain);
    const res = await call(plain, 'POST', '/cover-letters', me.headers, {
      jobId: job.id,
      cvId: cv.id,
      tone: 'friendly',
    });
    expect(res.statusCode, res.body).toBe(201);
    const letter = res.json();
    expect(letter).toMatchObject({ generator: 'template', tone: 'friendly', length: 'medium', jobId: job.id });
    expect(letter.body).toContain('React Engineer');
    expect(letter.body).toContain('Umbrella');
    for (const skill of ['React', 'TypeScript']) expect(letter.body).toContain(skill);
    expect(letter.body).not.toContain('GraphQL'); // the CV does not show it
    expect(letter.facts.removedSentences).toBe(0);
    expect(await lettersBilled(plain, me.user.id)).toBe(1);

    expect(
      (await call(plain, 'GET', '/cover-letters', me.headers)).json().data.map((l: { id: string }) => l.id),
    ).toEqual([letter.id]);
    const edited = await call(plain, 'PATCH', `/cover-letters/${letter.id}`, me.headers, { body: 'My own words.' });
    expect(edited.json()).toMatchObject({ body: 'My own words.', generator: 'edited' });

    const application = await createApplication(plain.database.db, { userId: me.user.id, jobId: job.id, cvId: cv.id });
    const attached = await call(plain, 'POST', `/cover-letters/${letter.id}/attach`, me.headers, {
      applicationId: application.id,
    });
    expect(attached.json().applicationId).toBe(application.id);
    const [app] = rowsOf<{ cover_letter: string }>(
      await plain.database.db.execute(sql`select cover_letter from applications where id = ${application.id}`),
    );
    expect(app?.cover_letter).toBe('My own words.');

    const other = await signedInUser(plain.database.db);
    expect((await call(plain, 'GET', `/cover-letters/${letter.id}`, other.headers)).statusCode).toBe(404);
    expect((await call(plain, 'PATCH', `/cover-letters/${letter.id}`, other.headers, { body: 'x' })).statusCode).toBe(
      404,
    );
    expect((await call(plain, 'DELETE', `/cover-letters/${letter.id}`, other.headers)).statusCode).toBe(404);
    const foreignAttach = await call(plain, 'POST', `/cover-letters/${letter.id}/attach`, me.headers, {
      applicationId: (await createApplication(plain.database.db)).id,
    });
    expect(foreignAttach.json().error.code).toBe('APPLICATION_NOT_FOUND');
    expect((await call(plain, 'GET', '/cover-letters', other.headers)).json().data).toEqual([]);

    expect((await call(plain, 'DELETE', `/cover-letters/${letter.id}`, me.headers)).statusCode).toBe(204);
    expect((await call(plain, 'GET', `/cover-letters/${letter.id}`, me.headers)).json().error.code).toBe(
      'COVER_LETTER_NOT_FOUND',
    );
  });

  it('refuses other users CVs, unknown jobs, malformed input and a spent allowance, without billing', async () => {
    const { me, cv, job } = await setup(plain);
    const other = await signedInUser(plain.database.db);
    const post = (headers: Headers, body: object) => call(plain, 'POST', '/cover-letters', headers, body);
    expect((await post(other.headers, { jobId: job.id, cvId: cv.id })).json().error.code).toBe('CV_NOT_FOUND');
    expect((await post(me.headers, { jobId: cv.id, cvId: cv.id })).json().error.code).toBe('JOB_NOT_FOUND');
    for (const bad of [{ jobId: job.id }, { jobId: 'x', cvId: cv.id }, { jobId: job.id, cvId: cv.id, tone: 'rude' }]) {
      expect((await post(me.headers, bad)).statusCode, JSON.stringify(bad)).toBe(400);
    }
    expect(await lettersBilled(plain, me.user.id)).toBe(0);

    const limit = planLimit(DEFAULT_PLAN_RULES, 'Free', 'cover_letter_generated') as number;
    await plain.database.db
      .insert(usageTracking)
      .values(Array.from({ length: limit }, () => ({ userId: me.user.id, actionType: 'cover_letter_generated' })));
    const res = await post(me.headers, { jobId: job.id, cvId: cv.id });
    expect(res.statusCode).toBe(429);
    expect(res.json().error.details).toMatchObject({ action: 'cover_letter_generated', limit, used: limit });
    expect((await call(plain, 'GET', '/cover-letters', me.headers)).json().data).toEqual([]);
  });
});

/** The cover-letter jobs waiting in the queue (pg-boss's own table). */
const queuedLetters = (ctx: Ctx) =>
  ctx.database.superuserQuery<{ id: string; data: QueuedLetter }>(
    `select id, data from pgboss.job where name = 'cover-letter' and state = 'created' order by created_on`,
  );

/** Runs each queued cover-letter job as a worker would (the handler is what pg-boss calls). */
async function workQueue(ctx: Ctx) {
  const results = [];
  for (const job of await queuedLetters(ctx)) {
    results.push(await coverLetterTask.run(taskContext(ctx), coverLetterTask.schema.parse(job.data)));
    await ctx.database.superuserQuery(`update pgboss.job set state = 'completed' where id = $1`, [job.id]);
  }
  return results;
}
const taskContext = (ctx: Ctx) => ({ db: ctx.database.db, config: ctx.config, logger: silent, now: new Date() });
const silent = pino({ level: 'silent' });

async function postQueued(ctx: Ctx, headers: Headers, body: object) {
  const res = await call(ctx, 'POST', '/cover-letters', headers, body);
  expect(res.statusCode, res.body).toBe(202);
  expect(res.json()).toMatchObject({ status: 'pending', body: '', error: null });
  return res.json() as { id: string };
}

describe('cover letters (OpenAI-compatible model, queued)', () => {
  it('answers 202 pending; the task asks the model with no transaction open and drops every invented fact', async () => {
    llm.mode = 'invent';
    llm.probe = () => transactionOpen(withLlm.database);
    const { me, cv, job } = await setup(withLlm);
    const pending = await postQueued(withLlm, me.headers, { jobId: job.id, cvId: cv.id });
    expect(await lettersBilled(withLlm, me.user.id)).toBe(1); // counted when asked for

    // While it is pending: the owner sees it pending, can neither edit nor attach it; others see nothing.
    expect((await call(withLlm, 'GET', `/cover-letters/${pending.id}`, me.headers)).json().status).toBe('pending');
    const edit = await call(withLlm, 'PATCH', `/cover-letters/${pending.id}`, me.headers, { body: 'Mine.' });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error.code).toBe('COVER_LETTER_NOT_READY');
    const other = await signedInUser(withLlm.database.db);
    expect((await call(withLlm, 'GET', `/cover-letters/${pending.id}`, other.headers)).json().error.code).toBe(
      'COVER_LETTER_NOT_FOUND',
    );
    expect((await call(withLlm, 'GET', '/cover-letters', other.headers)).json().data).toEqual([]);

    expect(await workQueue(withLlm)).toEqual([{ written: 1, fallback: 0 }]);
    expect(llm.requests.at(-1)).toMatchObject({ authorization: 'Bearer sk-test-secret', transactionOpen: false });
    const letter = (await call(withLlm, 'GET', `/cover-letters/${pending.id}`, me.headers)).json();
    expect(letter).toMatchObject({ status: 'ready', generator: 'llm', error: null });
    for (const invented of ['Haskell', 'Erlang', 'Globex', '45', 'PhD', 'Stanford']) {
      expect(letter.body).not.toContain(invented);
    }
    expect(letter.body).toContain('React Engineer');
    expect(letter.body).toContain('TypeScript');
    // The stubborn model was asked once more with what it invented named, then its sentences were dropped.
    expect(letter.facts.removedSentences).toBe(2);
    expect(letter.facts.regeneration).toMatchObject({ outcome: 'still ungrounded: sentences dropped' });
    expect(letter.facts.regeneration.ungrounded).toEqual(
      expect.arrayContaining(['Haskell', 'Erlang', '45', 'Globex', 'PhD', 'Stanford']),
    );
    const retry = JSON.parse(
      ((llm.requests.at(-1)?.body.messages ?? []) as { role: string; content: string }[]).find((m) => m.role === 'user')
        ?.content ?? '{}',
    );
    expect(retry.notFacts).toEqual(letter.facts.regeneration.ungrounded);
    expect((await call(withLlm, 'GET', `/cover-letters/${pending.id}`, other.headers)).statusCode).toBe(404);
    expect(await lettersBilled(withLlm, me.user.id)).toBe(1);
    llm.probe = undefined;
  });

  it('asks the model again, naming the facts it invented, and keeps the clean second letter whole', async () => {
    llm.mode = 'invent-once';
    const { me, cv, job } = await setup(withLlm);
    const pending = await postQueued(withLlm, me.headers, { jobId: job.id, cvId: cv.id });
    const asked = llm.requests.length;
    expect(await workQueue(withLlm)).toEqual([{ written: 1, fallback: 0 }]);
    expect(llm.requests.length - asked).toBe(2);
    const letter = (await call(withLlm, 'GET', `/cover-letters/${pending.id}`, me.headers)).json();
    expect(letter).toMatchObject({ status: 'ready', generator: 'llm' });
    expect(letter.facts.removedSentences).toBe(0);
    expect(letter.facts.regeneration).toMatchObject({
      outcome: 'grounded',
      ungrounded: expect.arrayContaining(['Haskell']),
    });
    expect(letter.body).toContain('I have worked with React, TypeScript');
    for (const invented of ['Haskell', 'Globex', 'Stanford']) expect(letter.body).not.toContain(invented);
  });

  it('falls back to the built-in writer when the model answers garbage, fails or times out; none of them billed', async () => {
    const { me, cv, job } = await setup(withLlm);
    const expected = { garbage: 'invalid JSON', error: 'http 500', slow: 'timeout' } as const;
    for (const mode of ['garbage', 'error', 'slow'] as const) {
      llm.mode = mode;
      const pending = await postQueued(withLlm, me.headers, { jobId: job.id, cvId: cv.id });
      expect(await workQueue(withLlm)).toEqual([{ written: 1, fallback: 1, refunded: 1 }]);
      const letter = (await call(withLlm, 'GET', `/cover-letters/${pending.id}`, me.headers)).json();
      expect(letter, mode).toMatchObject({ status: 'ready', generator: 'template' });
      expect(letter.facts.fallbackReason).toBe(expected[mode]);
      expect(letter.body).toContain('TypeScript');
    }
    expect(await lettersBilled(withLlm, me.user.id)).toBe(0);
  });

  it('a retried or doubled job writes the letter once and counts it once', async () => {
    llm.mode = 'invent';
    const { me, cv, job } = await setup(withLlm);
    const pending = await postQueued(withLlm, me.headers, { jobId: job.id, cvId: cv.id });
    const [queued] = await queuedLetters(withLlm);
    const payload = coverLetterTask.schema.parse(queued?.data);
    // Two workers at once (a lease that ran out), then a retry after both finished.
    const runs = await Promise.all([
      coverLetterTask.run(taskContext(withLlm), payload),
      coverLetterTask.run(taskContext(withLlm), payload),
    ]);
    expect(runs.map((r) => r.written ?? 0).sort()).toEqual([0, 1]);
    const first = (await call(withLlm, 'GET', `/cover-letters/${pending.id}`, me.headers)).json();
    expect(first.status).toBe('ready');
    expect(await coverLetterTask.run(taskContext(withLlm), payload)).toEqual({ skipped: 1 });
    expect((await call(withLlm, 'GET', `/cover-letters/${pending.id}`, me.headers)).json()).toEqual(first);
    expect(await lettersBilled(withLlm, me.user.id)).toBe(1);
    await withLlm.database.superuserQuery(`update pgboss.job set state = 'completed' where id = $1`, [queued?.id]);
  });

  it('fails with a stable code and gives the use back when the CV is deleted before the model writes', async () => {
    const { me, cv, job } = await setup(withLlm);
    const pending = await postQueued(withLlm, me.headers, { jobId: job.id, cvId: cv.id });
    await withLlm.database.superuserQuery('delete from cvs where id = $1', [cv.id]);
    const asked = llm.requests.length;
    expect(await workQueue(withLlm)).toEqual([{ failed: 1, refunded: 1 }]);
    expect(llm.requests.length).toBe(asked); // the model was not asked
    const letter = (await call(withLlm, 'GET', `/cover-letters/${pending.id}`, me.headers)).json();
    expect(letter).toMatchObject({ status: 'failed', error: 'CV_NOT_FOUND', body: '' });
    expect(await lettersBilled(withLlm, me.user.id)).toBe(0);
    const attach = await call(withLlm, 'POST', `/cover-letters/${pending.id}/attach`, me.headers, {
      applicationId: (await createApplication(withLlm.database.db, { userId: me.user.id })).id,
    });
    expect(attach.json().error.code).toBe('COVER_LETTER_NOT_READY');
    // The seeker may still write it themselves.
    const edited = await call(withLlm, 'PATCH', `/cover-letters/${pending.id}`, me.headers, { body: 'My own words.' });
    expect(edited.json()).toMatchObject({ status: 'ready', generator: 'edited', error: null });
  });

  it('checks the allowance when asked: at the limit nothing is stored or queued', async () => {
    const { me, cv, job } = await setup(withLlm);
    const limit = planLimit(DEFAULT_PLAN_RULES, 'Free', 'cover_letter_generated') as number;
    await withLlm.database.db
      .insert(usageTracking)
      .values(Array.from({ length: limit }, () => ({ userId: me.user.id, actionType: 'cover_letter_generated' })));
    const before = (await queuedLetters(withLlm)).length;
    const res = await call(withLlm, 'POST', '/cover-letters', me.headers, { jobId: job.id, cvId: cv.id });
    expect(res.json().error.code).toBe('QUOTA_EXCEEDED');
    expect((await queuedLetters(withLlm)).length).toBe(before);
    expect((await call(withLlm, 'GET', '/cover-letters', me.headers)).json().data).toEqual([]);
  });

  it('the pg-boss worker completes a pending letter', async () => {
    llm.mode = 'invent';
    const { me, cv, job } = await setup(withLlm);
    const config = testConfig({
      LLM_BASE_URL: llm.baseUrl,
      LLM_MODEL: 'fake',
      ...(withLlm.database.kind === 'postgres'
        ? {
            DATABASE_URL:
              (withLlm.database.db as unknown as { $client: pg.Pool }).$client.options.connectionString ?? '',
          }
        : {}),
    });
    const queue = await startQueue(
      [coverLetterTask as never],
      { database: withLlm.database, config, logger: silent },
      { pollingIntervalSeconds: 0.5, schedules: false },
    );
    try {
      const pending = await postQueued(withLlm, me.headers, { jobId: job.id, cvId: cv.id });
      let letter = { status: 'pending' } as { status: string; generator?: string };
      for (let i = 0; i < 150 && letter.status === 'pending'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        letter = (await call(withLlm, 'GET', `/cover-letters/${pending.id}`, me.headers)).json();
      }
      expect(letter).toMatchObject({ status: 'ready', generator: 'llm' });
    } finally {
      await queue.stop();
    }
  });
});

describe('cover letters whose task gives up (the sweep)', () => {
  // The real cover-letter queue and job rows (retry limit 3 from the request's enqueue), worked by a run
  // that throws every time, as when the database is unreachable for longer than the retries last.
  const broken = { ...coverLetterTask, run: async () => Promise.reject(new Error('connection terminated')) };
  const sweep = () => coverLetterSweepTask.run(taskContext(withLlm), undefined);
  const jobOf = async (letterId: string) =>
    (
      await withLlm.database.superuserQuery<{ id: string; state: string }>(
        `select id, state from pgboss.job where name = 'cover-letter' and data ->> 'letterId' = $1`,
        [letterId],
      )
    )[0];

  it('completes the letter with the built-in writer once every retry failed, gives the use back, once', async () => {
    llm.mode = 'invent';
    const { me, cv, job } = await setup(withLlm);
    const pending = await postQueued(withLlm, me.headers, { jobId: job.id, cvId: cv.id });
    expect(await lettersBilled(withLlm, me.user.id)).toBe(1);

    // The first run fails: the job waits for a retry, so the sweep leaves the letter alone.
    expect((await workJobs(withLlm, broken)).failed).toBe(1);
    expect((await jobOf(pending.id))?.state).toBe('retry');
    expect(await sweep()).toMatchObject({ abandoned: 0 });
    expect((await call(withLlm, 'GET', `/cover-letters/${pending.id}`, me.headers)).json().status).toBe('pending');

    // Three retries (retryLimit 3) fail too: pg-boss gives up on the job.
    for (let i = 0; i < 3; i++) expect((await workJobs(withLlm, broken)).failed).toBe(1);
    expect((await jobOf(pending.id))?.state).toBe('failed');
    expect(await jobCounts(withLlm.database, 'cover-letter')).not.toHaveProperty('retry');

    // Two nodes sweep at once: the letter is written once and its use given back once.
    const asked = llm.requests.length;
    const runs = await Promise.all([sweep(), sweep()]);
    expect(runs.reduce((n, r) => n + (r.written ?? 0), 0)).toBe(1);
    expect(runs.reduce((n, r) => n + (r.refunded ?? 0), 0)).toBe(1);
    expect(llm.requests.length).toBe(asked); // the built-in writer: the model is not asked again
    const letter = (await call(withLlm, 'GET', `/cover-letters/${pending.id}`, me.headers)).json();
    expect(letter).toMatchObject({ status: 'ready', generator: 'template', error: null });
    expect(letter.facts.fallbackReason).toBe(TASK_GAVE_UP);
    expect(letter.body).toContain('TypeScript');
    expect(await lettersBilled(withLlm, me.user.id)).toBe(0);
    // It is an ordinary letter now: attachable; a later sweep has nothing to do.
    const applicationId = (await createApplication(withLlm.database.db, { userId: me.user.id })).id;
    const attach = await call(withLlm, 'POST', `/cover-letters/${pending.id}/attach`, me.headers, { applicationId });
    expect(attach.statusCode, attach.body).toBe(200);
    expect(await sweep()).toMatchObject({ abandoned: 0 });
    expect(await lettersBilled(withLlm, me.user.id)).toBe(0);
  });

  it('finishes letters whose job was removed: failed (CV gone) or failed with COVER_LETTER_FAILED, never billed', async () => {
    const { me, cv, job } = await setup(withLlm);
    const cvGone = await postQueued(withLlm, me.headers, { jobId: job.id, cvId: cv.id });
    const unwritable = await postQueued(withLlm, me.headers, { jobId: job.id, cvId: cv.id });
    const other = await signedInUser(withLlm.database.db);
    const othersCv = await createParsedCv(withLlm.database.db, other.user.id, CV_TEXT);
    const othersLetter = await postQueued(withLlm, other.headers, { jobId: job.id, cvId: othersCv.id });
    expect(await lettersBilled(withLlm, me.user.id)).toBe(2);
    // Jobs cancelled or cleared away (an operator, pg-boss's own retention): nothing will run them.
    for (const letter of [cvGone, unwritable]) {
      await withLlm.database.superuserQuery(`delete from pgboss.job where id = $1`, [(await jobOf(letter.id))?.id]);
    }
    // The first letter's CV is deleted; storing the second one's built-in letter fails (a stand-in for
    // whatever broke the task: the database refuses it).
    await withLlm.database.superuserQuery(`update cover_letters set cv_id = null where id = $1`, [cvGone.id]);
    await withLlm.database.superuserQuery(`create function test_refuse_letter() returns trigger language plpgsql as
      $$ begin raise exception 'refused'; end $$`);
    await withLlm.database.superuserQuery(`create trigger test_refuse_letter before update on cover_letters for each row
      when (new.status = 'ready' and old.id = '${unwritable.id}') execute function test_refuse_letter()`);

    expect(await sweep()).toMatchObject({ abandoned: 2, written: 0, failed: 2, refunded: 2 });
    await withLlm.database.superuserQuery('drop trigger test_refuse_letter on cover_letters');
    const mine = (id: string) => call(withLlm, 'GET', `/cover-letters/${id}`, me.headers).then((r) => r.json());
    expect(await mine(cvGone.id)).toMatchObject({ status: 'failed', error: 'CV_NOT_FOUND' });
    expect(await mine(unwritable.id)).toMatchObject({ status: 'failed', error: 'COVER_LETTER_FAILED', body: '' });
    expect(await lettersBilled(withLlm, me.user.id)).toBe(0);
    // Another seeker's letter, whose job is still queued, is untouched and still counted.
    expect((await call(withLlm, 'GET', `/cover-letters/${othersLetter.id}`, other.headers)).json().status).toBe(
      'pending',
    );
    expect(await lettersBilled(withLlm, other.user.id)).toBe(1);
    await withLlm.database.superuserQuery(`update pgboss.job set state = 'completed' where data ->> 'letterId' = $1`, [
      othersLetter.id,
    ]);
    await withLlm.database.superuserQuery(`update cover_letters set status = 'failed' where id = $1`, [
      othersLetter.id,
    ]);
  });
});
