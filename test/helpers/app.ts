import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { type App, buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { loggerOptions } from '../../src/lib/logger.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { testDatabaseUrl } from './template.ts';

export type TestContext = { app: App; database: TestDatabase; config: Config };

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: '/nonexistent-test-data',
    // inject() calls all come from 127.0.0.1; the rate-limit test sets its own low limit.
    AUTH_RATE_LIMIT_MAX: '100000',
    CV_UPLOADS_PER_MINUTE: '100000',
    FILE_STORAGE_DIR: mkdtempSync(join(tmpdir(), 'jobr-files-')),
    // As in production: files in the database on PostgreSQL, on disk on the embedded database.
    STORAGE: testDatabaseUrl ? 'database' : 'disk',
    ...overrides,
  });
}

/** The real app on its own cloned database (or the one given, which it then owns); call `close()` in afterAll. */
export async function createTestApp(
  options: { env?: Record<string, string>; logger?: Logger; database?: TestDatabase } = {},
): Promise<TestContext & { close(): Promise<void> }> {
  const database = options.database ?? (await createTestDatabase());
  const config = testConfig(options.env);
  const app = await buildApp({ config, database, ...(options.logger ? { logger: options.logger } : {}) });
  await app.ready();
  return {
    app,
    database,
    config,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/** Everything the app logs, as text, for asserting that secrets never reach the log. */
export function capturingLogger(): { logger: Logger; text(): string } {
  const lines: string[] = [];
  const logger = pino(
    { ...loggerOptions({ logLevel: 'trace', env: 'test' }) },
    { write: (line: string) => void lines.push(line) },
  );
  return { logger, text: () => lines.join('') };
}

/** The ids of the stored CV files, in whichever store the app is configured with (STORAGE). */
export async function storedCvIds(ctx: TestContext): Promise<string[]> {
  if (ctx.config.storage === 'database') {
    const rows = await ctx.database.superuserQuery<{ key: string }>(
      `select key from stored_files where key like 'cvs/%'`,
    );
    return rows.map((r) => r.key.slice('cvs/'.length));
  }
  const dir = `${ctx.config.fileStorageDir}/cvs`;
  return existsSync(dir) ? readdirSync(dir) : [];
}
