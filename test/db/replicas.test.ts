/**
 * Read replicas: catalogue search and anonymous job detail go to a fit replica, everything else to the
 * primary; a lagging or stopped replica is skipped. The router's rules run everywhere against stand-in
 * databases; the real thing runs in the PostgreSQL test run against a private primary and a
 * `pg_basebackup -R` streaming replica the test starts on loopback (skipped without the binaries).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { loadAdminProof } from '../../src/db/admin-proof.ts';
import { type Database, type Db, openPostgres } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { replicaName, replicaRouter, withReplicas } from '../../src/db/replicas.ts';
import { testConfig } from '../helpers/app.ts';
import { signedInAdmin } from '../helpers/auth.ts';
import { PgCluster, pgBin } from '../helpers/pg-cluster.ts';
import { testDatabaseUrl } from '../helpers/template.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean | Promise<boolean>, limitMs: number, what: string): Promise<void> {
  const began = Date.now();
  while (!(await condition())) {
    if (Date.now() - began > limitMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A stand-in database whose lag query answers `lag()` (or throws it). */
function standIn(name: string, lag: () => number | Error): { name: string; database: Database } {
  const db = {
    name,
    execute: async () => {
      const value = lag();
      if (value instanceof Error) throw value;
      return { rows: [{ lag_ms: value }] };
    },
  } as unknown as Db;
  return {
    name,
    database: {
      kind: 'postgres',
      db,
      preparedStatements: false,
      warm: async () => {},
      ping: async () => undefined,
      close: async () => undefined,
    },
  };
}

const connectionRefused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });

describe('replica configuration and routing rules', () => {
  it('reads DATABASE_REPLICA_URLS as a list, and ignores it for the embedded database', () => {
    const config = testConfig({
      DATABASE_URL: 'postgres://u:secret@primary:5432/jobr',
      DATABASE_REPLICA_URLS: ' postgres://u:secret@r1:5432/jobr, postgres://u:secret@r2:5433/jobr ,',
      DATABASE_REPLICA_MAX_LAG_MS: '1500',
    });
    expect(config.replicas).toEqual({
      urls: ['postgres://u:secret@r1:5432/jobr', 'postgres://u:secret@r2:5433/jobr'],
      maxLagMs: 1500,
      checkIntervalMs: 2000,
    });
    expect(testConfig({ DATABASE_REPLICA_URLS: 'postgres://r1/jobr' }).replicas.urls).toEqual([]);
    expect(() => testConfig({ DATABASE_URL: 'postgres://p/jobr', DATABASE_REPLICA_URLS: 'not a url' })).toThrow(
      /DATABASE_REPLICA_URLS/,
    );
    // The name used in logs and metric labels never carries the credentials.
    expect(replicaName('postgres://u:secret@r1:6432/jobr')).toBe('r1:6432/jobr');
  });

  it('uses replicas within the lag bound in turn, skips the others, and falls back to the primary', async () => {
    let lagB: number | Error = 10;
    const a = standIn('a', () => 100);
    const b = standIn('b', () => lagB);
    const primary = standIn('primary', () => 0).database;
    const router = replicaRouter(primary, [a, b], { maxLagMs: 500, checkIntervalMs: 60_000 });
    const served = async () => router.read(async (db) => (db as unknown as { name: string }).name);

    expect(await served()).toBe('primary'); // nothing checked yet: nothing known to be fit
    await router.check();
    expect(new Set([await served(), await served()])).toEqual(new Set(['a', 'b']));

    lagB = 5000;
    await router.check();
    expect(router.status()).toEqual([
      { name: 'a', healthy: true, lagMs: 100 },
      { name: 'b', healthy: false, lagMs: 5000 },
    ]);
    expect([await served(), await served()]).toEqual(['a', 'a']);

    lagB = connectionRefused();
    await router.check();
    expect(router.status()[1]).toEqual({ name: 'b', healthy: false, lagMs: null });
    await router.close();
  });

  it('re-runs a read on the primary when its replica dies mid-read, and passes other errors through', async () => {
    const primary = standIn('primary', () => 0).database;
    const router = replicaRouter(primary, [standIn('a', () => 0)], { maxLagMs: 500, checkIntervalMs: 60_000 });
    await router.check();
    const onReplicaFails = (err: Error) => async (db: Db) => {
      if ((db as unknown as { name: string }).name === 'a') throw err;
      return 'from primary';
    };
    // Conflict with recovery: the primary answers, the replica stays in use.
    const conflict = Object.assign(new Error('canceling statement due to conflict with recovery'), { code: '40001' });
    expect(await router.read(onReplicaFails(conflict))).toBe('from primary');
    expect(router.status()[0]?.healthy).toBe(true);
    // A query error of the request itself is the request's answer.
    await expect(router.read(onReplicaFails(new Error('bad cursor')))).rejects.toThrow('bad cursor');
    // Gone: the primary answers and the replica is skipped until a check finds it again.
    expect(await router.read(onReplicaFails(connectionRefused()))).toBe('from primary');
    expect(router.status()[0]?.healthy).toBe(false);
    await router.close();
  });
});

describe.skipIf(!testDatabaseUrl || !pgBin)('a real streaming replica', () => {
  let primary: PgCluster;
  let replica: PgCluster;
  let database: Database;
  let app: App;
  let replicaAdmin: pg.Client;

  beforeAll(async () => {
    primary = await PgCluster.create({ prefix: 'jobr-primary-', settings: { wal_level: 'replica', fsync: 'off' } });
    primary.start();
    const owner = openPostgres(primary.url(), testConfig().pool);
    await runMigrations(owner);
    replica = await PgCluster.replicaOf(primary);
    replica.start();
    const config = testConfig({
      DATABASE_URL: primary.url(),
      DATABASE_REPLICA_URLS: replica.url(),
      DATABASE_REPLICA_MAX_LAG_MS: '4000',
      DATABASE_REPLICA_CHECK_MS: '200',
    });
    const primaryDb = openPostgres(primary.url(), config.pool);
    await loadAdminProof(owner.db, primaryDb.db); // read through the owner connection, as at start-up
    await owner.close();
    database = await withReplicas(primaryDb, config);
    app = await buildApp({ config, database });
    await app.ready();
    replicaAdmin = new pg.Client({ connectionString: replica.url() });
    await replicaAdmin.connect();
  }, 60_000);

  afterAll(async () => {
    await replicaAdmin?.end().catch(() => undefined);
    await app?.close();
    await database?.close().catch(() => undefined);
    replica?.remove();
    primary?.remove();
  });

  const search = async (q: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/jobs?q=${encodeURIComponent(q)}&facets=false` });
    expect(res.statusCode).toBe(200);
    return (res.json().data as Array<{ id: string }>).map((j) => j.id);
  };
  const replicaStatus = () => database.replicas?.status()[0];

  it('serves search from the replica, skips it once it lags, and falls back when it stops', async () => {
    const admin = await signedInAdmin(database.db);
    const createJob = async (title: string) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/jobs',
        headers: admin.headers,
        payload: { title, company: 'Replica Test', description: `posting ${title}` },
      });
      expect(res.statusCode).toBe(201);
      return res.json().id as string;
    };
    expect(replicaStatus()).toMatchObject({ healthy: true, name: `127.0.0.1:${replica.port}/postgres` });

    // Streaming works: a job written on the primary becomes searchable (and the replica is caught up).
    const first = await createJob(`Streamed ${randomUUID().slice(0, 8)}`);
    await until(async () => (await search('Streamed')).includes(first), 10_000, 'the replica to replay');

    // Replay paused: the next job is on the primary only. Search (the replica) does not see it; the
    // administrator's detail (signed in: the primary) does, the anonymous detail (replica) does not.
    await replicaAdmin.query('select pg_wal_replay_pause()');
    const paused = await createJob(`Paused ${randomUUID().slice(0, 8)}`);
    expect(await search('Paused')).toEqual([]);
    expect(replicaStatus()?.healthy).toBe(true); // the answer above came from a replica within its bound
    const asAdmin = await app.inject({ method: 'GET', url: `/api/v1/jobs/${paused}`, headers: admin.headers });
    expect(asAdmin.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/api/v1/jobs/${paused}` })).statusCode).toBe(404);

    // Lag beyond the bound (4 s): the router skips the replica and search reads the primary.
    await until(() => replicaStatus()?.healthy === false, 15_000, 'the replica to count as lagging');
    expect(replicaStatus()?.lagMs).toBeGreaterThan(4000);
    expect(await search('Paused')).toEqual([paused]);
    expect((await app.inject({ method: 'GET', url: `/api/v1/jobs/${paused}` })).statusCode).toBe(200);

    // Replay resumed: the replica catches up and is used again.
    await replicaAdmin.query('select pg_wal_replay_resume()');
    await until(() => replicaStatus()?.healthy === true, 10_000, 'the replica to catch up');
    expect(await search('Paused')).toEqual([paused]);

    // The metric shows the latest check. A WAL record the idle primary writes on its own (a standby
    // snapshot, autovacuum) makes one check see the replica behind, by the age of the last commit it
    // replayed, until that record is replayed: so the metric is read until a check finds it caught up.
    const label = `replica="127.0.0.1:${replica.port}/postgres"`;
    let metrics = '';
    await until(
      async () => {
        metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
        return metrics.includes(`jobr_db_replica_up{${label}} 1`);
      },
      10_000,
      'the metric to show the replica in use',
    );
    expect(metrics).toMatch(new RegExp(`jobr_db_replica_lag_seconds\\{${label}\\} [0-9.e-]+\\n`));

    // Stopped: the reads that were on their way to it are answered by the primary, without an error.
    await replicaAdmin.end();
    replica.stop('fast');
    for (let i = 0; i < 5; i++) expect(await search('Paused')).toEqual([paused]);
    expect(replicaStatus()).toMatchObject({ healthy: false, lagMs: null });
    expect((await app.inject({ method: 'GET', url: `/api/v1/jobs/${paused}` })).statusCode).toBe(200);
    const afterStop = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(afterStop).toContain(`jobr_db_replica_up{${label}} 0`);
    expect(afterStop).not.toContain(`jobr_db_replica_lag_seconds{${label}}`);
  }, 60_000);
});
