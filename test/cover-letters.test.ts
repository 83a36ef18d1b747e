/** Cover letters: grounded template letters, CRUD and attach, ownership, quotas, and a fake LLM that invents facts. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/client.ts';
import { usageTracking } from '../src/db/schema/index.ts';
import { parseProfile } from '../src/modules/cvs/profile.ts';
import { planLimit } from '../src/modules/plans/plans.ts';
import { createTestApp, type TestContext } from './helpers/app.ts';
import { signedInUser } from './helpers/auth.ts';
import { createApplication, createCv, createJob } from './helpers/factories.ts';
import { type FakeLlm, startFakeLlm } from './helpers/fake-llm.ts';

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
  const profile = parseProfile(CV_TEXT);
  const cv = await createCv(ctx.database.db, {
    userId: me.user.id,
    parsedContent: CV_TEXT,
    profile,
    skills: profile.skills.value,
  });
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

    const limit = planLimit('Free', 'cover_letter_generated') as number;
    await plain.database.db
      .insert(usageTracking)
      .values(Array.from({ length: limit }, () => ({ userId: me.user.id, actionType: 'cover_letter_generated' })));
    const res = await post(me.headers, { jobId: job.id, cvId: cv.id });
    expect(res.statusCode).toBe(429);
    expect(res.json().error.details).toMatchObject({ action: 'cover_letter_generated', limit, used: limit });
    expect((await call(plain, 'GET', '/cover-letters', me.headers)).json().data).toEqual([]);
  });
});

describe('cover letters (OpenAI-compatible model)', () => {
  it('keeps the grounded sentences of a model letter and drops every invented skill, employer and number', async () => {
    llm.mode = 'invent';
    const { me, cv, job } = await setup(withLlm);
    const res = await call(withLlm, 'POST', '/cover-letters', me.headers, { jobId: job.id, cvId: cv.id });
    expect(res.statusCode, res.body).toBe(201);
    const letter = res.json();
    expect(letter.generator).toBe('llm');
    for (const invented of ['Haskell', 'Erlang', 'Globex', '45', 'PhD', 'Stanford']) {
      expect(letter.body).not.toContain(invented);
    }
    expect(letter.body).toContain('React Engineer');
    expect(letter.body).toContain('TypeScript');
    expect(letter.facts.removedSentences).toBe(2);
    expect(llm.requests.at(-1)?.authorization).toBe('Bearer sk-test-secret');
    expect(await lettersBilled(withLlm, me.user.id)).toBe(1);
  });

  it('falls back to the built-in writer when the model answers garbage, fails or times out; bills one letter each', async () => {
    const { me, cv, job } = await setup(withLlm);
    for (const mode of ['garbage', 'error', 'slow'] as const) {
      llm.mode = mode;
      const res = await call(withLlm, 'POST', '/cover-letters', me.headers, { jobId: job.id, cvId: cv.id });
      expect(res.statusCode, `${mode}: ${res.body}`).toBe(201);
      expect(res.json().generator).toBe('template');
      expect(res.json().facts.fallbackReason).toBeTypeOf('string');
    }
    expect(await lettersBilled(withLlm, me.user.id)).toBe(3);
  });
});
