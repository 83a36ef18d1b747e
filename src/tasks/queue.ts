/**
 * The one durable queue: pg-boss 10 on the application's own database (docs/decisions/008-pg-boss-queue.md).
 * - `enqueue(tx, task, payload)` inserts the job with the caller's transaction, so the job exists if and
 *   only if that transaction commits;
 * - `startQueue` starts pg-boss in the server process: it registers the schedules of periodic tasks and
 *   works every queue. On PostgreSQL pg-boss has its own small pool; on PGlite (one connection) it goes
 *   through the same client with the `db.executeSql` adapter, and PGlite's own lock serialises it with
 *   the application's transactions.
 */
import type { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Database, Tx } from '../db/client.ts';
import { rowsOf } from '../db/client.ts';
import { recordTaskRun } from '../modules/ops/metrics.ts';
import type { Task, TaskResult } from './task.ts';

export const QUEUE_SCHEMA = 'pgboss';

type ExecuteSql = { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };

/** pg-boss's SQL ($1, $2 ... placeholders) run through Drizzle on a transaction, with bound parameters. */
export function txAdapter(tx: Tx): ExecuteSql {
  return {
    async executeSql(text, values = []) {
      const chunks: SQL[] = [];
      let last = 0;
      for (const m of text.matchAll(/\$(\d+)/g)) {
        chunks.push(sql.raw(text.slice(last, m.index)));
        const value = values[Number(m[1]) - 1];
        chunks.push(sql`${value === undefined ? null : value}`);
        last = (m.index ?? 0) + m[0].length;
      }
      chunks.push(sql.raw(text.slice(last)));
      return { rows: rowsOf(await tx.execute(sql.join(chunks, sql.raw('')))) };
    },
  };
}

/** PGlite: parameterised statements through `query`, parameterless (possibly multi-statement) scripts through `exec`. */
export function pgliteAdapter(client: PGlite): ExecuteSql {
  return {
    async executeSql(text, values) {
      if (values && values.length > 0) return { rows: (await client.query(text, values)).rows };
      const results = await client.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    },
  };
}

// A PgBoss that is never started: only its `send` (job construction, defaults, validation) is used, with
// the caller's transaction as the database. It opens no connection.
const sender = new PgBoss({
  schema: QUEUE_SCHEMA,
  db: {
    executeSql: async () => {
      throw new Error('enqueue needs a transaction');
    },
  },
});

/**
 * Enqueue `task` with `payload` in the caller's transaction. Rolled back with it; committed with it.
 * Returns the job id (null when a singleton key de-duplicated it).
 */
export async function enqueue<P>(
  tx: Tx,
  task: Task<P>,
  payload: P,
  options: { singletonKey?: string; startAfter?: Date } = {},
): Promise<string | null> {
  const data = task.schema.parse(payload) ?? {};
  const id = await sender.send(task.name, data as object, {
    ...options,
    ...(task.retry ? { retryLimit: task.retry.limit, retryDelay: task.retry.delaySeconds, retryBackoff: true } : {}),
    db: txAdapter(tx),
  });
  // pg-boss inserts nothing into a queue that does not exist: that is a bug here, not a silent no-op.
  if (id === null && !options.singletonKey) throw new Error(`queue ${task.name} does not exist`);
  return id;
}

/**
 * Enqueue `task` once per payload in the caller's transaction, as one multi-row insert (pg-boss `insert`):
 * for set-based writers such as the alert run, one statement instead of one per job. Unlike `enqueue`
 * it cannot tell a missing queue (pg-boss's insert returns nothing): use it for queues a migration creates.
 */
export async function enqueueMany<P>(tx: Tx, task: Task<P>, payloads: P[]): Promise<void> {
  if (payloads.length === 0) return;
  const retry = task.retry
    ? { retryLimit: task.retry.limit, retryDelay: task.retry.delaySeconds, retryBackoff: true }
    : {};
  await sender.insert(
    payloads.map((payload) => ({ name: task.name, data: (task.schema.parse(payload) ?? {}) as object, ...retry })),
    { db: txAdapter(tx) },
  );
}

export type Queue = { boss: PgBoss; stop(): Promise<void> };

export type QueueOptions = {
  /** Seconds between polls for new jobs (pg-boss default 2). */
  pollingIntervalSeconds?: number;
  /** Seconds between checks of the schedules (pg-boss default 30; one process checks per interval). */
  cronMonitorIntervalSeconds?: number;
  /** Do not register schedules (`jobr tasks run` and tests that only work jobs). */
  schedules?: boolean;
};

export function bossFor(database: Database, config: Config, options: QueueOptions = {}): PgBoss {
  const timing = {
    cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds ?? 30,
    cronWorkerIntervalSeconds: Math.max(1, Math.round(options.pollingIntervalSeconds ?? 5)),
  };
  if (database.kind === 'pglite') {
    const client = (database.db as unknown as { $client: PGlite }).$client;
    return new PgBoss({ schema: QUEUE_SCHEMA, db: pgliteAdapter(client), ...timing });
  }
  if (config.database.kind !== 'postgres') throw new Error('a PostgreSQL database needs DATABASE_URL');
  return new PgBoss({
    schema: QUEUE_SCHEMA,
    connectionString: config.database.url,
    max: 3,
    application_name: 'jobr-queue',
    ...timing,
  });
}

/** Creates a pg-boss queue (and its partition) unless it exists, under an advisory lock held by one process. */
export async function ensureQueue(
  database: Database,
  name: string,
  options: { policy?: string; retryLimit?: number; retryDelay?: number; retryBackoff?: boolean },
): Promise<void> {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('jobr.pgboss.create_queue'))`);
    await tx.execute(
      sql`select pgboss.create_queue(${name}, ${JSON.stringify({ policy: 'standard', ...options })}::json)
          where not exists (select 1 from pgboss.queue where name = ${name})`,
    );
  });
}

/**
 * Every task's queue, created before pg-boss starts, one process at a time (two processes creating queues
 * at once deadlock on the partitions pg-boss attaches); the timekeeper's own queue first. The server
 * calls it even with TASKS_ENABLED=false, so requests can enqueue for workers elsewhere.
 */
export async function ensureQueues(tasks: Task<unknown>[], database: Database): Promise<void> {
  await ensureQueue(database, '__pgboss__send-it', {});
  for (const task of tasks) {
    await ensureQueue(database, task.name, {
      ...(task.queuePolicy ? { policy: task.queuePolicy } : {}),
      ...(task.retry ? { retryLimit: task.retry.limit, retryDelay: task.retry.delaySeconds, retryBackoff: true } : {}),
      // A periodic run that fails is not retried: the next period runs it afresh.
      ...(task.schedule ? { retryLimit: 0 } : {}),
    });
  }
}

export async function runTaskNow<P>(
  task: Task<P>,
  payload: P,
  deps: { database: Database; config: Config; logger: Logger },
): Promise<TaskResult> {
  const started = Date.now();
  let result: TaskResult;
  try {
    result = await task.run(
      { db: deps.database.db, config: deps.config, logger: deps.logger, now: new Date() },
      payload,
    );
  } catch (err) {
    recordTaskRun(task.name, 'failed');
    throw err;
  }
  recordTaskRun(task.name, result);
  deps.logger.info({ task: task.name, ms: Date.now() - started, ...result }, 'task finished');
  return result;
}

/** Starts pg-boss: a queue per task, the schedules of periodic tasks, a worker per queue. */
export async function startQueue(
  tasks: Task<unknown>[],
  deps: { database: Database; config: Config; logger: Logger },
  options: QueueOptions = {},
): Promise<Queue> {
  const { logger } = deps;
  const boss = bossFor(deps.database, deps.config, options);
  boss.on('error', (err: Error) => logger.error({ err: { message: err.message } }, 'queue error'));
  await ensureQueues(tasks, deps.database);
  await boss.start();
  if (options.schedules !== false) {
    // A task that lost its schedule (or was removed) must not keep being enqueued.
    const scheduled = new Set(tasks.filter((t) => t.schedule).map((t) => t.name));
    for (const s of await boss.getSchedules()) if (!scheduled.has(s.name)) await boss.unschedule(s.name);
  }
  for (const task of tasks) {
    if (task.schedule && options.schedules !== false) await boss.schedule(task.name, task.schedule, {}, { tz: 'UTC' });
    await boss.work(task.name, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }, async (jobs) => {
      for (const job of jobs) {
        const payload = task.schema.parse(job.data);
        await runTaskNow(task, payload, deps);
      }
    });
  }
  return {
    boss,
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: deps.config.shutdownTimeoutMs });
    },
  };
}
