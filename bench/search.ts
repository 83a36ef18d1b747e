/**
 * `npm run bench:search`: job search on 1,000,000 realistic synthetic jobs in PostgreSQL.
 *
 * For a rotation of selective, broad, filtered and paginated queries it times the bare SQL the search
 * runs (tsquery, page, facets: the same statements, straight on the pool) and the HTTP endpoint
 * (GET /api/v1/jobs over TCP), in the same run, and prints p50/p95 and their ratio. Then it shows
 * EXPLAIN (ANALYZE, BUFFERS) for representative queries to prove the indexes are used.
 *
 * Options: --rows=N (default 1000000), --reps=N (default 15), --reload (regenerate the data).
 * Database: BENCH_DATABASE_URL's server (default the local PostgreSQL), database --db=NAME or BENCH_DB
 * (default jobr_bench_search). `npm run bench` is the fuller suite (realistic data, query sets, load).
 */
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { rowsOf } from '../src/db/client.ts';
import { jobSearchQuery } from '../src/modules/jobs/jobs.schemas.ts';
import { pageStatement, runSearch } from '../src/modules/jobs/search.ts';
import { percentile, serverSettings, timeEach } from './lib.ts';
import { openBenchCatalogue, progress } from './synthetic-catalogue.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const rows = Number(arg('rows') ?? 1_000_000);
const reps = Number(arg('reps') ?? 15);
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = arg('db') ?? process.env.BENCH_DB ?? 'jobr_bench_search';
const config = loadConfig({
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  DATABASE_URL: Object.assign(new URL(server), { pathname: `/${dbName}` }).toString(),
  // Each query runs several times: every run computed, as the bare SQL it is compared with.
  SEARCH_CACHE_PAGES: '0',
});
const { database } = await openBenchCatalogue(server, dbName, rows, config, {
  reload: process.argv.includes('--reload'),
});
const { db } = database;
const app = await buildApp({ config, database });
const address = await app.listen({ host: '127.0.0.1', port: 0 });

type Kind = 'selective' | 'broad' | 'filtered' | 'paginated';
type Bench = { name: string; kind: Kind; params: Record<string, string>; pages?: number };
const days = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
const benches: Bench[] = [
  { name: 'q=prolog', kind: 'selective', params: { q: 'prolog' } },
  { name: 'q="apache flink"', kind: 'selective', params: { q: '"apache flink"' } },
  { name: 'q=cuda fpga', kind: 'selective', params: { q: 'cuda or fpga' } },
  { name: 'q=svelte frontend', kind: 'selective', params: { q: 'svelte frontend' } },
  { name: 'q=F#', kind: 'selective', params: { q: 'F#' } },
  { name: 'q=haskell senior', kind: 'selective', params: { q: 'haskell senior' } },
  { name: 'q=cobol mainframe', kind: 'selective', params: { q: 'cobol mainframe' } },
  { name: 'q=ocaml, London', kind: 'selective', params: { q: 'ocaml', location: 'london' } },
  { name: 'q=engineer', kind: 'broad', params: { q: 'engineer' } },
  { name: 'q=manager', kind: 'broad', params: { q: 'manager' } },
  { name: 'q=sql', kind: 'broad', params: { q: 'sql' } },
  { name: 'q=developer remote', kind: 'broad', params: { q: 'developer remote' } },
  { name: '(no q) newest', kind: 'broad', params: {} },
  {
    name: 'q=engineer remote senior',
    kind: 'filtered',
    params: { q: 'engineer', remote: 'true', experienceLevel: 'senior' },
  },
  { name: 'q=python USD >=150k', kind: 'filtered', params: { q: 'python', currency: 'USD', salaryMin: '150000' } },
  { name: 'Bengaluru contract', kind: 'filtered', params: { location: 'bengaluru', jobType: 'contract' } },
  {
    name: 'skills any Rust,Go, 30 days',
    kind: 'filtered',
    params: { requirements: 'Rust,Go', requirementsMode: 'any', postedSince: days(30) },
  },
  { name: 'sort=salary INR', kind: 'filtered', params: { sort: 'salary', currency: 'INR' } },
  { name: 'q=data junior newest', kind: 'filtered', params: { q: 'data', experienceLevel: 'junior', sort: 'newest' } },
  { name: 'q=nurse page 3', kind: 'paginated', params: { q: 'nurse' }, pages: 3 },
  { name: 'q=engineer page 5', kind: 'paginated', params: { q: 'engineer' }, pages: 5 },
  { name: '(no q) page 10', kind: 'paginated', params: {}, pages: 10 },
  { name: 'q=kubernetes newest page 4', kind: 'paginated', params: { q: 'kubernetes', sort: 'newest' }, pages: 4 },
];

const qs = (params: Record<string, string>) => new URLSearchParams(params).toString();
const http = (params: Record<string, string>) =>
  fetch(`${address}/api/v1/jobs?${qs(params)}`).then(async (r) => {
    if (!r.ok) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
    return r.json() as Promise<{ data: unknown[]; nextCursor: string | null }>;
  });

/** The search's own SQL (tsquery, page, facets) straight on the pool: no HTTP, no request context. */
const bareSql = (params: Record<string, string>) => runSearch(db, jobSearchQuery.parse(params));

type Result = Bench & { sql: number[]; http: number[] };
const results: Result[] = [];
for (const bench of benches) {
  const params = { ...bench.params };
  for (let page = 1; page < (bench.pages ?? 1); page++) {
    const { nextCursor } = await http(params);
    if (!nextCursor) break;
    params.cursor = nextCursor;
  }
  await timeEach(2, () => bareSql(params));
  await timeEach(2, () => http(params));
  // Interleave the two paths so drift in the machine's load hits both alike.
  const sqlTimes: number[] = [];
  const httpTimes: number[] = [];
  for (let i = 0; i < reps; i++) {
    sqlTimes.push(...(await timeEach(1, () => bareSql(params))));
    httpTimes.push(...(await timeEach(1, () => http(params))));
  }
  results.push({ ...bench, params, sql: sqlTimes, http: httpTimes });
  progress(`  measured ${results.length}/${benches.length}: ${bench.name}`);
}
process.stderr.write('\n');

const fmt = (n: number) => n.toFixed(1).padStart(7);
const settings = await serverSettings(async (text) => rowsOf(await db.execute(sql.raw(text))));
console.log(`bench:search on PostgreSQL, ${rows.toLocaleString('en-US')} jobs, ${reps} runs per query per path`);
console.log(`settings: ${settings}`);
console.log(`${'query'.padEnd(30)} ${'kind'.padEnd(10)}   SQL p50     p95   HTTP p50     p95  ratio p95`);
for (const r of results) {
  const [s50, s95, h50, h95] = [
    percentile(r.sql, 50),
    percentile(r.sql, 95),
    percentile(r.http, 50),
    percentile(r.http, 95),
  ];
  console.log(
    `${r.name.padEnd(30)} ${r.kind.padEnd(10)} ${fmt(s50)} ${fmt(s95)}   ${fmt(h50)} ${fmt(h95)}   ${(h95 / s95).toFixed(2)}x`,
  );
}
const targets: Record<Kind, number> = { selective: 50, broad: 150, filtered: 150, paginated: 150 };
console.log('\nby kind (p95 over all its runs), target SQL p95 and HTTP/SQL <= 1.5x:');

for (const kind of Object.keys(targets) as Kind[]) {
  const of = results.filter((r) => r.kind === kind);
  const s95 = percentile(
    of.flatMap((r) => r.sql),
    95,
  );
  const h95 = percentile(
    of.flatMap((r) => r.http),
    95,
  );
  const ok = s95 <= targets[kind] && h95 / s95 <= 1.5;

  console.log(
    `  ${kind.padEnd(10)} SQL p95 ${fmt(s95)} ms (target ${targets[kind]})  HTTP p95 ${fmt(h95)} ms  ratio ${(h95 / s95).toFixed(2)}x  ${ok ? 'ok' : 'MISSED'}`,
  );
}

console.log('\nEXPLAIN (ANALYZE, BUFFERS), plan nodes only:');
for (const name of ['q=prolog', 'q=engineer', 'q=engineer remote senior', 'Bengaluru contract', '(no q) page 10']) {
  const r = results.find((b) => b.name === name);
  if (!r) continue;
  const query = jobSearchQuery.parse(r.params);
  const { statement } = await pageStatement(db, query);
  const plan = rowsOf<{ 'QUERY PLAN': string }>(await db.execute(sql`explain (analyze, buffers) ${statement}`)).map(
    (p) => p['QUERY PLAN'],
  );
  console.log(`-- ${name}`);
  for (const line of plan.filter((l) => /Scan|Index|Execution Time|Limit|Sort Method/.test(l)))
    console.log(`   ${line.trim()}`);
}

await app.close();
await database.close();
