/**
 * A private PostgreSQL cluster for fault, replica and load tests: its own data folder under /tmp and a
 * free port on loopback, started and stopped with pg_ctl (as the postgres OS user when running as
 * root, as initdb requires). `pgBin` is undefined where the server binaries are missing: skip then.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function findPgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(root, v, 'bin')).find((dir) => existsSync(join(dir, 'pg_ctl')));
}

export const pgBin = findPgBin();
const isRoot = process.getuid?.() === 0;

const shellLine = (command: string, args: string[]) =>
  [command, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');

/** Runs a PostgreSQL binary as the postgres OS user when we are root (initdb and postgres refuse root). */
export function asPostgres(command: string, args: string[], options: { quiet?: boolean } = {}): string {
  const stdio = options.quiet === false ? 'inherit' : 'pipe';
  if (isRoot) {
    return String(execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', shellLine(command, args)], { stdio }) ?? '');
  }
  return String(execFileSync(command, args, { stdio }) ?? '');
}

/** `asPostgres` without blocking the event loop (for a restart while traffic flows). */
export function asPostgresAsync(command: string, args: string[]): Promise<void> {
  const [file, argv] = isRoot ? ['su', ['postgres', '-s', '/bin/sh', '-c', shellLine(command, args)]] : [command, args];
  return new Promise((resolve, reject) => {
    execFile(file, argv as string[], (err) => (err ? reject(err) : resolve()));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A folder the postgres OS user may write (mode 0700 as PostgreSQL requires for data folders). */
export function privateDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (isRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), 0);
  return dir;
}

export class PgCluster {
  private constructor(
    readonly dir: string,
    readonly dataDir: string,
    readonly port: number,
    private readonly settings: Record<string, string>,
  ) {}

  /** initdb a new cluster in a fresh folder (not started). */
  static async create(options: { settings?: Record<string, string>; prefix?: string } = {}): Promise<PgCluster> {
    const bin = requireBin();
    const dir = privateDir(options.prefix ?? 'jobr-pg-');
    const cluster = new PgCluster(dir, join(dir, 'data'), await freePort(), options.settings ?? {});
    asPostgres(join(bin, 'initdb'), [
      '-D',
      cluster.dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    return cluster;
  }

  /** A streaming replica of a running primary (`pg_basebackup -R`), in its own folder (not started). */
  static async replicaOf(primary: PgCluster, options: { prefix?: string } = {}): Promise<PgCluster> {
    const bin = requireBin();
    const dir = privateDir(options.prefix ?? 'jobr-replica-');
    // Same settings as the primary: a hot standby refuses to start with fewer max_connections.
    const cluster = new PgCluster(dir, join(dir, 'data'), await freePort(), primary.settings);
    asPostgres(join(bin, 'pg_basebackup'), [
      ...['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres'],
      ...['-D', cluster.dataDir, '-R', '--checkpoint=fast', '--wal-method=stream'],
    ]);
    return cluster;
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  ctl(...args: string[]): string {
    return asPostgres(join(requireBin(), 'pg_ctl'), ['-D', this.dataDir, ...args]);
  }

  private serverOptions(): string {
    const options = [`-p ${this.port}`, `-k ${this.dir}`, '-c listen_addresses=127.0.0.1'];
    for (const [name, value] of Object.entries(this.settings)) options.push(`-c ${name}=${value}`);
    return options.join(' ');
  }

  start(): void {
    this.ctl('-l', join(this.dir, 'log'), '-o', this.serverOptions(), '-w', 'start');
  }

  /** `pg_ctl restart` while the caller's event loop keeps running. */
  restart(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    return asPostgresAsync(join(requireBin(), 'pg_ctl'), [
      ...['-D', this.dataDir, '-m', mode, '-l', join(this.dir, 'log'), '-w', 'restart'],
      ...['-o', this.serverOptions()],
    ]);
  }

  stop(mode: 'smart' | 'fast' | 'immediate' = 'fast'): void {
    this.ctl('-m', mode, '-w', 'stop');
  }

  /** Stops it if it runs and deletes its folder. */
  remove(): void {
    try {
      this.stop('immediate');
    } catch {
      // not running
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function requireBin(): string {
  if (!pgBin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
  return pgBin;
}
