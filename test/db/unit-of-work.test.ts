/**
 * A request is one unit of work: a use case that takes several steps commits all of them or none. Each
 * test makes a later step fail (a trigger that raises, installed on this file's own database) and checks
 * that nothing of the earlier steps remains.
 */
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.ts';
import { inWork, type Work } from '../../src/db/context.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

const PASSWORD = 'correct horse battery staple';
const db = () => ctx.database.db;
const rows = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await db().execute(query));

/** Makes every `op` on user_sessions fail until the test ends. */
async function failSessions(op: 'INSERT' | 'DELETE') {
  await db().execute(
    sql.raw(`create or replace function test_fail() returns trigger language plpgsql as $$
    begin raise exception 'step failed on purpose'; end $$`),
  );
  await db().execute(
    sql.raw(`create trigger test_fail before ${op} on user_sessions for each row execute function test_fail()`),
  );
}
afterEach(async () => {
  await db().execute(sql`drop trigger if exists test_fail on user_sessions`);
});

async function register(email: string) {
  return ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { name: 'Unit Of Work', email, password: PASSWORD },
  });
}

describe('one unit of work per request', () => {
  it('registration: when the session cannot be created, the account is not created either', async () => {
    await failSessions('INSERT');
    const res = await register('atomic-register@example.test');
    expect(res.statusCode).toBe(500);
    expect(await rows(sql`select id from users where email = 'atomic-register@example.test'`)).toHaveLength(0);
  });

  it('password change: when the other sessions cannot be ended, the password is not changed', async () => {
    const first = await register('atomic-password@example.test');
    expect(first.statusCode).toBe(201);
    const token = first.json().token as string;
    const other = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { identifier: 'atomic-password@example.test', password: PASSWORD },
    });
    expect(other.statusCode).toBe(200);
    const [before] = await rows<{ password_hash: string }>(
      sql`select password_hash from users where email = 'atomic-password@example.test'`,
    );

    await failSessions('DELETE');
    const change = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}` },
      payload: { currentPassword: PASSWORD, newPassword: 'a different long passphrase' },
    });
    expect(change.statusCode).toBe(500);
    const [after] = await rows<{ password_hash: string }>(
      sql`select password_hash from users where email = 'atomic-password@example.test'`,
    );
    expect(after?.password_hash).toBe(before?.password_hash);
    // Both sessions still work: nothing of the failed change happened.
    const me = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.statusCode).toBe(200);
    const otherMe = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${other.json().token}` },
    });
    expect(otherMe.statusCode).toBe(200);
  });

  it('rolls back everything when the use case throws, and commits when it returns', async () => {
    await expect(
      inWork(db(), { kind: 'admin', userId: null }, async (w) => {
        await w.tx.execute(sql`insert into job_categories (name) values ('unit-of-work rolled back')`);
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    await inWork(db(), { kind: 'admin', userId: null }, (w) =>
      w.tx.execute(sql`insert into job_categories (name) values ('unit-of-work committed')`),
    );
    const names = await rows<{ name: string }>(sql`select name from job_categories where name like 'unit-of-work%'`);
    expect(names.map((r) => r.name)).toEqual(['unit-of-work committed']);
  });

  it('acts as one identity at a time: actAs switches what row-level security shows within the same transaction', async () => {
    const res = await register('atomic-actas@example.test');
    const userId = res.json().user.id as string;
    const count = async (w: Work) =>
      rowsOf(await w.tx.execute(sql`select id from user_sessions where user_id = ${userId}`)).length;
    const seen = await inWork(db(), { kind: 'anonymous' }, async (w) => {
      const asAnonymous = await count(w);
      await w.actAs({ kind: 'user', userId });
      return [asAnonymous, await count(w)];
    });
    expect(seen).toEqual([0, 1]);
  });
});
