/**
 * The unit of work in the modules beyond the account: each multi-step use case commits all of its steps
 * or none. Each test makes a later step fail (a trigger that raises, installed on this file's own
 * database) and checks that nothing of the earlier steps remains.
 */
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/client.ts';
import { createTestApp, type TestContext } from './helpers/app.ts';
import { signedInUser } from './helpers/auth.ts';
import { createCv, createJob } from './helpers/factories.ts';

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
