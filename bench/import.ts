/**
 * `npm run bench:import`: how fast `jobr jobs import` loads jobs, against PostgreSQL's own COPY of the
 * same rows into the same table (same trigger, same indexes), measured in the same run.
 *
 * Options: --rows=N (default 50000). Database: BENCH_DATABASE_URL's server (default the local
 * PostgreSQL), database jobr_bench_import, recreated on every run.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '../src/config.ts';
import { openPostgres, rowsOf } from '../src/db/client.ts';
import { systemActor } from '../src/db/context.ts';
import { runMigrations } from '../src/db/migrate.ts';
import { importJobs } from '../src/modules/jobs/import/import.service.ts';
import { insertSyntheticJobs } from './synthetic.ts';

const rows = Number(process.argv.find((a) => a.startsWith('--rows='))?.slice(7) ?? 50_000);
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = 'jobr_bench_import';
const url = Object.assign(new URL(server), { pathname: `/${dbName}` }).toString();

const admin = new pg.Client(server);
await admin.connect();
await admin.query(`drop database if exists ${dbName}`);
await admin.query(`create database ${dbName}`);
await admin.end();

const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: url });
const database = openPostgres(url, config.pool);
await runMigrations(database);
const { db } = database;
const dir = mkdtempSync(join(tmpdir(), 'jobr-bench-import-'));
const ndjson = join(dir, 'jobs.ndjson');
const csv = join(dir, 'jobs.csv');

// The same rows twice: as the NDJSON a partner would send, and as CSV in the table's own columns for COPY.
console.error(`Generating ${rows.toLocaleString('en-US')} jobs...`);
await insertSyntheticJobs(db, 1, rows);
const columns = [
  'title',
  'company',
  'location',
  'remote',
  'salary_min',
  'salary_max',
  'salary_currency',
  'salary_period',
  'salary_yearly_min',
  'salary_yearly_max',
  'experience_level',
  'job_type',
  'description',
  'requirements',
  'skills',
  'source',
  'external_id',
  'posted_date',
];
const json = createWriteStream(ndjson);
const table = createWriteStream(csv);
const quote = (v: unknown) => (v === null ? '' : `"${String(v).replaceAll('"', '""')}"`);
const pgArray = (a: string[]) =>
  `{${a.map((s) => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
for (let offset = 0; offset < rows; offset += 10_000) {
  const batch = rowsOf<Record<string, unknown>>(
    await db.execute(
      sql`select ${sql.raw(columns.join(', '))} from jobs order by external_id limit 10000 offset ${offset}`,
    ),
  );
  for (const r of batch) {
    json.write(
      `${JSON.stringify({
        id: r.external_id,
        title: r.title,
        company: r.company,
        location: r.location,
        remote: r.remote,
        salaryMin: r.salary_min,
        salaryMax: r.salary_max,
        salaryCurrency: r.salary_currency,
        salaryPeriod: r.salary_period,
        experienceLevel: r.experience_level,
        jobType: r.job_type,
        description: r.description,
        requirements: r.requirements,
        postedDate: new Date(r.posted_date as string).toISOString(),
      })}\n`,
    );
    table.write(
      `${columns
        .map((c) => {
          const v = r[c];
          if (Array.isArray(v)) return quote(pgArray(v as string[]));
          if (v instanceof Date) return quote(v.toISOString());
          return quote(v);
        })
        .join(',')}\n`,
    );
  }
}
await Promise.all([new Promise((r) => json.end(r)), new Promise((r) => table.end(r))]);
const truncate = () => db.execute(sql`truncate jobs cascade`);
await db.execute(sql`vacuum analyze jobs`);

await truncate();
let started = process.hrtime.bigint();
const client = new pg.Client(url);
await client.connect();
await pipeline(
  createReadStream(csv),
  client.query(copyFrom(`copy jobs (${columns.join(', ')}) from stdin (format csv)`)),
);
await client.end();
const copySeconds = Number(process.hrtime.bigint() - started) / 1e9;

await truncate();
started = process.hrtime.bigint();
const report = await importJobs(db, systemActor, createReadStream(ndjson), { format: 'ndjson', source: 'bench' });
const importSeconds = Number(process.hrtime.bigint() - started) / 1e9;
if (report.inserted !== rows) throw new Error(`expected ${rows} inserted, got ${JSON.stringify(report)}`);

const reimportStart = process.hrtime.bigint();
const again = await importJobs(db, systemActor, createReadStream(ndjson), { format: 'ndjson', source: 'bench' });
const reimportSeconds = Number(process.hrtime.bigint() - reimportStart) / 1e9;

const perSecond = (s: number) =>
  Math.round(rows / s)
    .toLocaleString('en-US')
    .padStart(9);
console.log(`bench:import on PostgreSQL, ${rows.toLocaleString('en-US')} jobs (trigger and indexes in place for both)`);
console.log(`COPY FROM STDIN (CSV, baseline)          ${perSecond(copySeconds)} rows/s  ${copySeconds.toFixed(2)} s`);
console.log(
  `jobr import (NDJSON, validated, upsert)  ${perSecond(importSeconds)} rows/s  ${importSeconds.toFixed(2)} s  ratio ${(importSeconds / copySeconds).toFixed(2)}x the COPY time`,
);
console.log(
  `jobr re-import, all unchanged            ${perSecond(reimportSeconds)} rows/s  ${reimportSeconds.toFixed(2)} s  (${again.skipped.toLocaleString('en-US')} skipped)`,
);
await database.close();
rmSync(dir, { recursive: true, force: true });
