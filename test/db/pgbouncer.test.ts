/**
 * Issue 18: Jobr behind PgBouncer in transaction pooling mode (Debian's pgbouncer 1.18). A private
 * bouncer in front of the test database; the app and a pg-boss worker connect through it only. The
 * row-level-security identity is set per transaction (set_config(..., true)), so two users' requests
 * sharing the bouncer's server connections never see each other's rows. Nothing may rely on session
 * state (docs/operations.md, "Scale out").
 */
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import { loadAdminProof } from '../../src/db/admin-proof.ts';
import { type Database, openPostgres, rowsOf } from '../../src/db/client.ts';
import { systemActor, withContext } from '../../src/db/context.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { enqueue, type Queue, startQueue } from '../../src/tasks/queue.ts';
import { defineTask, noPayload } from '../../src/tasks/task.ts';
import { testConfig } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { multipartBody } from '../helpers/documents.ts';
import { createJob } from '../helpers/factories.ts';
import { type Bouncer, PGBOUNCER, startPgBouncer } from '../helpers/pgbouncer.ts';
import { testDatabaseUrl } from '../helpers/template.ts';

const skip = !testDatabaseUrl
  ? 'PostgreSQL only (TEST_DATABASE_URL): PgBouncer pools connections to a server'
  : !PGBOUNCER
    ? 'pgbouncer is not installed (apt-get install pgbouncer)'
    : '';

let target: TestDatabase;
let bouncer: Bouncer;
let viaBouncer: Database;
let config: Config;
let app: App;

beforeAll(async () => {
  if (skip) return;
  target = await createTestDatabase();
  const direct = (target.db as unknown as { $client: pg.Pool }).$client.options.connectionString ?? '';
  bouncer = await startPgBouncer(direct);
  const url = bouncer.urlFor(new URL(direct).pathname.slice(1));
  config = testConfig({ DATABASE_URL: url, DATABASE_PREPARED_STATEMENTS: 'false' });
  viaBouncer = openPostgres(url, { max: 8, idleTimeoutMs: 5000, connectTimeoutMs: 5000, statementTimeoutMs: 0 });
  await loadAdminProof(target.db, viaBouncer.db); // read through the owner connection, as at start-up
  app = await buildApp({ config, database: viaBouncer });
  await app.ready();
}, 120_000);
afterAll(async () => {
  await app?.close();
  await viaBouncer?.close();
  await bouncer?.stop();
  await target?.close();
});

type Headers = Record<string, string>;
const call = (method: 'GET' | 'POST', url: string, headers: Headers = {}, payload?: object) =>
  app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
const PASSWORD = 'correct horse battery staple';

describe.skipIf(skip !== '')(`behind PgBouncer in transaction pooling mode${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('registers, signs in, uploads a CV, searches, applies, and keeps two users apart under concurrency', {
    timeout: 120_000,
  }, async () => {
    // Server connections of the bouncer really are shared: the app's pool is larger than one.
    const signUp = async (who: string) => {
      const email = `${who}.${Date.now()}@example.test`;
      expect((await call('POST', '/auth/register', {}, { name: who, email, password: PASSWORD })).statusCode).toBe(201);
      const login = await call('POST', '/auth/login', {}, { identifier: email, password: PASSWORD });
      expect(login.statusCode, login.body).toBe(200);
      return { authorization: `Bearer ${login.json().token}` };
    };
    const ana = await signUp('ana');
    const ben = await signUp('ben');

    const text =
      'Ana Bouncer\nana@example.test\n\nExperience\nPlatform Engineer, Pool Corp, 2019 - 2024\nSkills\nPostgreSQL';
    const { payload, headers: mp } = multipartBody({ name: 'cv.txt', type: 'text/plain', bytes: Buffer.from(text) });
    const cv = await app.inject({ method: 'POST', url: '/api/v1/cvs', headers: { ...ana, ...mp }, payload });
    expect(cv.statusCode, cv.body).toBe(201);
    const file = await call('GET', `/cvs/${cv.json().id}/file`, ana);
    expect(file.body).toBe(text);

    const job = await createJob(target.db, { title: 'Connection pool tuner' });
    const found = await call('GET', '/jobs?q=pool%20tuner');
    expect(found.statusCode).toBe(200);
    expect(found.json().data.map((j: { id: string }) => j.id)).toContain(job.id);
    expect((await call('GET', `/jobs/${job.id}`)).statusCode).toBe(200);

    const applied = await call('POST', '/applications', ana, { jobId: job.id, cvId: cv.json().id });
    expect(applied.statusCode, applied.body).toBe(201);

    // Interleaved requests of both users over the shared server connections: each sees only their own.
    const rounds = await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const who = i % 2 === 0 ? ana : ben;
        return Promise.all([call('GET', '/applications', who), call('GET', '/cvs', who)]).then(([apps, cvs]) => ({
          ana: who === ana,
          apps: apps.json().data.length,
          cvs: cvs.json().data.length,
        }));
      }),
    );
    for (const r of rounds) expect(r).toEqual(r.ana ? { ana: true, apps: 1, cvs: 1 } : { ana: false, apps: 0, cvs: 0 });
    expect((await call('GET', `/cvs/${cv.json().id}`, ben)).statusCode).toBe(404);
    expect((await call('GET', `/applications/${applied.json().id}`, ben)).statusCode).toBe(404);
    // And the identity set inside a transaction never outlives it on a pooled server connection.
    const leftover = rowsOf<{ user_id: string | null }>(
      await viaBouncer.db.execute(sql`select nullif(current_setting('app.current_user_id', true), '') as user_id`),
    );
    expect(leftover[0]?.user_id ?? null).toBeNull();
  });

  it('runs a pg-boss task enqueued through the bouncer, worked through the bouncer', { timeout: 120_000 }, async () => {
    const ran: string[] = [];
    const task = defineTask<void>({
      name: 'test-bouncer',
      summary: 'records that it ran',
      schema: noPayload,
      async run() {
        ran.push('ran');
        return {};
      },
    });
    let queue: Queue | undefined;
    try {
      queue = await startQueue(
        [task as never],
        { database: viaBouncer, config, logger: createLogger(config) },
        {
          pollingIntervalSeconds: 0.5,
          schedules: false,
        },
      );
      await withContext(viaBouncer.db, systemActor, (tx) => enqueue(tx, task, undefined));
      for (let i = 0; i < 200 && ran.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(ran).toEqual(['ran']);
    } finally {
      await queue?.stop();
    }
  });
});
