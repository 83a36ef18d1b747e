import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';

export type TaskContext = { db: Db; config: Config; logger: Logger; now: Date };

/**
 * A periodic background task. Handlers must be idempotent and safe to run concurrently with another
 * instance of themselves (another server process may run the same task): they work in small
 * transactions and use conditions or SKIP LOCKED rather than assuming they are alone.
 */
export type Task = {
  name: string;
  summary: string;
  intervalMs: number;
  /** Returns counts for the log and the CLI (e.g. { sessionsDeleted: 12 }). */
  run(ctx: TaskContext): Promise<Record<string, number>>;
};
