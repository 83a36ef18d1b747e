/**
 * Two server processes on one PostgreSQL run each scheduled task once per period, not twice. Each
 * pg-boss instance below has its own connection pool, timekeeper and workers, as a second process
 * would. PGlite is skipped: only one process may open its data folder, so there is no second process.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.ts';
import { type Queue, startQueue } from '../../src/tasks/queue.ts';
import { defineTask, noPayload } from '../../src/tasks/task.ts';
import { testConfig } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { testDatabaseUrl } from '../helpers/template.ts';

let database: TestDatabase;
beforeAll(async () => {
  if (testDatabaseUrl) database = await createTestDatabase();
});
afterAll(async () => database?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!testDatabaseUrl)('schedules across processes', () => {
  it('runs an every-minute task once per minute with two processes checking the schedule every second', async () => {
    // The period is the wall-clock minute: start early in one, so the whole test stays inside it.
    const second = new Date().getUTCSeconds();
    if (second > 50) await sleep((61 - second) * 1000);

    const runs: string[] = [];
    const tick = (process: string) =>
      defineTask<void>({
        name: 'test-tick',
        summary: 'counts its runs',
        schema: noPayload,
        schedule: '* * * * *',
        async run() {
          runs.push(process);
          return {};
        },
      });
    const url = (database.db as unknown as { $client: pg.Pool }).$client.options.connectionString ?? '';
    const config = testConfig({ DATABASE_URL: url });
    const deps = { database, config, logger: createLogger(config) };
    const options = { cronMonitorIntervalSeconds: 1, pollingIntervalSeconds: 0.5 };
    const queues: Queue[] = [];
    try {
      const [a, b] = await Promise.all([
        startQueue([tick('a') as never], deps, options),
        startQueue([tick('b') as never], deps, options),
      ]);
      queues.push(a, b);
      for (let i = 0; i < 150 && runs.length === 0; i++) await sleep(100);
      await sleep(4000); // four more schedule checks by each process
      expect(runs).toHaveLength(1);
      const jobs = await database.superuserQuery<{ n: number }>(
        `select count(*)::int as n from pgboss.job where name = 'test-tick'`,
      );
      expect(jobs[0]?.n).toBe(1);
    } finally {
      await Promise.all(queues.map((q) => q.stop()));
    }
  });
});
