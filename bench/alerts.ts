/**
 * `npm run bench:alerts`: the daily job-alert run on a catalogue of 1,000,000 synthetic jobs with
 * 10,000 saved searches (2,000 seekers with five each) in PostgreSQL.
 *
 * The newest 1% of the catalogue arrived since the searches' last alert (their watermark). In the same
 * run it times:
 * - baseline: every saved search run one by one, as the alert run did before it was batched — the
 *   search's tsquery, then its filters over the jobs first seen since the watermark, newest first, 20 at
 *   most (read only: nothing recorded or sent);
 * - the alert run itself (`runAlerts`): the same matches, recorded in saved_search_alerts, one in-app
 *   notification and one queued e-mail per seeker.
 * It prints both, their ratio and the budget, and checks that both found the same number of jobs.
 *
 * Options: --rows=N (default 1000000), --searches=N (default 10000), --new=N (jobs since the watermark,
 * default 1% of rows), --reload (regenerate the catalogue).
 * Database: BENCH_DATABASE_URL's server (default the local PostgreSQL), database jobr_bench_alerts.
 */
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.ts';
import { rowsOf } from '../src/db/client.ts';
import { filters, toTsquery } from '../src/modules/jobs/search.ts';
import { JOBS_PER_ALERT, runAlerts } from '../src/modules/saved-searches/alerts.ts';
import { parseSavedQuery, searchOf } from '../src/modules/saved-searches/saved-searches.service.ts';
import { tasks } from '../src/tasks/index.ts';
import { ensureQueues } from '../src/tasks/queue.ts';
import { niche, places, roles, skills } from './synthetic.ts';
import { openBenchCatalogue } from './synthetic-catalogue.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const rows = Number(arg('rows') ?? 1_000_000);
const searchCount = Number(arg('searches') ?? 10_000);
const newJobs = Number(arg('new') ?? Math.round(rows / 100));
const SEARCHES_PER_USER = 5;
/** The budget: the run must end before the next alerts task starts (every 5 minutes)... */
const BUDGET_MS = 5 * 60_000;
/** ...and be faster than running the searches one by one. */
const BUDGET_RATIO = 1;
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const loaded = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: server });
// Setting up and clearing 10,000 searches with their alerts takes longer than a request may.
const config = { ...loaded, pool: { ...loaded.pool, statementTimeoutMs: 0 } };
const { database } = await openBenchCatalogue(server, 'jobr_bench_alerts', rows, config, {
  reload: process.argv.includes('--reload'),
});
const { db } = database;
await ensureQueues(tasks, database);

/** A mix of what seekers save: a rare technology, a role in a city, a skill remote, filters only, a salary floor. */
function savedQuery(i: number): Record<string, string> {
  const pick = <T>(list: readonly T[], salt: number) =>
    list[(i * salt + Math.floor(i / list.length)) % list.length] as T;
  const place = pick(places, 7)[0];
  const city = place.split(',')[0] as string;
  switch (i % 5) {
    case 0:
      return { q: pick(niche, 3) };
    case 1:
      return { q: pick(roles, 11).split(' ').at(-1) as string, location: city };
    case 2:
      return { q: pick(skills, 13), remote: 'true' };
    case 3:
      return { location: city, experienceLevel: 'senior', jobType: 'full-time' };
    default:
      return { q: pick(skills, 17), currency: pick(places, 19)[1], salaryMin: '90000' };
  }
}

const queries = Array.from({ length: searchCount }, (_, i) => parseSavedQuery(savedQuery(i)));
const [{ watermark } = { watermark: '' }] = rowsOf<{ watermark: string }>(
  await db.execute(
    sql`select first_seen_at::text as watermark from jobs order by first_seen_at desc offset ${newJobs} limit 1`,
  ),
);
// A daily search is due a day after its watermark: the run happens then (or now, if that is later).
const now = new Date(Math.max(Date.now(), new Date(watermark).getTime() + 86_400_000 + 1000));

async function resetSearches() {
  await db.execute(
    sql`delete from notifications where user_id in (select id from users where email like 'bench-alerts-%')`,
  );
  await db.execute(sql`delete from outbox_messages where recipient like 'bench-alerts-%'`);
  await db.execute(sql`delete from pgboss.job where name = 'outbox-deliver'`);
  await db.execute(sql`delete from users where email like 'bench-alerts-%'`);
  const userCount = Math.ceil(searchCount / SEARCHES_PER_USER);
  await db.execute(sql`insert into users (email, name, verified)
    select 'bench-alerts-' || g || '@example.test', 'Bench seeker ' || g, true from generate_series(1, ${userCount}) g`);
  await db.execute(sql`
    insert into saved_searches (user_id, name, query, frequency, alerted_until)
    select u.id, 'Search ' || s.n, s.query, 'daily', ${watermark}::timestamptz
    from jsonb_array_elements(${JSON.stringify(queries)}::jsonb) with ordinality as s(query, n)
    join users u on u.email = 'bench-alerts-' || (1 + (s.n - 1) / ${SEARCHES_PER_USER}) || '@example.test'`);
  await db.execute(sql`analyze saved_searches`);
}

/** The baseline: each search on its own (tsquery, then the new jobs through its filters), one after another. */
async function oneByOne(): Promise<number> {
  let found = 0;
  for (const stored of queries) {
    const query = searchOf(stored, JOBS_PER_ALERT);
    const tsquery = await toTsquery(db, query.q);
    const where = [
      sql`j.first_seen_at > ${watermark}::timestamptz`,
      sql`j.first_seen_at <= ${now.toISOString()}::timestamptz`,
      ...filters(query, tsquery),
    ];
    const matches = await db.execute(sql`select j.id, j.title, j.company, j.location from jobs j
      where ${sql.join(where, sql` and `)} order by j.first_seen_at desc, j.id limit ${JOBS_PER_ALERT}`);
    found += rowsOf(matches).length;
  }
  return found;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

await resetSearches();
await oneByOne(); // warm the cache for both paths alike
const [baselineJobs, baselineMs] = await timed(oneByOne);
const [run, runMs] = await timed(() =>
  runAlerts(db, { now, publicUrl: 'http://127.0.0.1:3000', secret: 'bench-secret-bench-secret-bench-secret' }),
);
await resetSearches();

const ratio = runMs / baselineMs;
const ok = runMs <= BUDGET_MS && ratio <= BUDGET_RATIO;
console.log(
  `bench:alerts on PostgreSQL: ${rows.toLocaleString('en-US')} jobs (${newJobs.toLocaleString('en-US')} new since the watermark), ` +
    `${searchCount.toLocaleString('en-US')} daily saved searches of ${Math.ceil(searchCount / SEARCHES_PER_USER).toLocaleString('en-US')} seekers`,
);
console.log(`baseline, searches one by one   ${seconds(baselineMs).padStart(10)}  (${baselineJobs} jobs found)`);
console.log(
  `daily alert run (runAlerts)     ${seconds(runMs).padStart(10)}  (${run.jobs} jobs sent, ${run.searches} searches, ${run.messages} messages)`,
);
console.log(`ratio alert run / baseline      ${ratio.toFixed(2).padStart(8)}x`);
console.log(
  `budget: <= ${seconds(BUDGET_MS)} (the alerts task runs every 5 minutes) and <= ${BUDGET_RATIO}x the baseline: ${ok ? 'ok' : 'MISSED'}`,
);
if (run.jobs !== baselineJobs)
  console.log(`MISMATCH: the alert run sent ${run.jobs} jobs, the searches found ${baselineJobs}`);
await database.close();
