import { defineConfig } from 'vitest/config';

// `npm test` runs on embedded PGlite; with TEST_DATABASE_URL set it runs the same suite on PostgreSQL.
export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: 'test' },
  },
});
