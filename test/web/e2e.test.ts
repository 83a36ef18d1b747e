/**
 * Runs the Playwright journeys (test/e2e/*.spec.ts) in Debian's chromium against the real server,
 * started here on a free port: on embedded PGlite, or on PostgreSQL (a clone of the migrated template)
 * when TEST_DATABASE_URL is set. Skips, saying why, only when chromium is not installed.
 * Third parties are local fakes started here: PhonePe (with its hosted payment page, for the UPI AutoPay
 * journey) and a Google OpenID provider (auto-approving, for "Sign in with Google"). Stripe is left
 * unconfigured: the plans page offers PhonePe only.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type FakeOidc, startFakeOidc } from '../helpers/fake-oidc.ts';
import { type FakePhonePe, startFakePhonePe } from '../helpers/fake-phonepe.ts';
import { databaseUrlFor, quoteIdent, uniqueName } from '../helpers/template.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`e2e: skipped, no chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run does it)`);

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

async function waitReady(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited (${server.exitCode}):\n${log()}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not ready in 90 s:\n${log()}`);
}

describe.skipIf(!hasChromium)('web app in Chromium (Playwright)', () => {
  let server: ChildProcess | undefined;
  let dir = '';
  let dropDatabase: (() => Promise<void>) | undefined;
  let baseUrl = '';
  let output = '';
  let phonepe: FakePhonePe | undefined;
  let oidc: FakeOidc | undefined;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, ['scripts/build-web.mjs', '--if-stale', '--quiet'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`web build failed:\n${build.stdout}${build.stderr}`);

    dir = mkdtempSync(join(tmpdir(), 'jobr-e2e-'));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development', // seeds the demo catalogue and the demo seeker
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      LOG_LEVEL: 'warn',
      TASKS_ENABLED: 'true', // password-reset e-mails and exports are queued work (pg-boss)
      AUTH_RATE_LIMIT_MAX: '10000',
      ADMIN_EMAIL: 'admin@jobr.localhost',
      ADMIN_PASSWORD: 'e2e-admin-password-1',
      DATA_DIR: join(dir, 'data'),
      FILE_STORAGE_DIR: join(dir, 'files'),
      // The tracked-jobs journey pastes the address of a page it serves on loopback (test/e2e/tracked.spec.ts).
      FETCH_ALLOWED_ADDRESSES: '127.0.0.1',
    };
    const pp = {
      clientId: 'E2E_CLIENT',
      clientSecret: 'e2e-pp-secret',
      username: 'e2e-hook',
      password: 'e2e-hook-pass',
    };
    phonepe = await startFakePhonePe({ ...pp, hostedPages: true });
    oidc = await startFakeOidc();
    Object.assign(env, {
      PHONEPE_CLIENT_ID: pp.clientId,
      PHONEPE_CLIENT_SECRET: pp.clientSecret,
      PHONEPE_API_URL: phonepe.url,
      PHONEPE_AUTH_URL: phonepe.url,
      PHONEPE_WEBHOOK_USERNAME: pp.username,
      PHONEPE_WEBHOOK_PASSWORD: pp.password,
      GOOGLE_CLIENT_ID: oidc.clientId,
      GOOGLE_CLIENT_SECRET: oidc.clientSecret,
      GOOGLE_ISSUER: oidc.issuer,
    });
    const template = inject('template');
    if (template.kind === 'postgres') {
      const name = uniqueName('jobr_e2e');
      const admin = new pg.Client({ connectionString: template.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template.name)}`);
      env.DATABASE_URL = databaseUrlFor(template.url, name);
      dropDatabase = async () => {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
        await admin.end();
      };
    }
    let log = '';
    server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env, stdio: 'pipe' });
    server.stdout?.on('data', (d: Buffer) => {
      log += d.toString();
    });
    server.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
    });
    await waitReady(baseUrl, server, () => log);
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server?.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await dropDatabase?.();
    await phonepe?.close();
    await oidc?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes every journey (search, apply, tracker, register, CV upload, keyboard, axe)', {
    timeout: 600_000, // about 2 minutes on an idle 2-core machine; far more while other work runs
  }, async () => {
    const screenshots = join(ROOT, 'test-results', 'screenshots', inject('template').kind);
    mkdirSync(screenshots, { recursive: true });
    const run = spawn(
      process.execPath,
      [
        join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js'),
        'test',
        '--config',
        'test/e2e/playwright.config.ts',
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          E2E_BASE_URL: baseUrl,
          E2E_SCREENSHOTS: screenshots,
          CHROMIUM_PATH: CHROMIUM,
          FORCE_COLOR: '0',
        },
        stdio: 'pipe',
      },
    );
    run.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    run.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const code = await new Promise<number | null>((r) => run.once('exit', r));
    if (code !== 0) console.error(output);
    expect(code, output.slice(-4000)).toBe(0);
  });
});
