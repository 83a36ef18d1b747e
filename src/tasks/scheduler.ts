/**
 * Runs periodic tasks inside the server process. One run of a task at a time per process; across
 * processes, tasks are written to be idempotent and concurrency-safe (see Task), so no lock service is
 * needed. A failing run is logged and retried at the next interval; it never stops the server.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Task } from './task.ts';

export async function runTask(
  task: Task,
  deps: { db: Db; config: Config; logger: Logger },
): Promise<Record<string, number>> {
  const started = Date.now();
  const result = await task.run({ ...deps, now: new Date() });
  deps.logger.info({ task: task.name, ms: Date.now() - started, ...result }, 'task finished');
  return result;
}

export function startScheduler(
  tasks: Task[],
  deps: { db: Db; config: Config; logger: Logger },
): { stop(): Promise<void> } {
  const running = new Map<string, Promise<unknown>>();
  const timers = tasks.map((task) => {
    const tick = () => {
      if (running.has(task.name)) return; // previous run still going
      const run = runTask(task, deps)
        .catch((err: unknown) => deps.logger.error({ task: task.name, err }, 'task failed; will retry next interval'))
        .finally(() => running.delete(task.name));
      running.set(task.name, run);
    };
    // First run shortly after start-up (not during it), then every interval.
    const first = setTimeout(tick, Math.min(60_000, task.intervalMs));
    const every = setInterval(tick, task.intervalMs);
    first.unref();
    every.unref();
    return [first, every] as const;
  });
  return {
    async stop() {
      for (const [first, every] of timers) {
        clearTimeout(first);
        clearInterval(every);
      }
      await Promise.allSettled(running.values());
    },
  };
}
