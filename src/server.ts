/**
 * Entry point: config -> database (migrated, seeded when empty) -> app -> listen; graceful shutdown.
 * With JOBR_WORKERS > 1 this process prepares the database and supervises that many workers, each of
 * which runs `serve` (src/cluster.ts).
 */
import cluster from 'node:cluster';
import type { Logger } from 'pino';
import { buildApp } from './app.ts';
import { runPrimary, STOP_MESSAGE } from './cluster.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import type { Database } from './db/client.ts';
import { openConfiguredDatabase } from './db/open.ts';
import { isPrepared, PREPARE_ONLY_ARG, prepareInChild } from './db/prepare-embedded.ts';
import { seed } from './db/seed.ts';
import { isDatabaseUnavailable } from './lib/db-errors.ts';
import { createLogger } from './lib/logger.ts';
import { readHistogram } from './modules/jobs/search.ts';
import { fillMatchFacts } from './modules/match/reindex.ts';
import { tasks } from './tasks/index.ts';
import { ensureQueues, startQueue } from './tasks/queue.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  // pg-boss 10 does not await a job's completion (manager.js: `this.complete(...)` in the worker), so a
  // database that goes away at that moment (a restart, a failover) gives an unhandled rejection, and
  // Node ends the process on one. A lost connection is survivable: the job stays active, expires and is
  // retried, and tasks are idempotent. Anything else still ends the process, as Node would.
  process.on('unhandledRejection', (reason) => {
    const err = { message: (reason as Error)?.message, code: (reason as { code?: unknown })?.code };
    if (isDatabaseUnavailable(reason)) {
      logger.warn({ err }, 'database connection lost outside a request (ignored; the work is retried)');
      return;
    }
    logger.fatal({ err }, 'unhandled rejection');
    process.exit(1);
  });
  if (process.argv.includes(PREPARE_ONLY_ARG)) {
    // The child of an embedded first start (src/db/prepare-embedded.ts). Exits rather than waiting for
    // the CV parse worker that read the demo CV to retire.
    await prepareDatabase(config, logger);
    process.exit(0);
  }
  if (cluster.isPrimary && config.workers > 1) {
    // Migrations and the demo seed once, here, before any worker opens its pool.
    await prepareDatabase(config, logger);
    process.exit(await runPrimary(config, logger));
  }
  // A worker's every line says which worker wrote it.
  await serve(config, cluster.isWorker ? logger.child({ worker: cluster.worker?.id }) : logger);
}

/** Migrates (when configured) and seeds, then closes the database again. */
async function prepareDatabase(config: Config, logger: Logger): Promise<void> {
  const database = await openConfiguredDatabase(config, { migrate: config.migrateOnStart, logger });
  try {
    await seedIfConfigured(database, config, logger);
  } finally {
    await database.close();
  }
}

async function seedIfConfigured(database: Database, config: Config, logger: Logger): Promise<void> {
  if (!config.seedDemoData) return;
  const report = await seed(database.db, config, { demo: true });
  if (report.demoJobs > 0) logger.info(report, 'seeded demo data into the empty database');
}

/** One API node: the whole server in this process (or in one cluster worker). */
async function serve(config: Config, logger: Logger): Promise<void> {
  // A worker asked to stop before it serves anything has nothing to drain: it just ends.
  let stop: ((reason: string) => Promise<void>) | undefined;
  if (cluster.isWorker) {
    process.on('message', (message) => {
      if (message !== STOP_MESSAGE) return;
      if (stop) void stop('primary');
      else process.exit(0);
    });
  }
  const { database: where } = config;
  if (where.kind === 'pglite' && config.migrateOnStart && !isPrepared(where.dataDir, config.seedDemoData)) {
    logger.info('first start on this data folder: migrating and seeding in a separate process');
    await prepareInChild(where.dataDir, config.seedDemoData);
  }
  const database = await openConfiguredDatabase(config, { migrate: config.migrateOnStart, logger });
  // The pool's warm minimum: open and exercised before the first request arrives.
  await database.warm();
  await readHistogram(database.db).catch((err: Error) =>
    logger.warn({ err: { message: err.message } }, 'reading the posting-date histogram failed'),
  );
  await seedIfConfigured(database, config, logger);
  const app = await buildApp({ config, database, logger, webApp: true });
  // pg-boss: schedules of periodic tasks and a worker per queue. With PGlite it runs in this process.
  const queue = config.tasksEnabled ? await startQueue(tasks, { database, config, logger }) : undefined;
  if (!queue) await ensureQueues(tasks, database);

  let stopping = false;
  // The background fill of job match facts (below): stopped between batches, awaited before the pool closes.
  const filling = new AbortController();
  let filled: Promise<unknown> = Promise.resolve();
  stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    filling.abort();
    await app.close();
    await queue?.stop();
    await filled;
    await database.close();
    logger.info('stopped');
    // A worker's channel to the primary would keep it alive: closing it lets the process end as a
    // single server does, when nothing is left to do.
    if (cluster.isWorker) process.disconnect();
  };
  const onSignal = (signal: NodeJS.Signals) => void stop?.(signal);
  if (cluster.isWorker) {
    // The primary asks by message; a signal may arrive as well (systemd signals the whole group), and
    // any number of them only starts the one drain.
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  } else {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }

  await app.listen({ host: config.host, port: config.port });
  // Jobs stored before jobs.match_facts existed (or written by code that does not compute it) are
  // scored from their descriptions until filled: fill them now, in short batches, between requests.
  filled = fillMatchFacts(database.db, { signal: filling.signal }).then(
    (jobs) => logger.debug({ jobs }, 'job match facts filled'),
    (err: Error) => logger.warn({ err: { message: err.message } }, 'filling job match facts failed'),
  );
  logger.info(
    {
      database: database.kind,
      url: `http://${config.host}:${config.port}`,
      docs: `http://${config.host}:${config.port}/api/docs`,
    },
    'Jobr is ready',
  );
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || (err instanceof Error && err.name === 'DataDirLockedError')) {
    console.error(err.message);
  } else {
    console.error('Jobr failed to start:', err);
  }
  process.exit(1);
});
