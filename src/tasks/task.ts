import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';

export type TaskContext = { db: Db; config: Config; logger: Logger; now: Date };
export type TaskResult = Record<string, number>;

/**
 * A background task: one pg-boss queue of the same name (docs/decisions/008-pg-boss-queue.md).
 * - `schema` validates the payload when it is enqueued and again when a worker picks it up;
 * - `schedule` (a UTC cron expression, minute precision) makes it periodic: pg-boss inserts one job
 *   per period however many server processes run, and any one of them works it;
 * - `run` is called outside any transaction (it opens its own short ones, never calls the network
 *   inside one) and must be idempotent: a job can be retried or, after a crash, run again.
 */
export type Task<P = unknown> = {
  name: string;
  summary: string;
  schema: z.ZodType<P>;
  schedule?: string;
  /**
   * pg-boss queue policy: `standard` (default), or `short`: at most one waiting job per singletonKey, so
   * enqueueing again while one waits coalesces with it (one may still be running).
   */
  queuePolicy?: 'standard' | 'short';
  /** Retries of a failed run (pg-boss `retryLimit`, exponential backoff from `retryDelay` seconds). */
  retry?: { limit: number; delaySeconds: number };
  /** Returns counts for the log and the CLI (e.g. { sessionsDeleted: 12 }). */
  run(ctx: TaskContext, payload: P): Promise<TaskResult>;
};

/** The payload of a periodic task: none. */
export const noPayload: z.ZodType<void> = z.unknown().transform(() => undefined);

/** Typed task definition: the payload type comes from the schema. */
export function defineTask<P>(task: Task<P>): Task<P> {
  return task;
}
