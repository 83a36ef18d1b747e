/**
 * Prometheus metrics (GET /metrics). Two registries:
 * - `processRegistry`: what belongs to the process whatever app instance runs in it (CV parse time,
 *   import rows, Node's own runtime metrics). Code anywhere may record into the exported instruments.
 * - one registry per app (`metricsPlugin`): HTTP requests per route and status, the database pool,
 *   the outbox backlog, read when scraped.
 * A scrape merges both. Labels are bounded: the route is the registered pattern, never the raw URL.
 */
import { timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import { type Database, rowsOf } from '../../db/client.ts';
import { systemActor, withContext } from '../../db/context.ts';
import { errors } from '../../http/schemas.ts';
import { AppError } from '../../lib/errors.ts';
import { searchesWaiting } from '../jobs/search.ts';

export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry, prefix: 'jobr_' });

export const cvParseSeconds = new Histogram({
  name: 'jobr_cv_parse_seconds',
  help: 'Time to extract the text and profile of an uploaded CV, by outcome.',
  labelNames: ['outcome'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  registers: [processRegistry],
});

export const importRows = new Counter({
  name: 'jobr_import_rows_total',
  help: 'Job rows read by imports, by result (inserted, updated, rejected, ...).',
  labelNames: ['result'] as const,
  registers: [processRegistry],
});

export const taskRuns = new Counter({
  name: 'jobr_task_runs_total',
  help: 'Background task runs in this process, by task and outcome (ok, failed).',
  labelNames: ['task', 'outcome'] as const,
  registers: [processRegistry],
});

export const taskItems = new Counter({
  name: 'jobr_task_items_total',
  help: 'What background task runs did, by task and result (retention: sessionsDeleted, ...; archive: archived).',
  labelNames: ['task', 'result'] as const,
  registers: [processRegistry],
});

const taskLastSuccess = new Gauge({
  name: 'jobr_task_last_success_timestamp_seconds',
  help: 'When a run of the task last finished without error in this process (Unix time).',
  labelNames: ['task'] as const,
  registers: [processRegistry],
});

/** Records one task run: its outcome and the counts it returned (rows removed, messages sent, ...). */
export function recordTaskRun(task: string, result: Record<string, number> | 'failed'): void {
  if (result === 'failed') {
    taskRuns.inc({ task, outcome: 'failed' });
    return;
  }
  taskRuns.inc({ task, outcome: 'ok' });
  taskLastSuccess.set({ task }, Date.now() / 1000);
  for (const [name, n] of Object.entries(result)) if (n > 0) taskItems.inc({ task, result: name }, n);
}

/** Times a CV extraction: `const done = startCvParseTimer(); ...; done('ok')`. */
export function startCvParseTimer(): (outcome: 'ok' | 'refused' | 'timeout' | 'error') => void {
  const end = cvParseSeconds.startTimer();
  return (outcome) => void end({ outcome });
}

/** Counts the rows of one import report (`{ inserted: 3, rejected: 1, ... }`) and passes it on. */
export function countImportRows<
  T extends { inserted: number; updated: number; skipped: number; rejected: number; merged?: number },
>(report: T): T {
  for (const result of ['inserted', 'updated', 'skipped', 'rejected', 'merged'] as const) {
    const n = report[result] ?? 0;
    if (n > 0) importRows.inc({ result }, n);
  }
  return report;
}

type PoolLike = Pick<pg.Pool, 'totalCount' | 'idleCount' | 'waitingCount'>;

function poolOf(database: Database): PoolLike | undefined {
  if (database.kind !== 'postgres') return undefined;
  const client = (database.db as unknown as { $client?: PoolLike }).$client;
  return client && typeof client.totalCount === 'number' ? client : undefined;
}

/** Who may scrape: a configured token must match; without one, only outside production. */
export function metricsAccess(config: Pick<Config, 'env' | 'metricsToken'>, authorization: string | undefined) {
  if (!config.metricsToken) return config.env === 'production' ? 'disabled' : 'ok';
  const presented = authorization?.startsWith('Bearer ') ? authorization.slice(7) : '';
  const a = Buffer.from(presented);
  const b = Buffer.from(config.metricsToken);
  return a.length === b.length && timingSafeEqual(a, b) ? 'ok' : 'denied';
}

type MetricsOptions = { database: Database; config: Config };

export const metricsPlugin = fp<MetricsOptions>(
  async (fastify, { database, config }) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const registry = new Registry();
    const requests = new Histogram({
      name: 'jobr_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status: count (rate) and latency.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    const pool = poolOf(database);
    new Gauge({
      name: 'jobr_db_pool_connections',
      help: 'Database pool connections by state (total, idle, in use); PostgreSQL only.',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        if (!pool) return;
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
      },
    });
    new Gauge({
      name: 'jobr_db_pool_waiting',
      help: 'Requests waiting for a database connection from the pool; PostgreSQL only.',
      registers: [registry],
      collect() {
        if (pool) this.set(pool.waitingCount);
      },
    });
    new Gauge({
      name: 'jobr_search_waiting',
      help: 'Searches waiting for one of the SEARCH_CONCURRENCY places to be computed.',
      registers: [registry],
      collect() {
        this.set(searchesWaiting(database));
      },
    });
    const outbox = new Gauge({
      name: 'jobr_outbox_messages',
      help: 'Outbox messages by status (pending is the backlog still to deliver).',
      labelNames: ['status'] as const,
      registers: [registry],
    });
    const outboxAge = new Gauge({
      name: 'jobr_outbox_oldest_pending_seconds',
      help: 'Age of the oldest pending outbox message (0 when none).',
      registers: [registry],
    });
    const queueJobs = new Gauge({
      name: 'jobr_queue_jobs',
      help: 'pg-boss jobs per task and state: created + retry is the backlog, failed the recent failures (all nodes).',
      labelNames: ['task', 'state'] as const,
      registers: [registry],
    });
    new Gauge({
      name: 'jobr_db_replica_up',
      help: 'Whether a read replica is in use (1) or skipped as down or lagging (0), at its last check.',
      labelNames: ['replica'] as const,
      registers: [registry],
      collect() {
        for (const r of database.replicas?.status() ?? []) this.set({ replica: r.name }, r.healthy ? 1 : 0);
      },
    });
    new Gauge({
      name: 'jobr_db_replica_lag_seconds',
      help: 'Replay lag of each read replica at its last check (absent while it does not answer).',
      labelNames: ['replica'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const r of database.replicas?.status() ?? []) {
          if (r.lagMs !== null && Number.isFinite(r.lagMs)) this.set({ replica: r.name }, r.lagMs / 1000);
        }
      },
    });
    const scrapeErrors = new Counter({
      name: 'jobr_metrics_collect_errors_total',
      help: 'Scrapes where a database-backed metric could not be read.',
      registers: [registry],
    });

    async function collectDatabase(): Promise<void> {
      try {
        const rows = await withContext(database.db, systemActor, async (tx) => {
          const counts = await tx.execute(sql`select status, count(*)::int as n from outbox_messages group by status`);
          const oldest = await tx.execute(
            sql`select extract(epoch from now() - min(created_at))::float8 as age from outbox_messages where status = 'pending'`,
          );
          // Every queue with every state that matters, so a task's backlog reads 0 rather than vanishing.
          const queue = await tx.execute(sql`select q.name as task, s.state, count(j.id)::int as n
            from pgboss.queue q
            cross join unnest(array['created', 'retry', 'active', 'completed', 'cancelled', 'failed']) as s(state)
            left join pgboss.job j on j.name = q.name and j.state::text = s.state
            group by 1, 2`);
          return {
            counts: rowsOf<{ status: string; n: number }>(counts),
            age: rowsOf<{ age: number | null }>(oldest)[0]?.age ?? null,
            queue: rowsOf<{ task: string; state: string; n: number }>(queue),
          };
        });
        queueJobs.reset();
        for (const r of rows.queue) queueJobs.set({ task: r.task, state: r.state }, Number(r.n));
        for (const status of ['pending', 'sent', 'stored', 'failed']) outbox.set({ status }, 0);
        for (const r of rows.counts) outbox.set({ status: r.status }, Number(r.n));
        outboxAge.set(rows.age === null ? 0 : Number(rows.age));
      } catch (err) {
        scrapeErrors.inc();
        app.log.warn({ err: { message: (err as Error).message } }, 'metrics: database metrics unavailable');
      }
    }

    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? '(unmatched)';
      requests.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
      done();
    });

    app.get(
      '/metrics',
      {
        // Public to the session/API-key layer, which must not read Authorization here: the token is checked below.
        config: { auth: 'public', providerCallback: true },
        schema: {
          tags: ['operations'],
          summary: 'Prometheus metrics (text exposition format)',
          description:
            'Needs `Authorization: Bearer <METRICS_TOKEN>` when METRICS_TOKEN is set. Without it the endpoint is open in development and test, and absent (404) in production.',
          response: {
            200: z.string().meta({ description: 'Prometheus text exposition format 0.0.4.' }),
            ...errors(401, 404),
          },
        },
        logLevel: 'warn',
      },
      async (request, reply) => {
        const access = metricsAccess(config, request.headers.authorization);
        if (access === 'disabled') throw new AppError('ROUTE_NOT_FOUND');
        if (access === 'denied') throw new AppError('UNAUTHENTICATED');
        await collectDatabase();
        const merged = Registry.merge([registry, processRegistry]);
        return reply.type(merged.contentType).send(await merged.metrics());
      },
    );
  },
  { name: 'jobr-metrics' },
);
