/**
 * A private PgBouncer (Debian's `pgbouncer`) in transaction pooling mode, in front of the test server:
 * every database name is passed through, logging in as the test server's user.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './node-process.ts';

export const PGBOUNCER = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find(
  (p) => spawnSync(p, ['--version']).status === 0,
);

export type Bouncer = { port: number; urlFor(database: string): string; stop(): Promise<void> };

export async function startPgBouncer(serverUrl: string): Promise<Bouncer> {
  if (!PGBOUNCER) throw new Error('pgbouncer is not installed');
  const server = new URL(serverUrl);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'jobr-pgbouncer-'));
  const ini = join(dir, 'pgbouncer.ini');
  writeFileSync(
    ini,
    `[databases]
* = host=${server.hostname} port=${server.port || 5432} user=${decodeURIComponent(server.username)}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = any
pool_mode = transaction
max_client_conn = 200
default_pool_size = 10
logfile = ${join(dir, 'pgbouncer.log')}
pidfile = ${join(dir, 'pgbouncer.pid')}
`,
  );
  // PgBouncer refuses to run as root: started by root, it drops to the postgres user (-u).
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    chmodSync(dir, 0o755);
    const pg = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const uid = Number(pg.stdout.trim());
    if (Number.isInteger(uid)) chownSync(dir, uid, -1);
  }
  const child: ChildProcess = spawn(PGBOUNCER, [...(asRoot ? ['-u', 'postgres'] : []), ini], { stdio: 'pipe' });
  let output = '';
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const bouncer: Bouncer = {
    port,
    urlFor: (database) => `postgres://${server.username}@127.0.0.1:${port}/${database}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const pg = (await import('pg')).default;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    const client = new pg.Client({ connectionString: bouncer.urlFor('postgres') });
    const ok = await client.connect().then(
      () => client.query('select 1').then(() => true),
      () => false,
    );
    await client.end().catch(() => {});
    if (ok) return bouncer;
    await new Promise((r) => setTimeout(r, 100));
  }
  await bouncer.stop();
  throw new Error(`pgbouncer did not start: ${output}`);
}
