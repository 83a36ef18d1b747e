/**
 * The real entry points as a newcomer runs them: `npm start` (the compiled dist/server.js) and `npx jobr` (bin/jobr.js),
 * as child processes on a throwaway embedded database.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/node-process.ts';
import { testDatabaseUrl } from '../helpers/template.ts';

const root = new URL('../..', import.meta.url).pathname;
let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'jobr-proc-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// Children get only what they need: no DATABASE_URL from the developer's shell.
const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'development' };

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync('node', ['bin/jobr.js', ...args], {
    cwd: root,
    env: { ...baseEnv, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

// Process tests always use the embedded database; they run once, in the PGlite pass.
// Each child process is bounded by its own 60 s timeout; the tests' limits only cover the sum of them, so a
// loaded machine (each CLI start compiles TypeScript and opens PGlite: 3-8 s) cannot time a test out.
describe.skipIf(testDatabaseUrl)('jobr CLI', { timeout: 300_000 }, () => {
  it('prints help listing the commands', () => {
    const r = cli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: jobr <command>');
    expect(r.stdout).toMatch(/migrate\s+Apply pending database migrations/);
  });

  it('rejects an unknown command with exit code 2 and the help on stderr', () => {
    const r = cli(['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Unknown command: frobnicate');
  });

  it('stops on bad configuration with a message naming the variable', () => {
    const r = cli(['migrate'], { DB_POOL_MAX: 'lots' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('DB_POOL_MAX');
  });

  it('migrates and seeds an empty embedded database, idempotently', () => {
    const first = cli(['seed']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Demo jobs added: \d+/);
    const second = cli(['seed']);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('Demo jobs: none added');
  });

  it('imports a job file with progress and a report, and explains a missing file', () => {
    const file = join(dataDir, 'jobs.ndjson');
    const row = (id: string, title: string) =>
      JSON.stringify({ id, title, company: 'Cli Co', description: 'From the CLI.' });
    writeFileSync(file, [row('1', 'Welder'), '{oops', row('2', 'Electrician')].join('\n'));
    const reportFile = join(dataDir, 'report.ndjson');
    const r = cli(['jobs', 'import', file, '--source', 'cli', '--report', reportFile]);
    expect(r.status, r.stderr).toBe(1); // a rejected row: non-zero, the good rows imported all the same
    expect(r.stderr).toContain(`Importing ${file} as ndjson`);
    expect(r.stderr).toMatch(/100%\s+3 rows/);
    expect(r.stdout).toMatch(/2 inserted, 0 updated, 0 skipped, 0 merged \(same posting, another id\), 1 rejected/);
    expect(r.stdout).toContain('line 2: Not valid JSON.');
    expect(
      readFileSync(reportFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([{ line: 2, kind: 'rejected', reason: 'Not valid JSON.' }]);
    const again = cli(['jobs', 'import', file, '--source', 'cli']);
    expect(again.stdout).toMatch(/0 inserted, 0 updated, 2 skipped, 0 merged \(same posting, another id\), 1 rejected/);

    const missing = cli(['jobs', 'import', join(dataDir, 'nope.csv')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('Cannot read');
    const badFormat = cli(['jobs', 'import', file, '--format', 'xml']);
    expect(badFormat.status).toBe(2);
    expect(badFormat.stderr).toContain('--format must be one of');
  });

  it('refuses an administrator password that is too short', () => {
    const r = cli(['admin', 'create', '--email', 'admin@example.test'], { ADMIN_PASSWORD: 'short' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('ADMIN_PASSWORD');
  });
});

describe.skipIf(testDatabaseUrl)('npm start', () => {
  let child: ChildProcess | undefined;
  afterAll(() => child?.kill('SIGKILL'));
  // `npm start` runs the compiled build: build it if stale, as `prestart` does.
  beforeAll(() => {
    const build = spawnSync('node', ['scripts/build.mjs', '--if-stale'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(build.status, build.stderr).toBe(0);
  });

  /** `node dist/server.js` with `env`; resolves once /readyz answers 200 (or after 60 s). */
  async function startServer(env: Record<string, string>) {
    const server = spawn('node', ['dist/server.js'], { cwd: root, env });
    child = server;
    let output = '';
    server.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    server.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    let ready = 0;
    for (let i = 0; i < 120 && ready !== 200; i++) {
      await new Promise((r) => setTimeout(r, 500));
      ready = await fetch(`http://127.0.0.1:${env.PORT}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
    }
    return { server, ready, exited, output: () => output };
  }

  it('serves /readyz on the embedded database, refuses a second process, and shuts down gracefully', async () => {
    const port = await freePort();
    const serverDir = mkdtempSync(join(tmpdir(), 'jobr-srv-'));
    const env = { ...baseEnv, DATA_DIR: serverDir, PORT: String(port), LOG_LEVEL: 'info' };
    const first = await startServer(env);
    expect(first.ready, first.output()).toBe(200);
    expect(first.output()).toContain('seeded demo data');
    // The first start migrates and seeds in a child process, whose memory goes when it exits.
    expect(first.output()).toContain('migrating and seeding in a separate process');
    expect(existsSync(join(serverDir, 'jobr.prepared'))).toBe(true);

    // PGlite loses writes when two processes share a folder: the second one must be refused.
    const second = spawnSync('node', ['bin/jobr.js', 'migrate'], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    expect(second.status).toBe(1);
    expect(second.stderr).toContain('is in use by process');

    first.server.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('"msg":"stopped"');

    // A restart finds the folder prepared: no child, the same demo data.
    const again = await startServer(env);
    expect(again.ready, again.output()).toBe(200);
    expect(again.output()).not.toContain('separate process');
    const jobs = (await (await fetch(`http://127.0.0.1:${port}/api/v1/jobs?limit=1`)).json()) as { data: unknown[] };
    expect(jobs.data).toHaveLength(1);
    again.server.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    rmSync(serverDir, { recursive: true, force: true });
  }, 180_000);

  it('refuses cluster mode on the embedded database, naming the variable', () => {
    const r = spawnSync('node', ['dist/server.js'], {
      cwd: root,
      env: { ...baseEnv, DATA_DIR: dataDir, JOBR_WORKERS: '2' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/JOBR_WORKERS.*DATABASE_URL/);
  });
});
