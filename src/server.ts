/** Entry point: config -> database (migrated, seeded when empty) -> app -> listen; graceful shutdown. */
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openConfiguredDatabase } from './db/open.ts';
import { seed } from './db/seed.ts';
import { isDatabaseUnavailable } from './lib/db-errors.ts';
import { createLogger } from './lib/logger.ts';
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
  const database = await openConfiguredDatabase(config, { migrate: config.migrateOnStart, logger });
  // The pool's warm minimum: open and exercised before the first request arrives.
  await database.warm();
  if (config.seedDemoData) {
    const report = await seed(database.db, config, { demo: true });
    if (report.demoJobs > 0) logger.info(report, 'seeded demo data into the empty database');
  }
  const app = await buildApp({ config, database, logger, webApp: true });
  // pg-boss: schedules of periodic tasks and a worker per queue. With PGlite it runs in this process.
  const queue = config.tasksEnabled ? await startQueue(tasks, { database, config, logger }) : undefined;
  if (!queue) await ensureQueues(tasks, database);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    await app.close();
    await queue?.stop();
    await database.close();
    logger.info('stopped');
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
  // Jobs stored before jobs.match_facts existed (or written by code that does not compute it) are
  // scored from their descriptions until filled: fill them now, in short batches, between requests.
  fillMatchFacts(database.db).then(
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
