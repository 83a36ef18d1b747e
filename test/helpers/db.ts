import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { loadAdminProof } from '../../src/db/admin-proof.ts';
import { type Database, type Db, openPostgres, pgliteExtensions, wrapPglite } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { databaseUrlFor, quoteIdent, uniqueName } from './template.ts';

export type TestDatabase = Database & {
  /** Runs raw SQL as the connecting superuser/owner (bypasses row-level security). */
  superuserQuery<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
};

const pool = { max: 10, idleTimeoutMs: 5000, connectTimeoutMs: 5000, statementTimeoutMs: 0 };

/** A fresh, migrated database of its own for one test file. Close it in afterAll. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject('template');
  if (template.kind === 'postgres') {
    const name = uniqueName('jobr_t');
    const admin = new pg.Client({ connectionString: template.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template.name)}`);
    const database = openPostgres(databaseUrlFor(template.url, name), pool);
    const raw = (database.db as unknown as { $client: pg.Pool }).$client;
    await loadAdminProof(database.db); // tests connect as the superuser
    return {
      ...database,
      superuserQuery: async (text, params) => (await raw.query(text, params)).rows,
      close: async () => {
        await database.close();
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const blob = new Blob([readFileSync(template.dumpFile)]);
  const client = await PGlite.create({ loadDataDir: blob, extensions: pgliteExtensions });
  const database = wrapPglite(client);
  await loadAdminProof(database.db);
  return {
    ...database,
    superuserQuery: async <R>(text: string, params?: unknown[]) => (await client.query<R>(text, params)).rows,
  };
}

/**
 * A TestDatabase on a server the test runs itself (a private cluster, test/helpers/pg-cluster.ts):
 * migrated here rather than cloned from the template, which lives on another server.
 */
export async function openMigratedDatabase(
  url: string,
  options: { connectTimeoutMs?: number } = {},
): Promise<TestDatabase> {
  const database = openPostgres(url, { ...pool, ...options });
  await runMigrations(database); // also loads the administrator proof (tests connect as the superuser)
  const raw = (database.db as unknown as { $client: pg.Pool }).$client;
  return { ...database, superuserQuery: async (text, params) => (await raw.query(text, params)).rows };
}

/** True when any transaction of the application is open, on either database (pg-boss's own pool excluded). */
export async function transactionOpen(database: Database): Promise<boolean> {
  if (database.kind === 'pglite') {
    return (database.db as unknown as { $client: PGlite }).$client.isInTransaction();
  }
  const raw = (database.db as unknown as { $client: pg.Pool }).$client;
  const { rows } = await raw.query<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity
     where datname = current_database() and application_name = 'jobr' and pid <> pg_backend_pid()
       and xact_start is not null`,
  );
  return (rows[0]?.n ?? 0) > 0;
}

/**
 * A handle on the same database that counts the statements sent through it (round-trip tests). It is a
 * new object, so whatever is cached per handle (search facets and pages) starts empty for it.
 */
export function countingStatements(db: Db): { exec: Db; count: () => number } {
  let n = 0;
  const exec = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'execute') {
        return (...args: Parameters<Db['execute']>) => {
          n++;
          return target.execute(...args);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
  return { exec, count: () => n };
}
