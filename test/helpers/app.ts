import { type App, buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export type TestContext = { app: App; database: TestDatabase; config: Config };

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '/nonexistent-test-data', ...overrides });
}

/** The real app on its own cloned database; call `close()` in afterAll. */
export async function createTestApp(
  options: { env?: Record<string, string> } = {},
): Promise<TestContext & { close(): Promise<void> }> {
  const database = await createTestDatabase();
  const config = testConfig(options.env);
  const app = await buildApp({ config, database });
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
