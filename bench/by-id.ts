/**
 * `npm run bench:by-id`: GET /api/v1/jobs/:id at 20 connections (wrk) against pgbench running the very
 * statements the server sent for those requests (recorded by bench/trace-pg.ts), with the server in one
 * process and in cluster mode (JOBR_WORKERS), in the same run. The by-id part of `npm run bench`, on its
 * own and quick (a 100,000-job catalogue is plenty for a primary-key read).
 *
 * Options: --rows=N (default 100000); --db=NAME (default jobr_bench_<rows>); --duration=S per run (10);
 * --clients=N (20); --workers=1,2 (the JOBR_WORKERS values to measure); --runs=N (2: alternating runs of
 * each, so drift on a shared machine hits all alike); --from-source (tsx instead of the compiled build).
 * Server: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres). Needs wrk and pgbench.
 */
import { execSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { DEFAULT_SEED } from './catalogue.ts';
import { cpuMs, option, settle } from './lib.ts';
import { databaseUrl, ensurePostgresCatalogue } from './load-catalogue.ts';
import { pgbenchScript, runPgbench } from './pgbench.ts';
import { startServer } from './server.ts';
import type { TracedStatement } from './trace-pg.ts';
import { hasWrk, runWrk, type WrkResult } from './wrk.ts';

const rows = Number(option('rows', '100000'));
const dbName = option('db', process.env.BENCH_DB ?? `jobr_bench_${rows}`);
const seconds = Number(option('duration', '10'));
const clients = Number(option('clients', '20'));
const runs = Number(option('runs', '2'));
const workerCounts = option('workers', '1,2').split(',').map(Number);
const entry = process.argv.includes('--from-source') ? 'src' : 'dist';
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const url = databaseUrl(server, dbName);
const env = { DATABASE_URL: url, DB_MIGRATE_ON_START: 'false', SEED_DEMO_DATA: 'false', TASKS_ENABLED: 'false' };
const load = () =>
  execSync('uptime')
    .toString()
    .trim()
    .replace(/^.*load average: /, '');

/**
 * The SQL side's CPU per statement, which no load average disturbs: pgbench on one connection for 10 s
 * over the recorded statements, in `mode` (`simple`, as the baseline runs them with literals; `prepared`,
 * as the server sends them), and its backend's CPU from /proc. Needs PostgreSQL on this machine.
 */
async function sqlCpuPerStatement(mode: 'simple' | 'prepared'): Promise<{ backend: number; client: number }> {
  const u = new URL(server);
  const script = '/tmp/jobr-by-id-cpu.sql';
  // One request's statements (a request that raced a background statement recorded two).
  writeFileSync(script, pgbenchScript(traces.find((t) => t.length === 1) ?? traces[0] ?? []));
  const bench = spawn(
    'pgbench',
    [
      '-n',
      '-M',
      mode,
      '-f',
      script,
      '-c',
      '1',
      '-j',
      '1',
      '-T',
      '12',
      '-h',
      u.hostname,
      '-p',
      u.port || '5432',
      '-U',
      u.username || 'postgres',
      dbName,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let out = '';
  bench.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const done = new Promise((r) => bench.once('exit', r));
  await new Promise((r) => setTimeout(r, 1000));
  const probe = new pg.Client(url);
  await probe.connect();
  const { rows: found } = await probe.query<{ pid: number }>(
    `select pid from pg_stat_activity where application_name = 'pgbench' and datname = $1 limit 1`,
    [dbName],
  );
  await probe.end();
  const backend = found[0]?.pid as number;
  const b0 = cpuMs(backend);
  const c0 = cpuMs(bench.pid as number);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, 10_000));
  const b1 = cpuMs(backend);
  const c1 = cpuMs(bench.pid as number);
  const seconds = (performance.now() - t0) / 1000;
  await done;
  const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? Number.NaN);
  return { backend: (b1 - b0) / (tps * seconds), client: (c1 - c0) / (tps * seconds) };
}

if (!hasWrk()) throw new Error('bench:by-id needs wrk (Debian: apt-get install wrk)');
if (entry === 'dist') execSync('node scripts/build.mjs', { stdio: ['ignore', 'ignore', 'inherit'] });
await ensurePostgresCatalogue(server, dbName, rows, { seed: DEFAULT_SEED });

// A spread of catalogue rows across the table (a block sample), not the first ones written.
const raw = new pg.Client(url);
await raw.connect();
const { rows: idRows } = await raw.query<{ id: string }>(
  `select id from jobs tablesample system (1) repeatable (${DEFAULT_SEED}) where owner_user_id is null limit 32`,
);
await raw.end();
const paths = idRows.map((r) => `/api/v1/jobs/${r.id}`);

// The statements one request sends, recorded on the server's own connections: pgbench's scripts.
const traced = await startServer(env, { entry });
const traces: TracedStatement[][] = [];
for (const path of paths) {
  traces.push(
    (
      await traced.traced(async () => {
        const r = await fetch(`${traced.url}${path}`);
        if (!r.ok) throw new Error(`GET ${path}: HTTP ${r.status}`);
        await r.arrayBuffer();
      })
    ).statements,
  );
}
await traced.stop();

const http = new Map<number, WrkResult[]>(workerCounts.map((w) => [w, []]));
/** The server's own CPU per request (all its processes), per JOBR_WORKERS value. */
const serverCpu = new Map<number, number[]>(workerCounts.map((w) => [w, []]));
const sql: number[] = [];
const loads: string[] = [];
for (let run = 1; run <= runs; run++) {
  for (const workers of workerCounts) {
    const s = await startServer({ ...env, JOBR_WORKERS: String(workers) }, { entry, trace: false });
    try {
      await settle(s.pid);
      runWrk(s.url, paths, { seconds: 2, clients }); // warm-up: plans, pool, JIT
      process.stderr.write(`run ${run}: ${workers} worker(s), wrk ${seconds} s\n`);
      const before = cpuMs(s.pid);
      const result = runWrk(s.url, paths, { seconds, clients });
      const used = cpuMs(s.pid) - before;
      http.get(workers)?.push(result);
      serverCpu.get(workers)?.push(used / (result.perSecond * seconds));
    } finally {
      await s.stop();
    }
  }
  process.stderr.write(`run ${run}: pgbench ${seconds} s\n`);
  sql.push(runPgbench(traces.map(pgbenchScript), { seconds, clients, server, database: dbName }));
  loads.push(load());
}

const simple = await sqlCpuPerStatement('simple');
const prepared = await sqlCpuPerStatement('prepared');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const pgbenchTps = median(sql);
console.log(
  `\nbench:by-id: GET /api/v1/jobs/:id, ${rows.toLocaleString('en-US')} jobs in ${dbName}, ${clients} connections, ${runs} x ${seconds} s each (medians)`,
);
console.log(`statements per request: ${traces.map((t) => t.length).join(',')} (recorded)`);
console.log(
  `pgbench, same statements (baseline)   ${pgbenchTps.toFixed(0).padStart(6)} tps   runs: ${sql.map((x) => x.toFixed(0)).join(', ')}`,
);
for (const [workers, results] of http) {
  const rps = median(results.map((r) => r.perSecond));
  const failed = results.reduce((n, r) => n + r.failed, 0);
  console.log(
    `HTTP, JOBR_WORKERS=${workers}                   ${rps.toFixed(0).padStart(6)} req/s  ${(rps / pgbenchTps).toFixed(2)}x pgbench (target >= 0.5x)  p50 ${median(results.map((r) => r.p50)).toFixed(1)} ms  p99 ${median(results.map((r) => r.p99)).toFixed(1)} ms  failed ${failed}  runs: ${results.map((r) => r.perSecond.toFixed(0)).join(', ')}`,
  );
}
const f = (ms: number) => `${ms.toFixed(3)} ms`;
console.log('\nCPU per request (from /proc; what an unloaded machine can do, whatever the load average says):');
console.log(
  `  pgbench (the baseline): PostgreSQL backend ${f(simple.backend)} + pgbench ${f(simple.client)} (simple protocol, literals)`,
);
console.log(
  `  the server's statement: PostgreSQL backend ${f(prepared.backend)} (named prepared statement: pgbench -M prepared)`,
);
for (const [workers, used] of serverCpu) {
  const node = median(used);
  // On two idle cores every process gets CPU: throughput is cores / CPU per request, for both sides
  // (the load generators' own cost taken as equal). One worker cannot use more than one core.
  const cores = 2;
  const sqlRate = (cores * 1000) / (simple.backend + simple.client);
  const httpRate = Math.min(
    (cores * 1000) / (node + prepared.backend + simple.client),
    (Math.min(workers, cores) * 1000) / node,
  );
  console.log(
    `  JOBR_WORKERS=${workers}: Node ${f(node)} per request; projected on ${cores} idle cores: ${httpRate.toFixed(0)} req/s against ${sqlRate.toFixed(0)} tps = ${(httpRate / sqlRate).toFixed(2)}x`,
  );
}
console.log(`load average after each run (1/5/15 min; a shared machine): ${loads.join(' | ')}`);
