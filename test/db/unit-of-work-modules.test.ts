/**
 * The unit of work in the modules beyond the account: each multi-step use case commits all of its steps
 * or none. Each test makes a later step fail (a trigger that raises, installed on this file's own
 * database) and checks that nothing of the earlier steps remains.
 */
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.ts';
import { createTestApp, storedCvIds, type TestContext } from '../helpers/app.ts';
import { signedInUser } from '../helpers/auth.ts';
import { multipartBody } from '../helpers/documents.ts';
import { createApplication, createCv, createJob } from '../helpers/factories.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
  await db().execute(
    sql.raw(`create or replace function test_fail() returns trigger language plpgsql as $$
    begin raise exception 'step failed on purpose'; end $$`),
  );
});
afterAll(async () => ctx?.close());

const db = () => ctx.database.db;
const rows = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await db().execute(query));

const failing: string[] = [];
/** Makes every `op` on `table` fail until the test ends. */
async function fail(table: string, op: 'INSERT' | 'UPDATE' | 'DELETE') {
  await db().execute(
    sql.raw(`create trigger test_fail before ${op} on ${table} for each row execute function test_fail()`),
  );
  failing.push(table);
}
afterEach(async () => {
  for (const table of failing.splice(0)) await db().execute(sql.raw(`drop trigger if exists test_fail on ${table}`));
});

describe('applications', () => {
  it('apply: when the usage row cannot be written, neither the application nor its history remains', async () => {
    const seeker = await signedInUser(db());
    const job = await createJob(db());
    const cv = await createCv(db(), { userId: seeker.user.id });
    await fail('usage_tracking', 'INSERT');
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: seeker.headers,
      payload: { jobId: job.id, cvId: cv.id },
    });
    expect(res.statusCode).toBe(500);
    expect(await rows(sql`select id from applications where user_id = ${seeker.user.id}`)).toHaveLength(0);
    expect(
      await rows(sql`select h.id from application_status_history h join applications a on a.id = h.application_id
        where a.user_id = ${seeker.user.id}`),
    ).toHaveLength(0);
  });

  it('apply: succeeds with the application, its first history row and one usage row together', async () => {
    const seeker = await signedInUser(db());
    const job = await createJob(db());
    const cv = await createCv(db(), { userId: seeker.user.id });
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: seeker.headers,
      payload: { jobId: job.id, cvId: cv.id },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().history).toHaveLength(1);
    expect(
      await rows(
        sql`select id from usage_tracking where user_id = ${seeker.user.id} and action_type = 'job_application'`,
      ),
    ).toHaveLength(1);
  });
});

describe('CVs', () => {
  const cvText =
    'Asha Verma\nasha@example.test\nExperience\nBackend engineer, Example Corp 2019 - 2024\nSkills\nNode.js, PostgreSQL';
  const upload = (headers: Record<string, string>) => {
    const { payload, headers: multipart } = multipartBody({
      name: 'cv.txt',
      type: 'text/plain',
      bytes: Buffer.from(cvText),
    });
    return ctx.app.inject({ method: 'POST', url: '/api/v1/cvs', headers: { ...headers, ...multipart }, payload });
  };
  const storedFiles = () => storedCvIds(ctx);

  it('upload: when the usage row cannot be written, neither the CV row nor its stored file remains', async () => {
    const seeker = await signedInUser(db());
    const before = await storedFiles();
    await fail('usage_tracking', 'INSERT');
    const res = await upload(seeker.headers);
    expect(res.statusCode).toBe(500);
    expect(await rows(sql`select id from cvs where user_id = ${seeker.user.id}`)).toHaveLength(0);
    expect((await storedFiles()).sort()).toEqual(before.sort());
  });

  it('upload: succeeds with the row, the stored file and one usage row', async () => {
    const seeker = await signedInUser(db());
    const res = await upload(seeker.headers);
    expect(res.statusCode, res.body).toBe(201);
    expect(await storedFiles()).toContain(res.json().id);
    expect(
      await rows(sql`select id from usage_tracking where user_id = ${seeker.user.id} and action_type = 'cv_upload'`),
    ).toHaveLength(1);
  });

  it('delete: when the cascade cannot remove the applications, the CV and its file stay', async () => {
    const seeker = await signedInUser(db());
    const res = await upload(seeker.headers);
    const cvId = res.json().id as string;
    await createApplication(db(), { userId: seeker.user.id, cvId });
    await fail('applications', 'DELETE');
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/cvs/${cvId}?confirm=true`,
      headers: seeker.headers,
    });
    expect(del.statusCode).toBe(500);
    expect(await rows(sql`select id from cvs where id = ${cvId}`)).toHaveLength(1);
    expect(await storedFiles()).toContain(cvId);
  });
});

describe('cover letters', () => {
  async function letterFor(seeker: Awaited<ReturnType<typeof signedInUser>>) {
    const job = await createJob(db(), { requirements: ['Node.js'] });
    const cv = await createCv(db(), {
      userId: seeker.user.id,
      parsedContent: 'Backend engineer. Node.js, PostgreSQL.',
    });
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/cover-letters',
      headers: seeker.headers,
      payload: { jobId: job.id, cvId: cv.id },
    });
    return { res, job, cv };
  }

  it('generate: when the usage row cannot be written, no letter is stored', async () => {
    const seeker = await signedInUser(db());
    await fail('usage_tracking', 'INSERT');
    const { res } = await letterFor(seeker);
    expect(res.statusCode).toBe(500);
    expect(await rows(sql`select id from cover_letters where user_id = ${seeker.user.id}`)).toHaveLength(0);
  });

  it('attach: when the letter cannot be linked, the application keeps its own cover letter', async () => {
    const seeker = await signedInUser(db());
    const { res, job, cv } = await letterFor(seeker);
    expect(res.statusCode, res.body).toBe(201);
    const application = await createApplication(db(), {
      userId: seeker.user.id,
      jobId: job.id,
      cvId: cv.id,
      coverLetter: 'my own letter',
    });
    await fail('cover_letters', 'UPDATE');
    const attach = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/cover-letters/${res.json().id}/attach`,
      headers: seeker.headers,
      payload: { applicationId: application.id },
    });
    expect(attach.statusCode).toBe(500);
    const [row] = await rows<{ cover_letter: string }>(
      sql`select cover_letter from applications where id = ${application.id}`,
    );
    expect(row?.cover_letter).toBe('my own letter');
  });
});
