/** Match endpoints, preferences and plan quotas over HTTP: ownership, validation, 429 details, concurrency. */
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.ts';
import { systemActor } from '../../src/db/context.ts';
import { jobs, type StoredMatchFacts, usageTracking } from '../../src/db/schema/index.ts';
import { importJobs } from '../../src/modules/jobs/import/import.service.ts';
import { jobValues } from '../../src/modules/jobs/jobs.service.ts';
import { matchFactsOf, textFactsOf } from '../../src/modules/match/job-facts.ts';
import { fillMatchFacts, reindexJobSkills } from '../../src/modules/match/reindex.ts';

import { DEFAULT_PLAN_RULES, planLimit } from '../../src/modules/plans/plans.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInUser } from '../helpers/auth.ts';
import { multipartBody } from '../helpers/documents.ts';
import { createJob, createParsedCv } from '../helpers/factories.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

type Headers = Record<string, string>;
const api = (method: 'GET' | 'PUT' | 'POST', url: string, headers: Headers = {}, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

const CV_TEXT = `Sam Example
Backend Developer

Experience
Backend Developer, Acme, Jan 2018 - Present
Go and PostgreSQL services on Kubernetes; gRPC APIs.

Skills
Go, PostgreSQL, Kubernetes, Docker, gRPC, Linux
`;

const cvFor = (userId: string) => createParsedCv(ctx.database.db, userId, CV_TEXT);

function backendJob(title = 'Senior Go Engineer') {
  return createJob(ctx.database.db, {
    title,
    description: 'Requirements\nGo, PostgreSQL and Kubernetes.\nNice to have\nKafka',
    requirements: ['Go', 'PostgreSQL'],
    skills: ['go', 'postgresql'],
    textSkills: ['go', 'postgresql', 'kubernetes', 'kafka'],
  });
}

async function useUp(
  userId: string,
  action: 'ai_match' | 'cover_letter_generated' | 'job_application' | 'cv_upload',
  n: number,
) {
  if (n <= 0) return;
  await ctx.database.db.insert(usageTracking).values(Array.from({ length: n }, () => ({ userId, actionType: action })));
}

describe('GET /jobs/:id/match', () => {
  it('explains the fit of your CV, records one ai_match, and hides other users CVs', async () => {
    const me = await signedInUser(ctx.database.db);
    const cv = await cvFor(me.user.id);
    const job = await backendJob();
    const res = await api('GET', `/jobs/${job.id}/match?cvId=${cv.id}`, me.headers);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ jobId: job.id, cvId: cv.id, job: { title: 'Senior Go Engineer' } });
    expect(body.covered.map((c: { skill: string }) => c.skill)).toEqual(expect.arrayContaining(['go', 'postgresql']));
    expect(body.missing.map((m: { skill: string }) => m.skill)).toContain('apache kafka');
    const sum = body.parts.reduce((s: number, p: { points: number }) => s + p.points, 0);
    expect(Math.abs(sum - body.score)).toBeLessThan(0.05);
    // Deterministic.
    expect((await api('GET', `/jobs/${job.id}/match?cvId=${cv.id}`, me.headers)).json().score).toBe(body.score);

    const rows = rowsOf<{ n: number }>(
      await ctx.database.db.execute(
        sql`select count(*)::int as n from usage_tracking where user_id = ${me.user.id} and action_type = 'ai_match'`,
      ),
    );
    expect(Number(rows[0]?.n)).toBe(2);

    const other = await signedInUser(ctx.database.db);
    expect((await api('GET', `/jobs/${job.id}/match?cvId=${cv.id}`, other.headers)).json().error.code).toBe(
      'CV_NOT_FOUND',
    );
  });

  it('reads the seeker’s corrected headline as a title of the CV', async () => {
    const me = await signedInUser(ctx.database.db);
    const cv = await createParsedCv(ctx.database.db, me.user.id, 'Sam Example\n\nSkills\nGo, PostgreSQL, Kubernetes\n');
    const job = await backendJob('Platform Engineer');
    const titlePart = async () => {
      const res = await api('GET', `/jobs/${job.id}/match?cvId=${cv.id}`, me.headers);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().parts.find((p: { name: string }) => p.name === 'title').detail as string;
    };
    expect(await titlePart()).toMatch(/^No title in your CV names this role/);
    const patched = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/cvs/${cv.id}/profile`,
      headers: me.headers,
      payload: { headline: 'Platform Engineer' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(await titlePart()).toBe('Your title matches "Platform Engineer".');
  });

  it('answers 404, 400 and 401 for missing jobs, malformed ids and anonymous callers', async () => {
    const me = await signedInUser(ctx.database.db);
    const cv = await cvFor(me.user.id);
    const job = await backendJob();
    const missing = await api('GET', `/jobs/00000000-0000-4000-8000-000000000000/match?cvId=${cv.id}`, me.headers);
    expect(missing.json().error.code).toBe('JOB_NOT_FOUND');
    expect((await api('GET', `/jobs/${job.id}/match?cvId=nope`, me.headers)).statusCode).toBe(400);
    expect((await api('GET', `/jobs/${job.id}/match`, me.headers)).statusCode).toBe(400);
    expect((await api('GET', `/jobs/${job.id}/match?cvId=${cv.id}`)).statusCode).toBe(401);
  });
});

describe('API keys', () => {
  it('need the matches:read scope, and their uses count against the owner', async () => {
    const owner = await signedInUser(ctx.database.db, { plan: 'Premium' });
    const cv = await cvFor(owner.user.id);
    const job = await backendJob();
    const key = async (permissions: string[]) => {
      const res = await api('POST', '/api-keys', owner.headers, { name: permissions.join(' '), permissions });
      expect(res.statusCode, res.body).toBe(201);
      return { authorization: `Bearer ${res.json().key}` };
    };
    const readOnly = await key(['jobs:read']);
    const denied = await api('GET', `/jobs/${job.id}/match?cvId=${cv.id}`, readOnly);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.details).toMatchObject({ requiredScope: 'matches:read' });

    const matcher = await key(['matches:read']);
    expect((await api('GET', `/jobs/${job.id}/match?cvId=${cv.id}`, matcher)).statusCode).toBe(200);
    expect((await api('GET', `/cvs/${cv.id}/matches`, matcher)).statusCode).toBe(200);
    const usage = (await api('GET', '/me/usage', owner.headers)).json();
    expect(usage.plan).toBe('Premium');
    expect(usage.actions.find((a: { action: string }) => a.action === 'ai_match').used).toBe(2);
  });
});

describe('GET /cvs/:id/matches', () => {
  it('ranks the catalogue for a CV with filters and cursor pages', async () => {
    const me = await signedInUser(ctx.database.db);
    const cv = await cvFor(me.user.id);
    const marker = `m${Date.now()}`;
    const best = await createJob(ctx.database.db, {
      title: `Backend Developer ${marker}`,
      description: 'Requirements\nGo, PostgreSQL, Kubernetes, Docker and gRPC on Linux.',
      textSkills: ['go', 'postgresql', 'kubernetes', 'docker', 'grpc', 'linux'],
      remote: true,
    });
    await createJob(ctx.database.db, {
      title: `Frontend Developer ${marker}`,
      description: 'Requirements\nReact, CSS and Docker.',
      textSkills: ['react', 'css', 'docker'],
      remote: true,
    });
    await createJob(ctx.database.db, {
      title: `Go Engineer ${marker}`,
      description: 'Go and Docker.',
      textSkills: ['go', 'docker'],
      remote: false,
    });
    const first = await api('GET', `/cvs/${cv.id}/matches?q=${marker}&remote=true&limit=1`, me.headers);
    expect(first.statusCode, first.body).toBe(200);
    const page1 = first.json();
    expect(page1.data).toHaveLength(1);
    expect(page1.data[0].job.id).toBe(best.id);
    expect(page1.nextCursor).toBeTypeOf('string');
    const second = await api(
      'GET',
      `/cvs/${cv.id}/matches?q=${marker}&remote=true&limit=1&cursor=${page1.nextCursor}`,
      me.headers,
    );
    const page2 = second.json();
    expect(page2.data).toHaveLength(1);
    expect(page2.data[0].job.title).toContain('Frontend');
    expect(page2.data[0].score).toBeLessThanOrEqual(page1.data[0].score);
    expect(page2.nextCursor).toBeNull();
    // A cursor belongs to its CV and filters.
    const moved = await api('GET', `/cvs/${cv.id}/matches?q=other&limit=1&cursor=${page1.nextCursor}`, me.headers);
    expect(moved.json().error.code).toBe('INVALID_CURSOR');
    expect((await api('GET', `/cvs/${cv.id}/matches?cursor=garbage`, me.headers)).json().error.code).toBe(
      'INVALID_CURSOR',
    );
    expect((await api('GET', `/cvs/${cv.id}/matches?salaryMin=5`, me.headers)).statusCode).toBe(400);

    const other = await signedInUser(ctx.database.db);
    expect((await api('GET', `/cvs/${cv.id}/matches`, other.headers)).statusCode).toBe(404);
  });
});

const factsOf = async (id: string) =>
  (
    await ctx.database.superuserQuery<{ match_facts: StoredMatchFacts | null }>(
      'select match_facts from jobs where id = $1',
      [id],
    )
  )[0]?.match_facts;

describe('stored match facts (jobs.match_facts)', () => {
  const importRows = (rows: object[]) =>
    importJobs(
      ctx.database.db,
      systemActor,
      Readable.from([Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n'))]),
      {
        format: 'ndjson',
        source: 'match-facts',
      },
    );

  it('are computed on create, edit and import, and follow the text', async () => {
    const admin = await signedInUser(ctx.database.db, { role: 'admin' });
    const body = {
      title: 'Senior Rust Engineer',
      company: 'Oxide',
      description: 'Requirements\n5+ years of Rust and PostgreSQL.\nNice to have\nKafka',
      requirements: ['Linux'],
    };
    const created = await api('POST', '/jobs', admin.headers, body);
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const stored = await factsOf(id);
    expect(stored).toEqual(matchFactsOf(body));
    expect(stored?.years).toBe(5);
    expect(stored?.skills.split('|')).toEqual(expect.arrayContaining(['t2 rust', 'p1 apache kafka']));

    const description = 'Requirements\nGo and Kubernetes — in Zürich ✓';
    const edited = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/jobs/${id}`,
      headers: admin.headers,
      payload: { description },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(await factsOf(id)).toEqual(matchFactsOf({ ...body, description }));

    const marker = `f${Date.now()}`;
    const row = {
      id: marker,
      title: 'Data Engineer',
      company: 'River',
      description: 'Requirements\nPython and Spark.',
    };
    expect((await importRows([row])).inserted).toBe(1);
    const [imported] = await ctx.database.superuserQuery<{ id: string; requirements: string[] }>(
      'select id, requirements from jobs where external_id = $1',
      [marker],
    );
    if (!imported) throw new Error('not imported');
    expect(await factsOf(imported.id)).toEqual(matchFactsOf({ ...row, requirements: imported.requirements }));
    const changed = { ...row, description: 'Requirements\nScala and Airflow.' };
    expect((await importRows([changed])).updated).toBe(1);
    expect(await factsOf(imported.id)).toEqual(matchFactsOf({ ...changed, requirements: imported.requirements }));
    expect((await importRows([changed])).skipped).toBe(1);
    expect((await factsOf(imported.id))?.skills).toContain('r1 scala');
  });

  it('are cleared when other code changes the text, scored from the text meanwhile, and filled again', async () => {
    const me = await signedInUser(ctx.database.db);
    const cv = await cvFor(me.user.id);
    const marker = `w${Date.now()}`;
    // The factory writes no facts, as a row stored before the column existed.
    const job = await createJob(ctx.database.db, {
      title: `Platform Engineer ${marker}`,
      description: 'Requirements\nGo and Docker.',
      textSkills: ['go', 'docker'],
    });
    expect(await factsOf(job.id)).toBeNull();
    const ranked = async () => (await api('GET', `/cvs/${cv.id}/matches?q=${marker}`, me.headers)).json().data;
    const fromText = await ranked();
    expect(fromText.map((m: { job: { id: string } }) => m.job.id)).toEqual([job.id]);
    // A server shutting down stops the fill between batches: nothing more is written.
    expect(await fillMatchFacts(ctx.database.db, { signal: AbortSignal.abort() })).toBe(0);
    expect(await factsOf(job.id)).toBeNull();
    expect(await fillMatchFacts(ctx.database.db, { batch: 3 })).toBeGreaterThan(0);
    expect(await factsOf(job.id)).toEqual(matchFactsOf(job));
    expect(await ranked()).toEqual(fromText);

    // Another column changes: the facts stay. The text changes without them: the trigger clears them.
    await ctx.database.superuserQuery(`update jobs set location = 'Berlin' where id = $1`, [job.id]);
    expect(await factsOf(job.id)).toEqual(matchFactsOf(job));
    const description = 'Requirements\nGo, Docker, PostgreSQL and Kubernetes.';
    await ctx.database.superuserQuery('update jobs set description = $2 where id = $1', [job.id, description]);
    expect(await factsOf(job.id)).toBeNull();
    const [after] = await ranked();
    expect(after.covered).toEqual(expect.arrayContaining(['PostgreSQL', 'Kubernetes']));
    expect(after.score).toBeGreaterThan(fromText[0].score);
    await fillMatchFacts(ctx.database.db);
    expect(await factsOf(job.id)).toEqual(matchFactsOf({ ...job, description }));
    expect(await ranked()).toEqual([after]);
  });

  it('give the ranking the same scores as GET /jobs/:id/match and as the text itself', async () => {
    const me = await signedInUser(ctx.database.db);
    const cv = await cvFor(me.user.id);
    const marker = `a${Date.now()}`;
    const sample = [
      {
        title: 'Senior Go Engineer',
        description: 'Requirements\n5+ years of Go, PostgreSQL and gRPC.\nNice to have\nKafka',
        requirements: ['Go'],
      },
      { title: 'Frontend Developer', description: 'React, CSS and TypeScript. Docker is a plus.', remote: true },
      {
        title: 'Junior Backend Developer',
        description: 'About you\nLinux, Docker\nBenefits\nKubernetes training',
        location: 'Berlin',
      },
      {
        title: 'Head of Data',
        description: 'Requirements\nPython, Spark and 10 years of leadership.',
        experienceLevel: 'executive' as const,
      },
      {
        title: 'Go Developer',
        description: 'Go, Go and more Go. Kubernetes, Kubernetes.',
        requirements: ['Kubernetes', 'gRPC'],
      },
      { title: 'Nurse', description: 'Patient care on a ward.' },
    ];
    for (const job of sample) {
      await ctx.database.db
        .insert(jobs)
        .values(jobValues({ company: 'Sample', ...job, title: `${job.title} ${marker}` }));
    }
    const ranking = (await api('GET', `/cvs/${cv.id}/matches?q=${marker}&limit=50`, me.headers)).json().data;
    expect(ranking.length).toBeGreaterThanOrEqual(4); // the nurse shares no skill with the CV
    for (const ranked of ranking) {
      const single = (await api('GET', `/jobs/${ranked.job.id}/match?cvId=${cv.id}`, me.headers)).json();
      expect(single.score).toBe(ranked.score);
      expect(single.parts).toEqual(ranked.parts);
      const [row] = await ctx.database.superuserQuery<{ title: string; description: string; requirements: string[] }>(
        'select title, description, requirements from jobs where id = $1',
        [ranked.job.id],
      );
      if (!row) throw new Error('no job');
      const stored = await factsOf(ranked.job.id);
      expect(stored).not.toBeNull();
      // The stored facts give what reading the text gives.
      expect(textFactsOf(stored ?? null, null)).toEqual(textFactsOf(null, row));
    }
  });

  it("never ranks another seeker's tracked job, and does not match it either", async () => {
    const me = await signedInUser(ctx.database.db);
    const other = await signedInUser(ctx.database.db);
    const cv = await cvFor(me.user.id);
    const marker = `t${Date.now()}`;
    const values = jobValues({
      title: `Backend Developer ${marker}`,
      company: 'Private',
      description: 'Requirements\nGo, PostgreSQL, Kubernetes, Docker and gRPC on Linux.',
    });
    const [tracked] = await ctx.database.db
      .insert(jobs)
      .values({ ...values, ownerUserId: other.user.id })
      .returning();
    const [open] = await ctx.database.db
      .insert(jobs)
      .values({ ...values, company: 'Public' })
      .returning();
    if (!tracked || !open) throw new Error('no jobs');
    const ids = (await api('GET', `/cvs/${cv.id}/matches?q=${marker}`, me.headers))
      .json()
      .data.map((m: { job: { id: string } }) => m.job.id);
    expect(ids).toEqual([open.id]);
    expect((await api('GET', `/jobs/${tracked.id}/match?cvId=${cv.id}`, me.headers)).json().error.code).toBe(
      'JOB_NOT_FOUND',
    );
  });
});

describe('preferences', () => {
  it('stores, replaces and validates your preferences; they change the score', async () => {
    const me = await signedInUser(ctx.database.db);
    expect((await api('GET', '/me/preferences', me.headers)).json()).toMatchObject({ locations: [], remote: null });
    const body = { locations: ['Berlin'], remote: 'only', salaryMin: 70000, salaryCurrency: 'EUR', levels: ['senior'] };
    const put = await api('PUT', '/me/preferences', me.headers, body);
    expect(put.statusCode, put.body).toBe(200);
    expect((await api('GET', '/me/preferences', me.headers)).json()).toMatchObject(body);

    for (const bad of [
      { remote: 'sometimes' },
      { salaryMin: 5 },
      { levels: ['wizard'] },
      { locations: ['x'], extra: true },
      { salaryMin: -1, salaryCurrency: 'EUR' },
    ]) {
      expect((await api('PUT', '/me/preferences', me.headers, bad)).statusCode, JSON.stringify(bad)).toBe(400);
    }

    const cv = await cvFor(me.user.id);
    const onSite = await createJob(ctx.database.db, { title: 'Go Engineer', description: 'Go', remote: false });
    const res = (await api('GET', `/jobs/${onSite.id}/match?cvId=${cv.id}`, me.headers)).json();
    expect(res.parts.find((p: { name: string }) => p.name === 'location').points).toBe(0);
    expect(res.parts.map((p: { name: string }) => p.name)).toContain('salary');

    const other = await signedInUser(ctx.database.db);
    expect((await api('GET', '/me/preferences', other.headers)).json().remote).toBeNull();
  });
});

describe('plan quotas', () => {
  it('refuses the action over the limit with a stable code, the limit, the reset time and upgrades', async () => {
    const me = await signedInUser(ctx.database.db);
    const cv = await cvFor(me.user.id);
    const job = await backendJob();
    const limit = planLimit(DEFAULT_PLAN_RULES, 'Free', 'ai_match') as number;
    await useUp(me.user.id, 'ai_match', limit);
    const res = await api('GET', `/jobs/${job.id}/match?cvId=${cv.id}`, me.headers);
    expect(res.statusCode).toBe(429);
    const error = res.json().error;
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details).toMatchObject({
      action: 'ai_match',
      plan: 'Free',
      limit,
      used: limit,
      upgradeTo: ['Premium', 'Enterprise'],
    });
    expect(new Date(error.details.resetsAt).getUTCDate()).toBe(1);

    const usage = (await api('GET', '/me/usage', me.headers)).json();
    expect(usage.plan).toBe('Free');
    expect(usage.actions.find((a: { action: string }) => a.action === 'ai_match')).toMatchObject({
      used: limit,
      limit,
    });
  });

  it('with 10 parallel requests at the last unit, exactly one succeeds', async () => {
    const me = await signedInUser(ctx.database.db);
    const cv = await cvFor(me.user.id);
    const job = await backendJob();
    const limit = planLimit(DEFAULT_PLAN_RULES, 'Free', 'ai_match') as number;
    await useUp(me.user.id, 'ai_match', limit - 1);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => api('GET', `/jobs/${job.id}/match?cvId=${cv.id}`, me.headers)),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 429)).toHaveLength(9);
    const usage = (await api('GET', '/me/usage', me.headers)).json();
    expect(usage.actions.find((a: { action: string }) => a.action === 'ai_match').used).toBe(limit);
  });

  it('meters CV uploads and applications the same way', async () => {
    const me = await signedInUser(ctx.database.db);
    await ctx.database.db.insert(usageTracking).values(
      Array.from({ length: planLimit(DEFAULT_PLAN_RULES, 'Free', 'cv_upload') as number }, () => ({
        userId: me.user.id,
        actionType: 'cv_upload',
      })),
    );
    const { payload, headers } = multipartBody({ name: 'cv.txt', type: 'text/plain', bytes: Buffer.from(CV_TEXT) });
    const upload = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/cvs',
      headers: { ...me.headers, ...headers },
      payload,
    });
    expect(upload.statusCode).toBe(429);
    expect(upload.json().error.details).toMatchObject({ action: 'cv_upload', plan: 'Free' });
    expect((await api('GET', '/cvs', me.headers)).json().data).toEqual([]);

    const cv = await cvFor(me.user.id);
    await useUp(me.user.id, 'job_application', planLimit(DEFAULT_PLAN_RULES, 'Free', 'job_application') as number);
    const job = await backendJob();
    const apply = await api('POST', '/applications', me.headers, { jobId: job.id, cvId: cv.id });
    expect(apply.statusCode).toBe(429);
    expect(apply.json().error.details.action).toBe('job_application');

    const premium = await signedInUser(ctx.database.db, { plan: 'Premium' });
    const premiumCv = await cvFor(premium.user.id);
    await useUp(premium.user.id, 'job_application', planLimit(DEFAULT_PLAN_RULES, 'Free', 'job_application') as number);
    expect(
      (await api('POST', '/applications', premium.headers, { jobId: job.id, cvId: premiumCv.id })).statusCode,
    ).toBe(201);
  });

  it('does not limit administrators or bill failed actions', async () => {
    const admin = await signedInUser(ctx.database.db, { role: 'admin' });
    const cv = await cvFor(admin.user.id);
    const job = await backendJob();
    await useUp(admin.user.id, 'ai_match', (planLimit(DEFAULT_PLAN_RULES, 'Free', 'ai_match') as number) + 5);
    expect((await api('GET', `/jobs/${job.id}/match?cvId=${cv.id}`, admin.headers)).statusCode).toBe(200);
    expect((await api('GET', '/me/usage', admin.headers)).json().actions[2].limit).toBeNull();

    const me = await signedInUser(ctx.database.db);
    const before = (await api('GET', '/me/usage', me.headers)).json().actions[2].used;
    await api('GET', `/jobs/00000000-0000-4000-8000-000000000000/match?cvId=${cv.id}`, me.headers);
    expect((await api('GET', '/me/usage', me.headers)).json().actions[2].used).toBe(before);
  });
});

describe('job skills for matching', () => {
  it('are derived from the title and description on create, and re-derived for older rows by the reindex', async () => {
    const admin = await signedInUser(ctx.database.db, { role: 'admin' });
    const created = await api('POST', '/jobs', admin.headers, {
      title: 'Rust Engineer',
      company: 'Oxide',
      description: 'We build with Tokio and PostgreSQL.',
      requirements: ['Linux'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const [row] = rowsOf<{ text_skills: string[]; skills: string[] }>(
      await ctx.database.db.execute(sql`select skills, text_skills from jobs where id = ${created.json().id}`),
    );
    expect(row?.skills).toEqual(['linux']);
    expect(row?.text_skills).toEqual(expect.arrayContaining(['rust', 'postgresql']));

    const old = await createJob(ctx.database.db, { title: 'Kotlin Developer', description: 'Android apps in Kotlin.' });
    const result = await reindexJobSkills(ctx.database.db, { batch: 7 });
    expect(result.changed).toBeGreaterThan(0);
    const [after] = rowsOf<{ text_skills: string[] }>(
      await ctx.database.db.execute(sql`select text_skills from jobs where id = ${old.id}`),
    );
    expect(after?.text_skills).toEqual(expect.arrayContaining(['kotlin', 'android']));
    expect(await factsOf(old.id)).toEqual(matchFactsOf(old));
    expect((await reindexJobSkills(ctx.database.db)).changed).toBe(0); // idempotent
  });
});
