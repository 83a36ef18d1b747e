/**
 * `npm run bench:web`: how long a job seeker waits for search results, against the API call alone.
 *
 * Starts the server (embedded PGlite in a temporary folder, demo catalogue) on a free port, then, in
 * Debian's chromium, times navigation start -> first result row painted for `/?q=<term>` (a cold page
 * load each time: HTML, the JS bundle from the HTTP cache after the first run, /me, /jobs), and times
 * GET /api/v1/jobs with the same query from the same browser page (fetch) and from Node. Prints p50
 * and the ratio page/API: the page should cost about one API round trip plus the app's start-up.
 * Options: --reps=N (default 15). CHROMIUM_PATH overrides /usr/bin/chromium.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { percentile } from './lib.ts';

const reps = Number(process.argv.find((a) => a.startsWith('--reps='))?.split('=')[1] ?? 15);
const terms = ['engineer', 'python', 'manager', 'remote', 'data', 'designer'];

const port = await new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const a = s.address();
    s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
  });
});
const base = `http://127.0.0.1:${port}`;
const dir = mkdtempSync(join(tmpdir(), 'jobr-bench-web-'));
const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
  env: {
    PATH: process.env.PATH,
    NODE_ENV: 'development',
    PORT: String(port),
    PUBLIC_URL: base,
    LOG_LEVEL: 'warn',
    TASKS_ENABLED: 'false',
    DATA_DIR: join(dir, 'data'),
  },
  stdio: 'inherit',
});
try {
  for (let i = 0; ; i++) {
    if (i > 360) throw new Error('server did not start');
    if (
      await fetch(`${base}/readyz`)
        .then((r) => r.ok)
        .catch(() => false)
    )
      break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const page = await browser.newPage();
  await page.goto(`${base}/?q=warmup`);
  await page.locator('.job-row, .empty').first().waitFor();

  const pageMs: number[] = [];
  const browserApiMs: number[] = [];
  const nodeApiMs: number[] = [];
  const jobsStartMs: number[] = [];
  const jobsDurMs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const q = terms[i % terms.length] ?? 'engineer';
    await page.goto(`${base}/?q=${q}`);
    await page.locator('.job-row').first().waitFor();
    // Times count from the navigation's start: the app marks when the first rows were rendered.
    const t = await page.evaluate(() => {
      const mark = performance.getEntriesByName('jobr:first-result')[0];
      const jobs = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/v1/jobs')) as
        | { startTime: number; responseEnd: number }
        | undefined;
      return {
        first: mark?.startTime ?? Number.NaN,
        start: jobs?.startTime ?? Number.NaN,
        end: jobs?.responseEnd ?? Number.NaN,
      };
    });
    pageMs.push(t.first);
    jobsStartMs.push(t.start);
    jobsDurMs.push(t.end - t.start);
    browserApiMs.push(
      await page.evaluate(async (url) => {
        const t = performance.now();
        await (await fetch(url)).json();
        return performance.now() - t;
      }, `/api/v1/jobs?q=${q}&limit=20`),
    );
    const t0 = performance.now();
    await (await fetch(`${base}/api/v1/jobs?q=${q}&limit=20`)).json();
    nodeApiMs.push(performance.now() - t0);
  }
  await browser.close();
  const p50 = (xs: number[]) => percentile(xs, 50);
  const fmt = (n: number) => `${n.toFixed(1)} ms`;
  console.log(`reps ${reps} (PGlite, demo catalogue)`);
  console.log(`navigation -> first result row   p50 ${fmt(p50(pageMs))}  p95 ${fmt(percentile(pageMs, 95))}`);
  console.log(
    `  of which: the jobs request starts at p50 ${fmt(p50(jobsStartMs))} (HTML + JS start-up) and takes ${fmt(p50(jobsDurMs))}`,
  );
  console.log(`GET /api/v1/jobs from the page    p50 ${fmt(p50(browserApiMs))}`);
  console.log(`GET /api/v1/jobs from Node        p50 ${fmt(p50(nodeApiMs))}`);
  console.log(`ratio page / API call (browser)   ${(p50(pageMs) / p50(browserApiMs)).toFixed(2)}x`);
  console.log(`API requests before the first row: 1 (the jobs request starts with the app; /me runs beside it)`);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
