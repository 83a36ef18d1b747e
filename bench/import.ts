/**
 * `npm run bench:import`: how fast `jobr jobs import` loads jobs, against PostgreSQL's own COPY of the
 * same rows into the same table (same trigger, same indexes), measured in the same run before and after
 * the imports; then how fast it re-imports the same file unchanged, against the first import.
 *
 * Rows come from the realistic catalogue (bench/catalogue.ts). Options: --rows=N (default 50000),
 * --db=NAME or BENCH_DB (default jobr_bench_import, recreated on every run) on BENCH_DATABASE_URL's
 * server (default the local PostgreSQL), --profile (statements per batch and their time, per import).
 * It prints the machine's load average before and after: the figures are only as quiet as the machine.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '../src/config.ts';
import { loadAdminProof } from '../src/db/admin-proof.ts';
import { openPostgres, rowsOf } from '../src/db/client.ts';
import { systemActor } from '../src/db/context.ts';
import { runMigrations } from '../src/db/migrate.ts';
import { importJobs } from '../src/modules/jobs/import/import.service.ts';
import { catalogueJob, copyColumns, toCsvLine, vocabulary } from './catalogue.ts';
import { option } from './lib.ts';
import { databaseUrl } from './load-catalogue.ts';
import { profileTable, recordStatements } from './statement-profile.ts';

const rows = Number(option('rows', '50000'));
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = option('db', process.env.BENCH_DB ?? 'jobr_bench_import');
const url = databaseUrl(server, dbName);
const profile = process.argv.includes('--profile');
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
const loadBefore = load();

const admin = new pg.Client(server);
await admin.connect();
await admin.query(`drop database if exists "${dbName}" with (force)`);
await admin.query(`create database "${dbName}"`);
await admin.end();

const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: url });
const database = openPostgres(url, config.pool);
await runMigrations(database);
await loadAdminProof(database.db); // the bench connects as the owner
const { db } = database;
const dir = mkdtempSync(join(tmpdir(), 'jobr-bench-import-'));
const ndjson = join(dir, 'jobs.ndjson');
const csv = join(dir, 'jobs.csv');

// The same rows twice, generated here (no database statement to outgrow a time-out on a slow machine):
// as the NDJSON a partner would send, and as CSV in the table's own columns for COPY.
console.error(`Generating ${rows.toLocaleString('en-US')} jobs (${vocabulary().origin})...`);
const json = createWriteStream(ndjson);
const table = createWriteStream(csv);
const now = Date.now();
for (let n = 1; n <= rows; n++) {
  const j = catalogueJob(n, now);
  const line = toCsvLine(j);
  if (!table.write(line)) await once(table, 'drain');
  json.write(
    `${JSON.stringify({
      id: j.externalId,
      title: j.title,
      company: j.company,
      location: j.location,
      remote: j.remote,
      salaryMin: j.salaryMin,
      salaryMax: j.salaryMax,
      salaryCurrency: j.salaryCurrency,
      salaryPeriod: j.salaryPeriod,
      experienceLevel: j.experienceLevel,
      jobType: j.jobType,
      description: j.description,
      requirements: j.requirements,
      postedDate: j.postedDate.toISOString(),
    })}\n`,
  );
}
await Promise.all([new Promise((r) => json.end(r)), new Promise((r) => table.end(r))]);
const truncate = () => db.execute(sql`truncate jobs cascade`);
await db.execute(sql`vacuum analyze jobs`);

/**
 * CPU seconds (user + system) of the server's backends `pids`, read from /proc: figures that a busy
 * machine skews far less than wall time. Undefined when the server is not a process here.
 */
function backendCpu(pids: number[]): number | undefined {
  try {
    let ticks = 0;
    for (const pid of pids) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    }
    return ticks / 100; // USER_HZ
  } catch {
    return undefined;
  }
}
const poolBackends = async () =>
  rowsOf<{ pid: number }>(
    await db.execute(sql`select pid from pg_stat_activity where datname = current_database()`),
  ).map((r) => r.pid);
const nodeCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
type Cpu = { node: number; server: number | undefined };
const cpuText = (cpu: Cpu) =>
  cpu.server === undefined
    ? `CPU ${cpu.node.toFixed(1)} s in Node`
    : `CPU ${(cpu.node + cpu.server).toFixed(1)} s (Node ${cpu.node.toFixed(1)}, PostgreSQL ${cpu.server.toFixed(1)})`;

/** COPY of the same rows into the emptied table: the baseline. */
async function timedCopy() {
  await truncate();
  const started = process.hrtime.bigint();
  const node = nodeCpu();
  const client = new pg.Client(url);
  await client.connect();
  const { rows: backend } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  const pids = backend.map((r) => r.pid);
  await pipeline(
    createReadStream(csv),
    client.query(copyFrom(`copy jobs (${copyColumns.join(', ')}) from stdin (format csv)`)),
  );
  const cpu: Cpu = { node: nodeCpu() - node, server: backendCpu(pids) };
  await client.end();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, cpu };
}
// The pool's connections exist before the imports, so their CPU can be read before and after.
await Promise.all([1, 2, 3].map(() => db.execute(sql`select pg_sleep(0.05)`)));
const copyBeforeRun = await timedCopy();
const copyBefore = copyBeforeRun.seconds;

await truncate();
const profiles: string[] = [];
/** One import of the whole file, timed (and profiled with --profile). */
async function timedImport(title: string) {
  const pids = await poolBackends();
  const server = backendCpu(pids);
  const node = nodeCpu();
  const stop = profile ? recordStatements() : undefined;
  const start = process.hrtime.bigint();
  let batches = 0;
  const result = await importJobs(db, systemActor, createReadStream(ndjson), {
    format: 'ndjson',
    source: 'bench',
    onProgress: () => batches++,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const statements = stop?.();
  // A connection the pool opened meanwhile counts whole (all it did was this import).
  const serverAfter = backendCpu(await poolBackends());
  const cpu: Cpu = {
    node: nodeCpu() - node,
    server: server === undefined || serverAfter === undefined ? undefined : serverAfter - server,
  };
  if (statements) profiles.push(profileTable(title, statements, batches, seconds));
  return { result, seconds, cpu };
}
const first = await timedImport('first import');
const importSeconds = first.seconds;
if (first.result.inserted !== rows) throw new Error(`expected ${rows} inserted, got ${JSON.stringify(first.result)}`);
const again = await timedImport('re-import, all unchanged');
const reimportSeconds = again.seconds;
if (again.result.skipped !== rows) throw new Error(`expected ${rows} skipped, got ${JSON.stringify(again.result)}`);

// COPY again after the imports: on a shared machine the load drifts, and the baseline brackets the runs.
const copyAfterRun = await timedCopy();
const copyAfter = copyAfterRun.seconds;
const copySeconds = (copyBefore + copyAfter) / 2;

const perSecond = (s: number) =>
  Math.round(rows / s)
    .toLocaleString('en-US')
    .padStart(9);
console.log(`bench:import on PostgreSQL, ${rows.toLocaleString('en-US')} jobs (trigger and indexes in place for both)`);
console.log(
  `COPY FROM STDIN (CSV, baseline)          ${perSecond(copySeconds)} rows/s  ${copySeconds.toFixed(2)} s  (mean of ${copyBefore.toFixed(2)} s before the imports and ${copyAfter.toFixed(2)} s after)`,
);
console.log(
  `jobr import (NDJSON, validated, upsert)  ${perSecond(importSeconds)} rows/s  ${importSeconds.toFixed(2)} s  ratio ${(importSeconds / copySeconds).toFixed(2)}x the COPY time (target <= 2.00x)`,
);
console.log(
  `jobr re-import, all unchanged            ${perSecond(reimportSeconds)} rows/s  ${reimportSeconds.toFixed(2)} s  ratio ${(reimportSeconds / importSeconds).toFixed(2)}x the first import (target <= 1.00x; ${again.result.skipped.toLocaleString('en-US')} skipped)`,
);
// CPU time: what the work costs whatever else the machine runs (wall time above is what a user waits).
const copyCpu: Cpu = {
  node: (copyBeforeRun.cpu.node + copyAfterRun.cpu.node) / 2,
  server:
    copyBeforeRun.cpu.server === undefined || copyAfterRun.cpu.server === undefined
      ? undefined
      : (copyBeforeRun.cpu.server + copyAfterRun.cpu.server) / 2,
};
const total = (cpu: Cpu) => cpu.node + (cpu.server ?? 0);
console.log(`CPU time: COPY ${cpuText(copyCpu)}`);
console.log(
  `          import ${cpuText(first.cpu)}, ratio ${(total(first.cpu) / total(copyCpu)).toFixed(2)}x the COPY's`,
);
console.log(
  `          re-import ${cpuText(again.cpu)}, ratio ${(total(again.cpu) / total(first.cpu)).toFixed(2)}x the import's`,
);
console.log(
  `load average (1, 5, 15 min): ${loadBefore} before, ${load()} after (a shared machine: other work skews every figure)`,
);
for (const table of profiles) console.log(table);
await database.close();
rmSync(dir, { recursive: true, force: true });
