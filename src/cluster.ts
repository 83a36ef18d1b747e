/**
 * Cluster mode (JOBR_WORKERS > 1, PostgreSQL only; docs/decisions/027-cluster-mode-and-embedded-memory.md):
 * this process migrates and seeds once, then forks that many HTTP workers that share the port (node:cluster hands
 * each new connection to the next worker). Each worker is a whole API node (src/server.ts): its own pool,
 * its own /readyz. Everything a user can tell apart is already in PostgreSQL (decision 024), so workers
 * are to each other what several nodes are. Background tasks run in the first worker only: one pg-boss
 * per machine is enough, and the others keep their connections and CPU for requests.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { Config } from './config.ts';

/** What the primary sends a worker to make it drain and exit (signals may reach it twice: see below). */
export const STOP_MESSAGE = 'jobr:stop';

/** A replaced worker is forked again after this long, so a crash loop cannot spin the CPU. */
const RESPAWN_DELAY_MS = 1_000;

/**
 * Forks `config.workers` workers and supervises them until SIGTERM/SIGINT. Resolves with the exit code
 * for the process: 0 after a clean shutdown, 1 when a worker failed to start or a shutdown timed out.
 * The caller has migrated and seeded the database: the workers skip both.
 */
export function runPrimary(config: Config, logger: Logger): Promise<number> {
  return new Promise((resolve) => {
    const slots: (Worker | undefined)[] = [];
    const listening = new Set<Worker>();
    let stopping = false;
    let ready = false;
    let failed = false;

    const fork = (slot: number) => {
      const worker = cluster.fork({
        DB_MIGRATE_ON_START: 'false',
        SEED_DEMO_DATA: 'false',
        // Schedules and task workers in the first slot only (a replacement of it takes them over).
        ...(slot > 0 ? { TASKS_ENABLED: 'false' } : {}),
      });
      slots[slot] = worker;
      worker.once('listening', () => {
        listening.add(worker);
        if (!ready && !stopping && listening.size === config.workers) {
          ready = true;
          logger.info(
            { workers: config.workers, url: `http://${config.host}:${config.port}` },
            'Jobr is ready (cluster)',
          );
        }
      });
      worker.once('exit', (code, signal) => {
        const started = listening.delete(worker);
        if (slots[slot] === worker) slots[slot] = undefined;
        if (stopping) {
          if (code !== 0) failed = true;
          if (slots.every((w) => w === undefined)) finish();
          return;
        }
        if (!started) {
          // It never served a request: a bad setting or an unreachable database, not a crash to retry.
          logger.fatal({ worker: worker.id, code, signal }, 'a worker failed to start; stopping');
          failed = true;
          stop('worker failed');
          return;
        }
        logger.error({ worker: worker.id, code, signal }, 'a worker died; starting a replacement');
        setTimeout(() => {
          if (!stopping) fork(slot);
        }, RESPAWN_DELAY_MS).unref();
      });
    };

    let force: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(force);
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      logger.info('all workers stopped');
      resolve(failed ? 1 : 0);
    };
    const stop = (reason: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ reason }, 'shutting down: every worker finishes its in-flight requests');
      // A message, not a signal: under systemd (KillMode=control-group) or a terminal's Ctrl-C the workers
      // get the signal themselves as well, and a second SIGTERM must not cut a drain short.
      for (const w of slots) if (w?.isConnected()) w.send(STOP_MESSAGE);
      force = setTimeout(() => {
        logger.error('workers did not stop in time; killing them');
        failed = true;
        for (const w of slots) w?.process.kill('SIGKILL');
      }, config.shutdownTimeoutMs + 2_000);
      force.unref();
      if (slots.every((w) => w === undefined)) finish();
    };
    const onSignal = (signal: NodeJS.Signals) => stop(signal);
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);

    for (let slot = 0; slot < config.workers; slot++) fork(slot);
  });
}
