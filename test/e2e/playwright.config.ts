/**
 * Playwright against a running Jobr (E2E_BASE_URL), in Debian's chromium — never a downloaded browser.
 * `npm test` runs it through test/web/e2e.test.ts, which starts the server; `npm run test:e2e` expects one
 * (E2E_BASE_URL, default http://127.0.0.1:3000, started with the demo data).
 */
import { defineConfig } from '@playwright/test';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  // 2 shared cores: one browser at a time; the journeys share one server and run in order.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  // Generous: the rest of the test suite shares the two cores while this runs (a journey that takes
  // 15-40 s alone took over a minute in CI).
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: '../../test-results/e2e',
  use: {
    baseURL: process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3000',
    viewport: { width: 1280, height: 800 },
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    },
  },
});
