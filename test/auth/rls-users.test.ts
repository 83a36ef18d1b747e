/**
 * Issue 11, item 18: `users` under row-level security, and an administrator context that SQL running as
 * the application role cannot forge.
 *
 * "As the application" means what injected SQL would run as. On PostgreSQL that is a real login role
 * that is a member of jobr_app and not a superuser (as in production: jobr_web IN ROLE jobr_app), so
 * even RESET ROLE cannot escape. PGlite has one connection and it is a superuser: there the application
 * switches to jobr_app with SET LOCAL ROLE, which the policies and the grant check hold to, but SQL that
 * could run `RESET ROLE` would be the superuser again; the embedded database enforces the policies, not
 * a boundary against SQL injection (docs/decisions/002).
 */
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadAdminProof } from '../../src/db/admin-proof.ts';
import { type Database, openPostgres, rowsOf } from '../../src/db/client.ts';
import { anonymous, inWork, systemActor, withContext } from '../../src/db/context.ts';
import { users } from '../../src/db/schema/index.ts';
import { testConfig } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createUser } from '../helpers/factories.ts';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

let database: TestDatabase;
/** On PostgreSQL: a login role like production's jobr_web (member of jobr_app, not a superuser). */
let loginRole: string | undefined;
let loginUrl: string | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  if (onPostgres) {
    loginRole = `jobr_web_${randomBytes(4).toString('hex')}`;
    await database.superuserQuery(`CREATE ROLE ${loginRole} LOGIN NOSUPERUSER NOBYPASSRLS IN ROLE jobr_app`);
    const [current] = await database.superuserQuery<{ name: string }>('select current_database() as name');
    const url = new URL(process.env.TEST_DATABASE_URL as string);
    url.username = loginRole;
    url.password = '';
    url.pathname = `/${current?.name}`;
    loginUrl = url.toString();
  }
});

afterAll(async () => {
  await database?.close();
  if (loginRole) {
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${loginRole}`);
    await admin.end();
  }
});

/**
 * Runs statements in one transaction the way injected SQL would: as the login role on PostgreSQL,
 * as jobr_app (SET LOCAL ROLE) on PGlite. Returns the rows of the last statement.
 */
async function asApplication(statements: string[]): Promise<Record<string, unknown>[]> {
  if (loginUrl) {
    const client = new pg.Client({ connectionString: loginUrl });
    await client.connect();
    try {
      await client.query('begin');
      let rows: Record<string, unknown>[] = [];
      for (const text of statements) rows = (await client.query(text)).rows;
      await client.query('rollback');
      return rows;
    } finally {
      await client.end();
    }
  }
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`set local role jobr_app`);
    let rows: Record<string, unknown>[] = [];
    for (const text of statements) rows = rowsOf(await tx.execute(sql.raw(text)));
    return rows;
  });
}

/** The database's own message: Drizzle wraps it in "Failed query: …" with the error as the cause. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    const e = err as { message: string; cause?: { message: string } };
    return e.cause?.message ?? e.message;
  }
  return 'no error';
}

const count = async (statements: string[]) => Number((await asApplication(statements))[0]?.n);

describe('users under row-level security (item 18)', () => {
  it('shows no user row to the application role without a context', async () => {
    await createUser(database.db);
    expect(await count(['select count(*) as n from users'])).toBe(0);
    expect(await asApplication(['select * from users'])).toEqual([]);
    // …whatever the settings an injected statement writes: the old admin flag grants nothing.
    expect(await count(["select set_config('app.is_admin', 'on', true)", 'select count(*) as n from users'])).toBe(0);
  });

  it('cannot grant itself the administrator context', async () => {
    expect(await refusal(asApplication(["select app_grant_admin('a guess')"]))).toMatch(/proof refused/);
    expect(await refusal(asApplication(['insert into app_admin_grants values (pg_current_xact_id())']))).toMatch(
      /permission denied/,
    );
    expect(await refusal(asApplication(['select secret from app_admin_secret']))).toMatch(/permission denied/);
    expect(
      await asApplication(["select set_config('app.is_admin', 'on', true)", 'select app_is_admin() as admin']),
    ).toEqual([{ admin: false }]);
  });

  it('cannot create an administrator or make anyone one', async () => {
    const email = `intruder-${randomBytes(3).toString('hex')}@example.test`;
    expect(
      await refusal(asApplication([`insert into users (name, email, role) values ('Intruder', '${email}', 'admin')`])),
    ).toMatch(/row-level security|administrators/);
    // Without a context the row is not even there to update…
    const victim = await createUser(database.db);
    expect(await asApplication([`update users set role = 'admin' where id = '${victim.id}' returning id`])).toEqual([]);
    // …and a user's own row cannot be promoted either.
    expect(
      await refusal(
        asApplication([
          `select set_config('app.current_user_id', '${victim.id}', true)`,
          `update users set role = 'admin' where id = '${victim.id}'`,
        ]),
      ),
    ).toMatch(/only administrators change a role/);
    const [row] = await database.superuserQuery<{ role: string }>('select role from users where id = $1', [victim.id]);
    expect(row?.role).toBe('user');
  });

  it('shows a sign-in the one row it names, and lets it change only the lockout counters', async () => {
    const named = await createUser(database.db, { passwordHash: 'x' });
    await createUser(database.db);
    const setLogin = `select set_config('app.login_identifier', '${named.email}', true)`;
    expect(await asApplication([setLogin, 'select id from users'])).toEqual([{ id: named.id }]);
    expect(
      await asApplication([
        setLogin,
        'update users set failed_login_attempts = failed_login_attempts + 1 returning id',
      ]),
    ).toEqual([{ id: named.id }]);
    expect(await refusal(asApplication([setLogin, "update users set password_hash = 'mine'"]))).toMatch(
      /only the lockout counters/,
    );
  });

  it.runIf(onPostgres)('cannot leave the application role on PostgreSQL', async () => {
    expect(await refusal(asApplication(['set role postgres']))).toMatch(/permission denied/);
    expect(await count(['reset role', 'select count(*) as n from users'])).toBe(0);
    expect(await refusal(asApplication(['alter table users disable row level security']))).toMatch(/owner/);
  });

  it('grants the administrator context to the process, for one transaction only', async () => {
    const { db } = database;
    await createUser(db);
    const seen = await withContext(db, systemActor, (tx) => tx.select({ id: users.id }).from(users));
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 3; i++) {
      await withContext(db, systemActor, (tx) => tx.execute(sql`select 1`));
      expect(await withContext(db, anonymous, (tx) => tx.select().from(users))).toEqual([]);
    }
    // A unit of work that continues as a user is no longer administrator.
    const user = await createUser(db);
    const asUser = await inWork(db, systemActor, async (w) => {
      await w.actAs({ kind: 'user', userId: user.id });
      return rowsOf<{ admin: boolean }>(await w.tx.execute(sql`select app_is_admin() as admin`));
    });
    expect(asUser).toEqual([{ admin: false }]);
    const own = await withContext(db, { kind: 'user', userId: user.id }, (tx) =>
      tx.select({ id: users.id }).from(users),
    );
    expect(own).toEqual([{ id: user.id }]);
  });

  it('checks the grant once per statement in every policy, not once per row', async () => {
    const rowByRow = await database.superuserQuery<{ policy: string }>(
      `select tablename || '.' || policyname as policy from pg_policies
        where regexp_replace(coalesce(qual, '') || coalesce(with_check, ''), '\\( SELECT app_is_admin\\(\\) AS app_is_admin\\)', '', 'g')
              like '%app_is_admin()%'`,
    );
    expect(rowByRow).toEqual([]);
  });

  it('leaves no grant rows of finished transactions behind for long', async () => {
    for (let i = 0; i < 5; i++) await withContext(database.db, systemActor, (tx) => tx.execute(sql`select 1`));
    const [row] = await database.superuserQuery<{ n: number }>('select count(*)::int as n from app_admin_grants');
    expect(row?.n).toBeLessThanOrEqual(1);
  });
});

describe.runIf(onPostgres)('every flow, with the application connected as a non-superuser login role', () => {
  let appDatabase: Database;
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    appDatabase = openPostgres(loginUrl as string, {
      max: 4,
      idleTimeoutMs: 1000,
      connectTimeoutMs: 5000,
      statementTimeoutMs: 0,
    });
    await loadAdminProof(database.db, appDatabase.db);
    app = await buildApp({ config: testConfig(), database: appDatabase });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await appDatabase?.close();
  });

  it('registers, signs in, reads /me, resets a password and runs an administrator route', async () => {
    const email = `flow-${randomBytes(3).toString('hex')}@example.test`;
    const password = 'correct horse battery staple 42';
    const registered = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { name: 'Flow Person', email, password },
    });
    expect(registered.statusCode).toBe(201);
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { identifier: email, password },
    });
    expect(login.statusCode).toBe(200);
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { identifier: email, password: 'wrong password entirely 1' },
    });
    expect(wrong.statusCode).toBe(401);
    const token = login.json().token as string;
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json()).toMatchObject({ email, role: 'user' });
    const reset = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/request',
      payload: { identifier: email },
    });
    expect(reset.statusCode).toBe(202);

    const admin = await createUser(database.db, {
      role: 'admin',
      email: `admin-${randomBytes(3).toString('hex')}@example.test`,
    });
    const adminSession = await inWork(appDatabase.db, { kind: 'admin', userId: admin.id }, async (w) => {
      const { createSession } = await import('../../src/modules/auth/sessions.ts');
      return createSession(w.tx, { userId: admin.id });
    });
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: { authorization: `Bearer ${adminSession.token}` },
      payload: { title: 'Platform Engineer', company: 'Example Corp', description: 'Keep it running.' },
    });
    expect(created.statusCode).toBe(201);
    const [row] = await database.superuserQuery<{ role: string }>('select role from users where lower(email) = $1', [
      email,
    ]);
    expect(row?.role).toBe('user');
    expect(await database.db.select({ id: users.id }).from(users).where(eq(users.email, email))).toHaveLength(1);
  });
});
