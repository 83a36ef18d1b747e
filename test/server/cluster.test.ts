/**
 * Cluster mode (JOBR_WORKERS, src/cluster.ts) through real HTTP: the server started with two workers
 * answers on one port from both, keeps a private tracked job private whichever worker answers, replaces a
 * worker that dies, and stops every worker cleanly on SIGTERM. PostgreSQL only: the embedded database
 * refuses more than one worker (test/server/config.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createJob, createUser } from '../helpers/factories.ts';
import { type NodeProcess, startNode } from '../helpers/node-process.ts';
import { testDatabaseUrl } from '../helpers/template.ts';

let database: TestDatabase;
let node: NodeProcess;

/** Worker ids in the access log lines ("request completed") written so far. */
const workersThatAnswered = () =>
  new Set(
    node
      .output()
      .split('\n')
      .filter((line) => line.includes('"request completed"'))
      .map((line) => (JSON.parse(line) as { worker?: number }).worker),
  );

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600 && !condition(); i++) await new Promise((r) => setTimeout(r, 100));
  if (!condition()) throw new Error(`timed out waiting for ${what}:\n${node.output()}`);
}

/** A new connection per request (`connection: close`), so the primary hands each to the next worker. */
const get = (path: string) => fetch(`${node.url}${path}`, { headers: { connection: 'close' } });

/** The primary's children that run the server (tsx also starts an esbuild service). */
const workerPids = () =>
  spawnSync('pgrep', ['-P', String(node.pid), '-f', 'server.ts'], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .map(Number);

beforeAll(async () => {
  if (!testDatabaseUrl) return;
  database = await createTestDatabase();
  const url = (database.db as unknown as { $client: pg.Pool }).$client.options.connectionString ?? '';
  node = await startNode({ DATABASE_URL: url, JOBR_WORKERS: '2', LOG_LEVEL: 'info', DB_POOL_MIN: '1' });
  await until(() => node.output().includes('Jobr is ready (cluster)'), 'both workers');
}, 300_000);
afterAll(async () => {
  await node?.stop();
  await database?.close();
});

describe.skipIf(!testDatabaseUrl)('cluster mode (JOBR_WORKERS=2)', { timeout: 120_000 }, () => {
  it('answers from both workers on one port', async () => {
    const job = await createJob(database.db, { title: 'Cluster Engineer' });
    for (let i = 0; i < 8; i++) {
      const res = await get(`/api/v1/jobs/${job.id}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { title: string }).title).toBe('Cluster Engineer');
    }
    await until(() => workersThatAnswered().size === 2, 'requests on both workers');
    expect(workersThatAnswered()).toEqual(new Set([1, 2]));
  });

  it("keeps another user's tracked job a 404 on every worker", async () => {
    const owner = await createUser(database.db);
    const tracked = await createJob(database.db, { title: 'Private', ownerUserId: owner.id });
    for (let i = 0; i < 4; i++) {
      const res = await get(`/api/v1/jobs/${tracked.id}`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('JOB_NOT_FOUND');
    }
    expect((await get(`/api/v1/jobs/${randomUUID()}`)).status).toBe(404);
    expect((await get('/api/v1/jobs/not-a-uuid')).status).toBe(400);
  });

  it('replaces a worker that dies, and keeps answering meanwhile', async () => {
    const [victim] = workerPids();
    expect(workerPids()).toHaveLength(2);
    process.kill(victim as number, 'SIGKILL');
    await until(() => node.output().includes('a worker died; starting a replacement'), 'the death noticed');
    expect((await get('/readyz')).status).toBe(200);
    await until(() => /"worker":3,.*"Jobr is ready"/.test(node.output()), 'the replacement');
    expect(workerPids()).toHaveLength(2);
    expect(workerPids()).not.toContain(victim);
  });

  it('stops every worker and exits 0 on SIGTERM', async () => {
    process.kill(node.pid, 'SIGTERM');
    expect(await node.exited).toBe(0);
    const out = node.output();
    expect(out).toContain('all workers stopped');
    expect(out.match(/"msg":"stopped"/g)).toHaveLength(2);
    expect(out).not.toContain('did not stop in time');
  });
});
