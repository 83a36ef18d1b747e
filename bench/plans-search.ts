/**
 * `npx tsx bench/plans-search.ts`: the two ways a text search collects its matches, side by side, on
 * the bench:search database (run `npm run bench:search` first to load it), and the cost of a cold
 * connection. For each query: the planner's estimate, the true match count, and p50/p95 of the first
 * page with each plan forced and with the plan the search chooses (facets off, so the page alone is
 * timed). Then the first search on a brand-new connection against the same search on a warm one.
 *
 * Options: --reps=N (default 9). Database: BENCH_DATABASE_URL's server, database jobr_bench_search.
 */
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.ts';
import { openPostgres, rowsOf } from '../src/db/client.ts';
import { jobSearchQuery } from '../src/modules/jobs/jobs.schemas.ts';
import { type Plan, runSearch, tsqueryOf } from '../src/modules/jobs/search.ts';
import { percentile, timeEach } from './lib.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const reps = Number(arg('reps') ?? 9);
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const url = Object.assign(new URL(server), { pathname: '/jobr_bench_search' }).toString();
const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: url });
const database = openPostgres(url, { ...config.pool, min: 0 });
const { db } = database;

const queries = ['prolog', 'cobol mainframe', 'haskell senior', 'kubernetes', 'nurse', 'sql', 'engineer', 'manager'];
const fmt = (n: number) => n.toFixed(1).padStart(7);

console.log(
  `${'q'.padEnd(18)} ${'estimate'.padStart(9)} ${'matches'.padStart(8)}   bitmap p50/p95    walk p50/p95   chosen`,
);
for (const q of queries) {
  const query = jobSearchQuery.parse({ q, facets: 'false' });
  const where = sql`j.search_vector @@ ${tsqueryOf(q)}`;
  const [plan] = rowsOf<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(
    await db.execute(sql`explain (format json) select 1 from jobs j where ${where}`),
  );
  const [count] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from jobs j where ${where}`));
  const times: Record<Plan | 'chosen', number[]> = { bitmap: [], walk: [], chosen: [] };
  for (const which of ['bitmap', 'walk', 'chosen'] as const) {
    const run = () => runSearch(db, query, which === 'chosen' ? {} : { plan: which });
    await run();
    times[which] = await timeEach(reps, run);
  }
  const cell = (t: number[]) => `${fmt(percentile(t, 50))} ${fmt(percentile(t, 95))}`;
  console.log(
    `${q.padEnd(18)} ${String(plan?.['QUERY PLAN'][0]?.Plan['Plan Rows']).padStart(9)} ${String(count?.n).padStart(8)}   ${cell(times.bitmap)}  ${cell(times.walk)}  ${cell(times.chosen)}`,
  );
}

// A cold connection: the first search on a new connection (its backend has empty caches) against the
// second search on it.
const cold: number[] = [];
const warm: number[] = [];
for (let i = 0; i < reps; i++) {
  const fresh = openPostgres(url, { ...config.pool, max: 1, min: 0 });
  const query = jobSearchQuery.parse({ q: queries[i % queries.length] });
  const other = jobSearchQuery.parse({ q: queries[(i + 3) % queries.length] });
  cold.push(...(await timeEach(1, () => runSearch(fresh.db, query))));
  warm.push(...(await timeEach(1, () => runSearch(fresh.db, other))));
  await fresh.close();
}
console.log(
  `\nfirst search on a new connection: p50 ${fmt(percentile(cold, 50))} ms, p95 ${fmt(percentile(cold, 95))} ms;` +
    ` second search on it: p50 ${fmt(percentile(warm, 50))} ms, p95 ${fmt(percentile(warm, 95))} ms`,
);
await database.close();
