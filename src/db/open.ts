/**
 * Opening the database the way the server and CLI need it: migrated, and for PGlite with a lock so
 * a second process cannot open the same data folder (PGlite would silently lose writes).
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { loadAdminProof } from './admin-proof.ts';
import { type Database, openPglite, openPostgres } from './client.ts';
import { runMigrations } from './migrate.ts';
import { withReplicas } from './replicas.ts';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = join(dataDir, 'jobr.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new DataDirLockedError(
          `The embedded database in ${dataDir} is in use by process ${holder}. Stop that process (for example the running server) and try again, or set DATABASE_URL to use a PostgreSQL server.`,
        );
      }
      rmSync(lockFile, { force: true }); // stale lock from a crashed process
    }
  }
  throw new DataDirLockedError(`Could not lock ${dataDir}.`);
}

/** Opens the configured database; with `migrate`, applies pending migrations first. */
export async function openConfiguredDatabase(
  config: Config,
  options: { migrate: boolean; logger?: Logger },
): Promise<Database> {
  if (config.database.kind === 'pglite') {
    const { dataDir, optimize } = config.database;
    const unlock = lockDataDir(dataDir);
    try {
      const database = await openPglite(dataDir, { optimize });
      // The embedded connection is the superuser: it reads the administrator proof itself.
      if (options.migrate) await runMigrations(database);
      else await loadAdminProof(database.db);
      return {
        ...database,
        close: async () => {
          await database.close();
          unlock();
        },
      };
    } catch (err) {
      unlock();
      throw err;
    }
  }
  const { url, migrationUrl } = config.database;
  // Migrations run as the owner, and the administrator proof is read through it: the application
  // connection may be (and in production should be) a less privileged role. Without the requests'
  // statement time-out: a migration's backfill or index build on a large catalogue takes longer.
  const owner = openPostgres(migrationUrl, { ...config.pool, max: 1, statementTimeoutMs: 0 }, options.logger);
  const database = openPostgres(url, config.pool, options.logger);
  try {
    if (options.migrate) await runMigrations(owner);
    await loadAdminProof(owner.db, database.db);
  } catch (err) {
    await database.close();
    throw err;
  } finally {
    await owner.close();
  }
  return withReplicas(database, config, options.logger);
}
