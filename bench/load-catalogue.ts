/**
 * Loading the catalogue (bench/catalogue.ts) into a benchmark database with COPY, in batches sized to
 * stay well inside the application's statement time-out on whatever machine runs it: the first batch is
 * small, later ones are sized from the measured rate to take about BATCH_SECONDS. Secondary indexes are
 * dropped for the load and rebuilt after it (far faster than maintaining them row by row); the finished
 * load leaves its size, seed and generator version in the table comment, so later runs reuse it.
 */
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '../src/config.ts';
import { loadAdminProof } from '../src/db/admin-proof.ts';
import { type Db, openPostgres, pgliteExtensions, wrapPglite } from '../src/db/client.ts';
import { runMigrations } from '../src/db/migrate.ts';
import { fillMatchFacts } from '../src/modules/match/reindex.ts';
import { copyColumns, csvBatch, DEFAULT_SEED, GENERATOR_VERSION, vocabulary } from './catalogue.ts';

const BATCH_SECONDS = 3;
const copySql = (source: string) => `copy jobs (${copyColumns.join(', ')}) from ${source} (format csv)`;

export const progress = (line: string) => process.stderr.write(`\r${line.padEnd(78)}`);

/** The server URL with another database name. */
export const databaseUrl = (server: string, name: string) =>
  Object.assign(new URL(server), { pathname: `/${name}` }).toString();

const label = (rows: number, seed: number) => `bench:${rows}:seed=${seed}:v${GENERATOR_VERSION}`;

/** Copies rows 1..rows in adaptive batches through `copy(csv)`; returns rows per second. */
async function copyInBatches(rows: number, seed: number, copy: (csv: string) => Promise<void>): Promise<number> {
  const now = Date.now();
  const started = Date.now();
  let batch = 2000;
  for (let from = 1; from <= rows; ) {
    const to = Math.min(rows, from + batch - 1);
    const csv = csvBatch(from, to, now, seed);
    const t = Date.now();
    await copy(csv);
    const seconds = Math.max(0.05, (Date.now() - t) / 1000);
    batch = Math.max(500, Math.min(50_000, Math.round(((to - from + 1) / seconds) * BATCH_SECONDS)));
    from = to + 1;
    const elapsed = (Date.now() - started) / 1000;
    progress(
      `  ${Math.floor((to / rows) * 100)}%  ${to.toLocaleString('en-US')} jobs  ${Math.round(to / elapsed).toLocaleString('en-US')} jobs/s`,
    );
  }
  process.stderr.write('\n');
  return rows / ((Date.now() - started) / 1000);
}

/**
 * Makes database `name` on `server` hold exactly the catalogue of `rows` jobs (seed), migrated; loads it
 * only when it does not already. Returns whether it loaded.
 */
export async function ensurePostgresCatalogue(
  server: string,
  name: string,
  rows: number,
  options: { seed?: number; reload?: boolean } = {},
): Promise<boolean> {
  const seed = options.seed ?? DEFAULT_SEED;
  const url = databaseUrl(server, name);
  const admin = new pg.Client(server);
  await admin.connect();
  try {
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
    if (exists && !options.reload) {
      const probe = new pg.Client(url);
      await probe.connect();
      const { rows: found } = await probe
        .query<{ c: string | null }>(`select obj_description('jobs'::regclass) as c`)
        .catch(() => ({ rows: [{ c: null }] }));
      await probe.end();
      if (found[0]?.c === label(rows, seed)) {
        await withDatabase(url, fillFacts);
        return false;
      }
    }
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
    // As docs/operations.md recommends for production: bitmaps of broad filters stay exact.
    await admin.query(`alter database "${name}" set work_mem = '16MB'`);
  } finally {
    await admin.end();
  }

  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: url });
  const database = openPostgres(url, config.pool);
  await runMigrations(database);
  await database.close();

  console.error(
    `Loading ${rows.toLocaleString('en-US')} jobs into ${name} (${vocabulary().origin}); later runs reuse them`,
  );
  const loader = new pg.Client(url);
  await loader.connect();
  try {
    // Each COPY batch must fit the application's own statement time-out, as on a production server.
    await loader.query(`set statement_timeout = ${config.pool.statementTimeoutMs}`);
    const { rows: indexes } = await loader.query<{ name: string; def: string }>(
      `select i.indexname as name, i.indexdef as def from pg_indexes i
        where i.tablename = 'jobs' and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    );
    for (const index of indexes) await loader.query(`drop index ${index.name}`);
    const rate = await copyInBatches(rows, seed, async (csv) => {
      const stream = loader.query(copyFrom(copySql('stdin')));
      await new Promise<void>((resolve, reject) => {
        stream.on('finish', resolve);
        stream.on('error', reject);
        stream.end(csv);
      });
    });
    console.error(`  COPY: ${Math.round(rate).toLocaleString('en-US')} jobs/s (search-vector trigger on, indexes off)`);
    // One index build is one statement that cannot be split: maintenance, without the time-out.
    await loader.query("set statement_timeout = 0; set maintenance_work_mem = '512MB'");
    for (const [i, index] of indexes.entries()) {
      progress(`  building index ${i + 1}/${indexes.length}: ${index.name}`);
      await loader.query(index.def);
    }
    process.stderr.write('\n');
    await loader.query('vacuum analyze jobs');
    await loader.query(`comment on table jobs is '${label(rows, seed)}'`);
  } finally {
    await loader.end();
  }
  await withDatabase(url, fillFacts);
  return true;
}

async function withDatabase(url: string, work: (db: Db) => Promise<void>) {
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: url });
  const database = openPostgres(url, { ...config.pool, statementTimeoutMs: 0 });
  try {
    await work(database.db);
  } finally {
    await database.close();
  }
}

/**
 * COPY writes no jobs.match_facts; a server computes them on every write and fills missing ones in the
 * background after it starts. A catalogue gets them here, once (minutes at 1,000,000 jobs; nothing to do
 * on later runs), so that no measurement runs beside that fill.
 */
async function fillFacts(db: Db) {
  await loadAdminProof(db); // the bench connects as the owner
  progress('  filling jobs.match_facts where missing');
  const filled = await fillMatchFacts(db, { batch: 500 });
  process.stderr.write(filled > 0 ? `: ${filled.toLocaleString('en-US')} jobs\n` : '\r');
  if (filled > 0) await db.execute(sql`vacuum analyze jobs`);
}

/** An embedded (PGlite) data folder holding the same catalogue, migrated. Loads only when needed. */
export async function ensurePgliteCatalogue(dataDir: string, rows: number, seed = DEFAULT_SEED): Promise<boolean> {
  const client = await PGlite.create({ dataDir, extensions: pgliteExtensions });
  try {
    const database = wrapPglite(client);
    await runMigrations(database);
    const { rows: found } = await client.query<{ c: string | null }>(`select obj_description('jobs'::regclass) as c`);
    if (found[0]?.c === label(rows, seed)) {
      await fillFacts(database.db);
      return false;
    }
    console.error(`Loading ${rows.toLocaleString('en-US')} jobs into the embedded database in ${dataDir}`);
    await client.query('truncate jobs cascade');
    await copyInBatches(rows, seed, async (csv) => {
      await client.query(copySql("'/dev/blob'"), [], { blob: new Blob([csv]) });
    });
    await client.query('vacuum analyze jobs');
    await client.query(`comment on table jobs is '${label(rows, seed)}'`);
    await fillFacts(database.db);
    return true;
  } finally {
    await client.close();
  }
}
