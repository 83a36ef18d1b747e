/**
 * `jobr backup FILE` / `jobr restore FILE`: one tar file holding
 *   manifest.json   what it is (format, database kind, when, table row counts)
 *   database.dump   PostgreSQL: `pg_dump -Fc` (one consistent snapshot)
 *   pglite.tar.gz   embedded: PGlite's data-directory dump (the server is stopped: the data folder is locked)
 *   files/          the stored uploads (FILE_STORAGE_DIR; with the default DATA_DIR/files they are also
 *                   inside pglite.tar.gz, which dumps the whole folder: restore writes the same bytes twice)
 * The database is dumped first and the files copied after, so every file the dump refers to is in the
 * backup (a file uploaded in between is an orphan, harmless). Restore wants an empty target.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Config } from '../../config.ts';
import { type Database, pgliteExtensions } from '../../db/client.ts';

const run = promisify(execFile);
export const BACKUP_FORMAT = 'jobr-backup-1';

export type BackupManifest = {
  format: typeof BACKUP_FORMAT;
  kind: 'postgres' | 'pglite';
  createdAt: string;
  files: number;
};

export class BackupError extends Error {
  override name = 'BackupError';
}

/** pg_dump/pg_restore: PG_BIN_DIR when set, else the PATH. */
function pgTool(config: Pick<Config, 'pgBinDir'>, name: 'pg_dump' | 'pg_restore'): string {
  return config.pgBinDir ? join(config.pgBinDir, name) : name;
}

function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) n++;
  return n;
}

async function tool(file: string, args: string[]): Promise<void> {
  try {
    await run(file, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as Error & { stderr?: string };
    // The connection string (with a password) is passed as an argument; never echo the arguments.
    throw new BackupError(`${file.split('/').pop()} failed: ${(e.stderr || e.message).trim().slice(0, 2000)}`);
  }
}

export async function backup(config: Config, database: Database, file: string): Promise<BackupManifest> {
  const target = resolve(file);
  if (existsSync(target)) throw new BackupError(`${target} exists; choose a new file name.`);
  const stage = mkdtempSync(join(tmpdir(), 'jobr-backup-'));
  try {
    if (config.database.kind === 'postgres') {
      await tool(pgTool(config, 'pg_dump'), [
        '--format=custom',
        '--file',
        join(stage, 'database.dump'),
        '--dbname',
        config.database.migrationUrl,
      ]);
    } else {
      const client = (database.db as unknown as { $client: PGlite }).$client;
      const dump = await client.dumpDataDir('gzip');
      writeFileSync(join(stage, 'pglite.tar.gz'), Buffer.from(await dump.arrayBuffer()));
    }
    const files = join(stage, 'files');
    mkdirSync(files);
    if (existsSync(config.fileStorageDir)) cpSync(config.fileStorageDir, files, { recursive: true });
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      kind: config.database.kind,
      createdAt: new Date().toISOString(),
      files: countFiles(files),
    };
    writeFileSync(join(stage, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    mkdirSync(dirname(target), { recursive: true });
    await tool('tar', ['-cf', `${target}.partial`, '-C', stage, '.']);
    await run('mv', [`${target}.partial`, target]);
    return manifest;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

async function assertEmptyPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from pg_class c join pg_namespace s on s.oid = c.relnamespace
        where c.relkind in ('r', 'p') and s.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')`,
    );
    if ((rows[0]?.n ?? 0) > 0) {
      throw new BackupError('The target database is not empty; restore into a newly created database.');
    }
  } finally {
    await client.end();
  }
}

function assertEmptyDir(dir: string, what: string): void {
  if (existsSync(dir) && readdirSync(dir).filter((n) => n !== 'jobr.lock').length > 0) {
    throw new BackupError(`The ${what} ${dir} is not empty; restore into an empty one.`);
  }
}

/** Restores FILE into the configured (empty) database and file store. */
export async function restore(config: Config, file: string): Promise<BackupManifest> {
  const source = resolve(file);
  if (!existsSync(source)) throw new BackupError(`${source} does not exist.`);
  const stage = mkdtempSync(join(tmpdir(), 'jobr-restore-'));
  try {
    await tool('tar', ['-xf', source, '-C', stage]);
    let manifest: BackupManifest;
    try {
      manifest = JSON.parse(readFileSync(join(stage, 'manifest.json'), 'utf8')) as BackupManifest;
    } catch {
      throw new BackupError(`${source} is not a Jobr backup (no manifest).`);
    }
    if (manifest.format !== BACKUP_FORMAT) throw new BackupError(`Unknown backup format ${String(manifest.format)}.`);
    if (manifest.kind !== config.database.kind) {
      throw new BackupError(
        `The backup is of a ${manifest.kind} database but the configured one is ${config.database.kind}; to move between them, export and import the data instead.`,
      );
    }
    assertEmptyDir(config.fileStorageDir, 'file storage folder');
    if (config.database.kind === 'postgres') {
      const url = config.database.migrationUrl;
      await assertEmptyPostgres(url);
      await tool(pgTool(config, 'pg_restore'), [
        '--exit-on-error',
        '--single-transaction',
        '--dbname',
        url,
        join(stage, 'database.dump'),
      ]);
    } else {
      const { dataDir } = config.database;
      assertEmptyDir(dataDir, 'data folder');
      const blob = new Blob([readFileSync(join(stage, 'pglite.tar.gz'))]);
      const client = await PGlite.create({ dataDir, loadDataDir: blob, extensions: pgliteExtensions });
      await client.close();
      // The dump is of the whole folder: the source's lock file came with it (its process is gone).
      rmSync(join(dataDir, 'jobr.lock'), { force: true });
    }
    mkdirSync(config.fileStorageDir, { recursive: true });
    cpSync(join(stage, 'files'), config.fileStorageDir, { recursive: true });
    return manifest;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
