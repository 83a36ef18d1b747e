/**
 * One code path over two databases: embedded PGlite (no DATABASE_URL) or a PostgreSQL server
 * through a `pg` pool. Both are wrapped in the same Drizzle `Db` type; raw results expose `.rows`.
 */
import { mkdirSync } from 'node:fs';
import v8 from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { isDatabaseUnavailable } from '../lib/db-errors.ts';
import type { ReplicaRouter } from './replicas.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction fits wherever a `Db` does. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export type Database = {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Whether hot reads may use named prepared statements (off behind PgBouncer < 1.21, and for PGlite). */
  preparedStatements: boolean;
  /**
   * Opens the pool's warm minimum of connections and runs a search on each, so the first requests do
   * not pay for new connections (PostgreSQL; nothing for PGlite). Failures are logged, not thrown.
   */
  warm(): Promise<void>;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Read replicas for lag-tolerant catalogue reads (src/db/replicas.ts); absent without any. */
  replicas?: ReplicaRouter;
};

export const pgliteExtensions = { btree_gin, pg_trgm, pgcrypto };

// PostgreSQL's int8 (count(*), sums) arrives as a string from `pg` but a number from PGlite.
// Parse it as a number on both so application code sees one type; values stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

export function wrapPglite(client: PGlite): Database {
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    preparedStatements: false,
    warm: async () => {},
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

/**
 * `optimize`: let V8 recompile PGlite's hot functions with its optimising compiler (EMBEDDED_WASM_OPTIMIZE).
 * Off by default: PostgreSQL compiled to WebAssembly is a large module, and TurboFan's copies of its hot
 * functions cost ~65 MB of resident memory for good; in exchange sustained search load runs ~25-45% faster
 * (docs/decisions/027-cluster-mode-and-embedded-memory.md has the figures). V8 fixes a module's tiers when
 * it compiles it, so the baseline compiler alone is asked for while PGlite's module compiles, and the
 * default is restored for any later module (OCR in the parse worker).
 */
export async function openPglite(dataDir: string | undefined, options: { optimize?: boolean } = {}): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  if (options.optimize) return wrapPglite(await createPglite(dataDir));
  v8.setFlagsFromString('--liftoff-only');
  try {
    return wrapPglite(await createPglite(dataDir));
  } finally {
    v8.setFlagsFromString('--no-liftoff-only');
  }
}

function createPglite(dataDir: string | undefined): Promise<PGlite> {
  return PGlite.create({
    dataDir,
    extensions: pgliteExtensions,
    // PostgreSQL's default 128 MB of shared buffers lives in the server's own memory here, touched at
    // start: 32 MB holds the demo catalogue several times over and keeps an idle server small.
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB', '-c', 'maintenance_work_mem=16MB'],
  });
}

export function openPostgres(url: string, pool: Config['pool'], logger?: Logger, applicationName = 'jobr'): Database {
  const client = new pg.Pool({
    connectionString: url,
    max: pool.max,
    // pg-pool keeps at least `min` clients when closing idle ones; warm() opens them.
    min: pool.min ?? 0,
    idleTimeoutMillis: pool.idleTimeoutMs,
    connectionTimeoutMillis: pool.connectTimeoutMs,
    statement_timeout: pool.statementTimeoutMs || undefined,
    application_name: applicationName,
  });
  // A connection can die at any moment: a server restart or failover, pg_terminate_backend, a network
  // blip. `pg` then emits 'error' on the client, and an 'error' event nobody listens to ends the
  // process. The pool listens only while a client is idle (and re-emits on the pool); a client checked
  // out by a transaction has no listener between two queries. So every client gets its own listener
  // the moment it connects: the failing query (if any) rejects with the error, which the error handler
  // maps to 503 DATABASE_UNAVAILABLE, and the pool drops the dead client when it is released.
  client.on('connect', (connection) => {
    connection.on('error', (err) => logConnectionLost(logger, err));
  });
  client.on('error', (err) => logConnectionLost(logger, err));
  const db = drizzlePg(client, { schema }) as unknown as Db;
  db.transaction = poolTransaction(client);
  let closed = false;
  return {
    kind: 'postgres',
    db,
    preparedStatements: pool.preparedStatements ?? true,
    warm: () => warmPool(client, pool.min ?? 0, logger),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await client.end();
    },
  };
}

/**
 * Drizzle's own pool transaction checks a client out and releases it in a `finally` that only
 * covers the callback: when BEGIN fails (the connection died between checkout and BEGIN, as it does
 * when PostgreSQL restarts), the client is never released, and after `pool.max` such failures every
 * request waits for a connection forever. Here the client is always released, and destroyed
 * (release(err)) when the connection is the problem, so the pool never hands it out again.
 */
function poolTransaction(pool: pg.Pool): Db['transaction'] {
  // One Drizzle instance per pooled connection, built on first use: pooled clients are reused.
  const perClient = new WeakMap<pg.PoolClient, Db>();
  return async (fn, config) => {
    const connection = await pool.connect();
    let broken: Error | undefined;
    try {
      let db = perClient.get(connection);
      if (!db) {
        db = drizzlePg(connection, { schema }) as unknown as Db;
        perClient.set(connection, db);
      }
      return await db.transaction(fn, config);
    } catch (err) {
      if (isDatabaseUnavailable(err)) broken = err as Error;
      throw err;
    } finally {
      connection.release(broken ?? false);
    }
  };
}

/**
 * A new connection's first search pays for the connection itself and for loading the catalogue's
 * relations, indexes, statistics and the text-search dictionary into the backend's caches (measured in
 * docs/operations.md). One search on each of `min` connections, held at once so they are distinct.
 * The second statement is the shape of "jobs for me"'s window (the newest jobs in
 * idx_jobs_posted_date_id order, their skill arrays): a backend's first pass over those pages and
 * that index cost ~4x the next one's (docs/match.md).
 */
const WARM_UP = `select count(*) from (select 1 from jobs
  where search_vector @@ websearch_to_tsquery('english', search_text('warm up')) limit 1) w;
select count(*) from (select j.skills || j.text_skills from jobs j
  order by j.posted_date desc nulls last, j.id desc nulls last limit 1000) w`;

async function warmPool(pool: pg.Pool, min: number, logger?: Logger): Promise<void> {
  const clients: pg.PoolClient[] = [];
  try {
    for (let i = 0; i < min; i++) clients.push(await pool.connect());
    await Promise.all(clients.map((c) => c.query(WARM_UP)));
  } catch (err) {
    logger?.warn({ err: { message: (err as Error).message } }, 'warming the database pool failed');
  } finally {
    for (const c of clients) c.release();
  }
}

function logConnectionLost(logger: Logger | undefined, err: Error & { code?: unknown }): void {
  logger?.warn({ err: { message: err.message, code: err.code } }, 'database connection lost');
}

export async function openDatabase(config: Config, logger?: Logger): Promise<Database> {
  return config.database.kind === 'pglite'
    ? openPglite(config.database.dataDir, { optimize: config.database.optimize })
    : openPostgres(config.database.url, config.pool, logger);
}

/** Rows of a raw `db.execute(sql...)` result; both drivers return `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
