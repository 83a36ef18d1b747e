/**
 * Fault: PostgreSQL stops while the server runs. /readyz must say 503, requests must fail with a clean
 * 503 DATABASE_UNAVAILABLE (no crash, no hang), and after PostgreSQL restarts the same server must be
 * healthy again without a restart. Then the same under load: restarts (fast and immediate, i.e. a
 * crash and recovery like a failover) and killed backends while writers are busy, counting every
 * acknowledged write and finding each one afterwards. Runs against a private PostgreSQL it starts
 * itself (initdb/pg_ctl), only in the PostgreSQL test run and only where the server binaries exist.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { type Database, openPostgres } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { testConfig } from '../helpers/app.ts';
import { signedInAdmin } from '../helpers/auth.ts';
import { PgCluster, pgBin } from '../helpers/pg-cluster.ts';
import { testDatabaseUrl } from '../helpers/template.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!testDatabaseUrl || !pgBin)('database restart while serving', () => {
  let cluster: PgCluster;
  let database: Database;
  let app: App;
  let url: string;
  // Anything thrown outside a request (an 'error' event nobody listens to) would end a real server.
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => void uncaught.push(err);
  const start = () => cluster.start();

  beforeAll(async () => {
    cluster = await PgCluster.create({ prefix: 'jobr-fault-' });
    start();
    const config = testConfig({ DATABASE_URL: cluster.url() });
    if (config.database.kind !== 'postgres') throw new Error('expected postgres config');
    url = config.database.url;
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    database = openPostgres(config.database.url, { ...config.pool, connectTimeoutMs: 1000 });
    await runMigrations(database);
    app = await buildApp({ config, database });
    await app.ready();
  });

  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    await app?.close();
    await database?.close().catch(() => undefined);
    cluster?.remove();
  });

  const ready = () => app.inject({ method: 'GET', url: '/readyz' });

  it('goes 200 → 503 → 200 across a PostgreSQL stop and start', async () => {
    expect((await ready()).statusCode).toBe(200);

    cluster.stop('fast');
    const down = await ready();
    expect(down.statusCode).toBe(503);
    expect(down.json().error.code).toBe('DATABASE_UNAVAILABLE');

    // A request that needs the database (authentication looks the token up) fails cleanly too.
    const authed = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { authorization: 'Bearer some-token' },
    });
    expect(authed.statusCode).toBe(503);
    expect(authed.json().error).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });

    start();
    let status = 0;
    for (let attempt = 0; attempt < 20 && status !== 200; attempt++) {
      status = (await ready()).statusCode;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  });

  /** Polls /readyz until 200; returns how long that took. */
  async function untilReady(limitMs: number): Promise<number> {
    const began = Date.now();
    while (Date.now() - began < limitMs) {
      if ((await ready()).statusCode === 200) return Date.now() - began;
      await sleep(100);
    }
    throw new Error(`not ready within ${limitMs} ms`);
  }

  /** Ends every backend the application holds, as an operator or a failover would. */
  async function killAppBackends(): Promise<number> {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const r = await admin.query(
        "select count(*) filter (where pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = 'jobr' and pid <> pg_backend_pid()",
      );
      return r.rows[0].n as number;
    } finally {
      await admin.end();
    }
  }

  it('survives restarts and killed backends under concurrent writes, losing no acknowledged write', async () => {
    await untilReady(5_000);
    const admin = await signedInAdmin(database.db);
    type Outcome = { status: number; code?: string; id?: string; disturbed: boolean };
    const outcomes: Outcome[] = [];
    // "disturbed" spans a fault and the recovery after it; outside it, every request must succeed.
    let disturbed = false;
    let settleUntil = 0;
    let writing = true;
    let serial = 0;

    const writer = async () => {
      while (writing) {
        const title = `fault-${serial++}`;
        const startedDisturbed = disturbed || Date.now() < settleUntil;
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/jobs',
          headers: admin.headers,
          payload: { title, company: 'Fault Test', description: 'written during a database fault' },
        });
        const body = res.json();
        outcomes.push({
          status: res.statusCode,
          code: body.error?.code,
          id: res.statusCode === 201 ? body.id : undefined,
          disturbed: startedDisturbed || disturbed || Date.now() < settleUntil,
        });
        if (res.statusCode !== 201) await sleep(20);
      }
    };
    const writers = Array.from({ length: 8 }, writer);

    const recoveries: number[] = [];
    let killed = 0;
    const faults = ['fast', 'immediate', 'fast', 'immediate', 'fast'] as const;
    for (const mode of faults) {
      await sleep(300 + Math.random() * 400);
      // A killed backend at a random moment while the writers are busy.
      disturbed = true;
      killed += await killAppBackends();
      settleUntil = Date.now() + 300;
      disturbed = false;
      await sleep(200 + Math.random() * 400);

      disturbed = true;
      cluster.stop(mode);
      await sleep(300);
      const down = await ready();
      expect(down.statusCode).toBe(503);
      expect(down.json().error.code).toBe('DATABASE_UNAVAILABLE');
      start();
      recoveries.push(await untilReady(10_000));
      settleUntil = Date.now() + 300;
      disturbed = false;
    }
    await sleep(500);
    writing = false;
    await Promise.all(writers);

    expect(uncaught).toEqual([]);
    // No connection leaked by a transaction that failed half-way (a leak ends in a pool that hangs).
    const pool = (database.db as unknown as { $client: pg.Pool }).$client;
    expect(pool.totalCount - pool.idleCount).toBe(0);
    // Every failure is the clean 503, and only while the database was gone or just back.
    const failures = outcomes.filter((o) => o.status !== 201);
    expect(failures.filter((o) => o.status !== 503 || o.code !== 'DATABASE_UNAVAILABLE')).toEqual([]);
    expect(failures.filter((o) => !o.disturbed)).toEqual([]);
    // Normal service within seconds of each start.
    expect(Math.max(...recoveries)).toBeLessThan(5_000);

    const acknowledged = outcomes.flatMap((o) => (o.id ? [o.id] : []));
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    const stored = await check.query<{ id: string }>("select id from jobs where company = 'Fault Test'");
    await check.end();
    const storedIds = new Set(stored.rows.map((r) => r.id));
    const lost = acknowledged.filter((id) => !storedIds.has(id));
    process.stdout.write(
      `db-restart: ${faults.length} restarts, ${killed} backends killed, ${acknowledged.length} writes acknowledged, ${failures.length} answered 503, ${lost.length} lost, recovery ${recoveries.join('/')} ms\n`,
    );
    expect(acknowledged.length).toBeGreaterThan(10);
    expect(failures.length).toBeGreaterThan(0);
    expect(lost).toEqual([]);
  }, 90_000);
});
