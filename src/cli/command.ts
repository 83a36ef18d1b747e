import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';

export type CliIo = { out: (line: string) => void; err: (line: string) => void };

export type Command = {
  summary: string;
  usage: string;
  /** Whether the command needs the database opened (and migrated) before it runs. */
  needsDatabase: boolean;
  run(args: string[], ctx: { config: Config; database?: Database; io: CliIo }): Promise<number>;
};

/** Thrown for bad arguments: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
