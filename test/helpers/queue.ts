/**
 * Works the jobs waiting in one task's pg-boss queue, in the test process: pg-boss's own fetch, complete
 * and fail statements against the test database, the task's real handler in between. Test apps do not
 * start pg-boss workers, so a test that enqueues calls this where a worker would have picked the job up.
 */
import PgBoss from 'pg-boss';
import pino from 'pino';
import type { Config } from '../../src/config.ts';
import { QUEUE_SCHEMA } from '../../src/tasks/queue.ts';
import type { Task } from '../../src/tasks/task.ts';
import type { TestDatabase } from './db.ts';

// Never started and opens no connection: every call passes its `db`.
const boss = new PgBoss({
  schema: QUEUE_SCHEMA,
  db: {
    executeSql: async () => {
      throw new Error('pass options.db');
    },
  },
});
const silent = pino({ level: 'silent' });

export type WorkResult = { completed: number; failed: number; errors: string[] };

/**
 * Fetches and runs jobs (a batch at a time, concurrently) until none is left or a whole batch failed.
 * Retries are made due at once; with `expireActive`, jobs left active by a run that was cut off (a
 * killed connection) go back to retry, as pg-boss's expiry would do later.
 */
export async function workQueue<P>(
  ctx: { database: TestDatabase; config: Config },
  task: Task<P>,
  options: { expireActive?: boolean } = {},
): Promise<WorkResult> {
  const db = {
    executeSql: async (text: string, values?: unknown[]) => ({ rows: await ctx.database.superuserQuery(text, values) }),
  };
  const result: WorkResult = { completed: 0, failed: 0, errors: [] };
  if (options.expireActive) {
    await ctx.database.superuserQuery(`update pgboss.job set state = 'retry' where name = $1 and state = 'active'`, [
      task.name,
    ]);
  }
  for (;;) {
    await ctx.database.superuserQuery(
      `update pgboss.job set start_after = now() - interval '1 second' where name = $1 and state in ('created', 'retry')`,
      [task.name],
    );
    const jobs = await boss.fetch<P>(task.name, { batchSize: 20, db });
    if (jobs.length === 0) return result;
    let progressed = false;
    await Promise.all(
      jobs.map(async (job) => {
        try {
          const payload = task.schema.parse(job.data);
          await task.run({ db: ctx.database.db, config: ctx.config, logger: silent, now: new Date() }, payload);
          await boss.complete(task.name, job.id, {}, { db });
          result.completed++;
          progressed = true;
        } catch (err) {
          result.failed++;
          result.errors.push((err as Error).message);
          await boss.fail(task.name, job.id, { message: (err as Error).message }, { db }).catch(() => undefined);
        }
      }),
    );
    if (!progressed) return result;
  }
}

/** Jobs of a queue by state, e.g. { created: 2, completed: 10 }. */
export async function jobCounts(database: TestDatabase, name: string): Promise<Record<string, number>> {
  const rows = await database.superuserQuery<{ state: string; n: number }>(
    'select state, count(*)::int as n from pgboss.job where name = $1 group by state',
    [name],
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/** Works every waiting job of `task` and fails the test on any failure. Returns how many ran. */
export async function workQueued<P>(ctx: { database: TestDatabase; config: Config }, task: Task<P>): Promise<number> {
  const result = await workQueue(ctx, task);
  if (result.failed > 0) throw new Error(`${task.name}: ${result.errors.join('; ')}`);
  return result.completed;
}
