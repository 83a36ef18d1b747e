/**
 * `npm run bench:alerts`: the daily job-alert run on a catalogue of 1,000,000 jobs with 10,000 saved
 * searches (2,000 seekers with five each) in PostgreSQL.
 *
 * The newest 1% of the catalogue arrived since the searches' last alert (their watermark). In the same
 * run it times:
 * - baseline: every saved search run one by one, as the alert run did before it was batched — the
 *   search's tsquery, then its filters over the jobs first seen since the watermark, newest first, 20 at
 *   most (read only: nothing recorded or sent);
 * - the alert run itself (`runAlerts`): the same matches, recorded in saved_search_alerts, one in-app
 *   notification and one queued e-mail per seeker (written in bulk, a batch at a time).
 * It prints both with the statements each sent, their ratio and the budget, and checks that both found
 * the same number of jobs. The saved searches' words, places and skills are sampled from the catalogue
 * itself, so they match whatever catalogue it runs on.
 *
 * Catalogue:
 * - default: its own synthetic catalogue in database jobr_bench_alerts (loaded once, reused);
 * - `--db=NAME`: an existing catalogue database on the same server (e.g. jobr_bench_1000000 built by
 *   bench/load-catalogue.ts), used as it is: no load, no jobs added or changed. The bench adds its 2,000
 *   seekers (`bench-alerts-N@example.test`), their searches and what the run writes for them
 *   (notifications, alerts sent, outbox messages and their delivery jobs), and removes all of it before
 *   and after the run, also when the run fails. Its pending migrations are applied first, as at start-up.
 *
 * Options: --rows=N (default 1000000; ignored with --db), --searches=N (default 10000), --new=N (jobs
 * since the watermark, default 1% of the catalogue), --reload (regenerate the synthetic catalogue).
 * Server: BENCH_DATABASE_URL (default the local PostgreSQL).
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { loadAdminProof } from '../src/db/admin-proof.ts';
import { type Database, type Db, openPostgres, rowsOf } from '../src/db/client.ts';
import { runMigrations } from '../src/db/migrate.ts';
import { filters, toTsquery } from '../src/modules/jobs/search.ts';
import { JOBS_PER_ALERT, runAlerts } from '../src/modules/saved-searches/alerts.ts';
import { parseSavedQuery, searchOf } from '../src/modules/saved-searches/saved-searches.service.ts';
import { tasks } from '../src/tasks/index.ts';
import { ensureQueues } from '../src/tasks/queue.ts';
import { databaseUrl } from './load-catalogue.ts';
import { openBenchCatalogue } from './synthetic-catalogue.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const existing = arg('db');
const searchCount = Number(arg('searches') ?? 10_000);
const SEARCHES_PER_USER = 5;
/** The budget: the run must end before the next alerts task starts (every 5 minutes)... */
const BUDGET_MS = 5 * 60_000;
/** ...and be faster than running the searches one by one. */
const BUDGET_RATIO = 1;
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const loaded = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: server });
// Setting up and clearing 10,000 searches with their alerts takes longer than a request may.
const config = { ...loaded, pool: { ...loaded.pool, statementTimeoutMs: 0 } };

async function openExisting(name: string): Promise<Database> {
  if (!/^[a-z0-9_]+$/i.test(name)) throw new Error(`--db: not a database name: ${name}`);
  const found = new pg.Client(server);
  await found.connect();
  const exists = (await found.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  await found.end();
  if (!exists) throw new Error(`--db: no database ${name} on ${new URL(server).host}`);
  // As docs/operations.md recommends for production, and as the bench's own database is set: no JIT.
  // Per connection (a startup option), so the catalogue database's own settings are left as they are.
  const url = new URL(databaseUrl(server, name));
  url.searchParams.set('options', '-c jit=off');
  const opened = openPostgres(url.toString(), config.pool);
  await runMigrations(opened);
  await loadAdminProof(opened.db); // the bench connects as the owner
  return opened;
}

const database = existing
  ? await openExisting(existing)
  : (
      await openBenchCatalogue(server, 'jobr_bench_alerts', Number(arg('rows') ?? 1_000_000), config, {
        reload: process.argv.includes('--reload'),
      })
    ).database;
const { db } = database;
await ensureQueues(tasks, database);
const [{ rows } = { rows: 0 }] = rowsOf<{ rows: number }>(
  await db.execute(sql`select count(*)::int as rows from jobs`),
);
const newJobs = Number(arg('new') ?? Math.round(rows / 100));

type Vocabulary = { skills: string[]; niche: string[]; roles: string[]; places: Array<[string, string]> };

/**
 * What seekers would type, sampled from the catalogue (5,000 jobs in id order, i.e. at random): its most
 * common skills, rarer ones, the last words of titles (the role), and locations with their currency.
 */
async function vocabularyOf(db: Db): Promise<Vocabulary> {
  const sample = sql`(select title, location, salary_currency, text_skills || skills as skills from jobs order by id limit 5000)`;
  const skillRows = rowsOf<{ skill: string }>(
    await db.execute(sql`select skill from ${sample} s, unnest(s.skills) skill
      group by skill order by count(*) desc, skill limit 200`),
  ).map((r) => r.skill);
  const roles = rowsOf<{ role: string }>(
    await db.execute(sql`select role from ${sample} s, lateral (select (regexp_split_to_array(trim(s.title), '\s+'))[
        array_length(regexp_split_to_array(trim(s.title), '\s+'), 1)] as role) r
      where length(role) > 2 group by role order by count(*) desc, role limit 40`),
  ).map((r) => r.role);
  const places = rowsOf<{ location: string; currency: string }>(
    await db.execute(sql`select location, salary_currency as currency from ${sample} s
      where location is not null and not s.location ilike 'remote%'
      group by 1, 2 order by count(*) desc, 1 limit 40`),
  ).map((r): [string, string] => [r.location, r.currency]);
  if (skillRows.length < 20 || roles.length === 0 || places.length === 0)
    throw new Error('the catalogue is too small or has no skills, titles or locations to build searches from');
  const half = Math.min(60, Math.floor(skillRows.length / 2));
  return { skills: skillRows.slice(0, half), niche: skillRows.slice(half), roles, places };
}
const { skills, niche, roles, places } = await vocabularyOf(db);

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
      return { q: pick(roles, 11), location: city };
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

/** The bench's own rows: its seekers and everything the run wrote for them (searches and alerts cascade). */
async function removeBenchRows() {
  const mine = sql`select id::text from outbox_messages where recipient like 'bench-alerts-%'`;
  await db.execute(sql`delete from pgboss.job where name = 'outbox-deliver' and data ->> 'messageId' in (${mine})`);
  await db.execute(sql`delete from outbox_messages where recipient like 'bench-alerts-%'`);
  await db.execute(
    sql`delete from notifications where user_id in (select id from users where email like 'bench-alerts-%')`,
  );
  await db.execute(sql`delete from users where email like 'bench-alerts-%'`);
}

async function resetSearches() {
  await removeBenchRows();
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
// Every statement the bench's pool sends (BEGIN, set_config and COMMIT included) goes through pg.Client#query.
let statements = 0;
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;
/** Time and statements of fn. */
async function measured<T>(fn: () => Promise<T>): Promise<[T, number, number]> {
  const before = statements;
  const start = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6, statements - before];
}

let results: { baseline: [number, number, number]; run: [Awaited<ReturnType<typeof runAlerts>>, number, number] };
try {
  await resetSearches();
  await oneByOne(); // warm the cache for both paths alike
  const baseline = await measured(oneByOne);
  const run = await measured(() =>
    runAlerts(db, { now, publicUrl: 'http://127.0.0.1:3000', secret: 'bench-secret-bench-secret-bench-secret' }),
  );
  results = { baseline, run };
} finally {
  await removeBenchRows();
}
const [baselineJobs, baselineMs, baselineStatements] = results.baseline;
const [run, runMs, runStatements] = results.run;
const load = (await import('node:os'))
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');

const ratio = runMs / baselineMs;
const ok = runMs <= BUDGET_MS && ratio <= BUDGET_RATIO;
console.log(
  `bench:alerts on PostgreSQL (${existing ? `existing catalogue ${existing}` : 'synthetic catalogue'}): ${rows.toLocaleString('en-US')} jobs (${newJobs.toLocaleString('en-US')} new since the watermark), ` +
    `${searchCount.toLocaleString('en-US')} daily saved searches of ${Math.ceil(searchCount / SEARCHES_PER_USER).toLocaleString('en-US')} seekers`,
);
console.log(
  `baseline, searches one by one   ${seconds(baselineMs).padStart(10)}  ${String(baselineStatements).padStart(7)} statements  (${baselineJobs} jobs found)`,
);
console.log(
  `daily alert run (runAlerts)     ${seconds(runMs).padStart(10)}  ${String(runStatements).padStart(7)} statements  (${run.jobs} jobs sent, ${run.searches} searches, ${run.messages} messages)`,
);
console.log(`ratio alert run / baseline      ${ratio.toFixed(2).padStart(8)}x`);
console.log(
  `budget: <= ${seconds(BUDGET_MS)} (the alerts task runs every 5 minutes) and <= ${BUDGET_RATIO}x the baseline: ${ok ? 'ok' : 'MISSED'}`,
);
console.log(`load average ${load} (timings on a shared machine are distorted; statements are not)`);
if (run.jobs !== baselineJobs)
  console.log(`MISMATCH: the alert run sent ${run.jobs} jobs, the searches found ${baselineJobs}`);
await database.close();
