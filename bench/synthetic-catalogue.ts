/**
 * A benchmark's own PostgreSQL database holding `rows` synthetic jobs (bench/synthetic.ts), loaded once
 * and reused by later runs: a finished load leaves its size in the jobs table's comment, so anything
 * else (a first run, another size, an interrupted load, `--reload`) loads again. Indexes are dropped
 * during the load and built once after it, which is far faster than maintaining them row by row.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Config } from '../src/config.ts';
import { loadAdminProof } from '../src/db/admin-proof.ts';
import { type Database, openPostgres, rowsOf } from '../src/db/client.ts';
import { runMigrations } from '../src/db/migrate.ts';
import { insertSyntheticJobs } from './synthetic.ts';

export const progress = (line: string) => process.stderr.write(`\r${line.padEnd(70)}`);

export async function openBenchCatalogue(
  server: string,
  dbName: string,
  rows: number,
  config: Config,
  options: { reload?: boolean } = {},
): Promise<{ url: string; database: Database }> {
  const url = Object.assign(new URL(server), { pathname: `/${dbName}` }).toString();
  const create = async (fresh: boolean) => {
    const admin = new pg.Client(server);
    await admin.connect();
    if (fresh) await admin.query(`drop database if exists ${dbName}`);
    const exists = await admin.query('select 1 from pg_database where datname = $1', [dbName]);
    if (exists.rowCount === 0) await admin.query(`create database ${dbName}`);
    // As recommended for production in docs/operations.md: enough memory that bitmaps of broad filters
    // stay exact, and no JIT (compiling a search's expressions cost 300-550 ms a statement).
    await admin.query(`alter database ${dbName} set work_mem = '16MB'`);
    await admin.query(`alter database ${dbName} set jit = off`);
    await admin.end();
  };
  await create(false);
  let database = openPostgres(url, config.pool);
  const [{ comment } = { comment: null }] = rowsOf<{ comment: string | null }>(
    await database.db.execute(sql`select obj_description(oid) as comment from pg_class where relname = 'jobs'`),
  );
  if (comment === `bench:${rows}` && !options.reload) {
    await runMigrations(database);
    await loadAdminProof(database.db); // the bench connects as the owner
    return { url, database };
  }
  await database.close();
  await create(true);
  database = openPostgres(url, config.pool);
  await runMigrations(database);
  await loadAdminProof(database.db);
  console.error(
    `Loading ${rows.toLocaleString('en-US')} synthetic jobs into ${dbName} (once; later runs reuse them)...`,
  );
  const loader = new pg.Client(url);
  await loader.connect();
  await loader.query("set statement_timeout = 0; set maintenance_work_mem = '512MB'");
  const { rows: indexes } = await loader.query<{ name: string; def: string }>(
    `select i.indexname as name, i.indexdef as def from pg_indexes i
      where i.tablename = 'jobs' and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
  );
  for (const index of indexes) await loader.query(`drop index ${index.name}`);
  const started = Date.now();
  const chunk = 50_000;
  const loaderDb = openPostgres(url, { ...config.pool, statementTimeoutMs: 0 });
  for (let from = 1; from <= rows; from += chunk) {
    const done = Math.min(rows, from + chunk - 1);
    await insertSyntheticJobs(loaderDb.db, from, done, rows);
    progress(
      `  ${Math.floor((done / rows) * 100)}%  ${done.toLocaleString('en-US')} jobs  ${Math.round(done / ((Date.now() - started) / 1000)).toLocaleString('en-US')} jobs/s`,
    );
  }
  await loaderDb.close();
  process.stderr.write('\n');
  for (const [i, index] of indexes.entries()) {
    progress(`  building index ${i + 1}/${indexes.length}: ${index.name}`);
    await loader.query(index.def);
  }
  process.stderr.write('\n');
  await loader.query('vacuum analyze jobs');
  await loader.query(`comment on table jobs is 'bench:${rows}'`);
  await loader.end();
  return { url, database };
}
