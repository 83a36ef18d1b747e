import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPglite, openPostgres } from '../src/db/client.ts';
import { runMigrations } from '../src/db/migrate.ts';
import { databaseUrlFor, quoteIdent, testDatabaseUrl, uniqueName } from './helpers/template.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    template: { kind: 'postgres'; url: string; name: string } | { kind: 'pglite'; dumpFile: string };
  }
}

const pool = { max: 2, idleTimeoutMs: 1000, connectTimeoutMs: 5000, statementTimeoutMs: 0 };

export default async function setup(project: TestProject) {
  if (testDatabaseUrl) {
    const name = uniqueName('jobr_tpl');
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
    const url = databaseUrlFor(testDatabaseUrl, name);
    const database = openPostgres(url, pool);
    await runMigrations(database);
    await database.close();
    project.provide('template', { kind: 'postgres', url: testDatabaseUrl, name });
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      await admin.end();
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'jobr-test-'));
  const database = await openPglite(undefined);
  await runMigrations(database);
  const client = (database.db as unknown as { $client: import('@electric-sql/pglite').PGlite }).$client;
  const dump = await client.dumpDataDir('none');
  const dumpFile = join(dir, 'template.tar');
  writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide('template', { kind: 'pglite', dumpFile });
  return () => rmSync(dir, { recursive: true, force: true });
}
