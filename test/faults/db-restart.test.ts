/**
 * Fault: PostgreSQL stops while the server runs. /readyz must say 503, requests must fail with a clean
 * 503 DATABASE_UNAVAILABLE (no crash, no hang), and after PostgreSQL restarts the same server must be
 * healthy again without a restart. Runs against a private PostgreSQL it starts itself (initdb/pg_ctl),
 * only in the PostgreSQL test run and only where the server binaries exist.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { type Database, openPostgres } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { testConfig } from '../helpers/app.ts';
import { testDatabaseUrl } from '../helpers/template.ts';

function findPgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(root, v, 'bin')).find((dir) => existsSync(join(dir, 'pg_ctl')));
}

const pgBin = findPgBin();
const isRoot = process.getuid?.() === 0;

function asPostgres(command: string, args: string[]): void {
  if (isRoot) {
    const quoted = [command, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
    execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], { stdio: 'ignore' });
  } else {
    execFileSync(command, args, { stdio: 'ignore' });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe.skipIf(!testDatabaseUrl || !pgBin)('database restart while serving', () => {
  const bin = pgBin ?? '';
  let dir: string;
  let port: number;
  let database: Database;
  let app: App;
  const pgCtl = (...args: string[]) => asPostgres(join(bin, 'pg_ctl'), ['-D', join(dir, 'data'), ...args]);
  const start = () =>
    pgCtl('-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-w', 'start');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobr-fault-'));
    if (isRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), 0);
    port = await freePort();
    asPostgres(join(bin, 'initdb'), ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
    start();
    const config = testConfig({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres` });
    if (config.database.kind !== 'postgres') throw new Error('expected postgres config');
    database = openPostgres(config.database.url, { ...config.pool, connectTimeoutMs: 1000 });
    await runMigrations(database);
    app = await buildApp({ config, database });
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await database?.close().catch(() => undefined);
    try {
      pgCtl('-m', 'immediate', 'stop');
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const ready = () => app.inject({ method: 'GET', url: '/readyz' });

  it('goes 200 → 503 → 200 across a PostgreSQL stop and start', async () => {
    expect((await ready()).statusCode).toBe(200);

    pgCtl('-m', 'fast', 'stop', '-w');
    const down = await ready();
    expect(down.statusCode).toBe(503);
    expect(down.json().error.code).toBe('DATABASE_UNAVAILABLE');

    // A request that needs the database (authentication looks the token up) fails cleanly too.
    const authed = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { authorization: 'Bearer some-token' },
    });
    expect(authed.statusCode).toBe(503);
    expect(authed.json().error).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });

    start();
    let status = 0;
    for (let attempt = 0; attempt < 20 && status !== 200; attempt++) {
      status = (await ready()).statusCode;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  });
});
