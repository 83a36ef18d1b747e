/**
 * `npm run bench:match`: "jobs for me" (GET /cvs/:id/matches, top 20) over 100,000 synthetic jobs in
 * PostgreSQL, against the plain search for the same filters (GET /jobs' query, newest first, no facets),
 * timed in the same run: p50/p95 of both and their ratio, warm (a pooled connection) and cold (a
 * connection opened for the call), and cold but warmed as the server does at start; and the statements
 * each request sends. Job facts are read from jobs.match_facts (filled once, timed, when missing). Both go through the service functions the
 * routes call (row-level-security context included); the ranking also records its ai_match usage row.
 *
 * Options: --rows=N (default 100000), --reps=N (default 20), --reload.
 * Database: BENCH_DATABASE_URL's server (default the local PostgreSQL), database jobr_bench_match.
 */
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { loadAdminProof } from '../src/db/admin-proof.ts';
import { type Db, openPostgres, rowsOf } from '../src/db/client.ts';
import { anonymous, inWork, withContext } from '../src/db/context.ts';
import { runMigrations } from '../src/db/migrate.ts';
import { cvs, users } from '../src/db/schema/index.ts';
import { parseProfile } from '../src/modules/cvs/profile.ts';
import { jobSearchQuery } from '../src/modules/jobs/jobs.schemas.ts';
import { runSearch } from '../src/modules/jobs/search.ts';
import { rankJobsForCv } from '../src/modules/match/match.service.ts';
import { fillMatchFacts } from '../src/modules/match/reindex.ts';
import { DEFAULT_PLAN_RULES } from '../src/modules/plans/plans.ts';
import { report } from './lib.ts';
import { insertSyntheticJobs } from './synthetic.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const rows = Number(arg('rows') ?? 100_000);
const reps = Number(arg('reps') ?? 20);
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = 'jobr_bench_match';
const url = Object.assign(new URL(server), { pathname: `/${dbName}` }).toString();

const admin = new pg.Client(server);
await admin.connect();
const exists = (await admin.query('select 1 from pg_database where datname = $1', [dbName])).rowCount ?? 0;
const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: url });
let fresh = exists === 0 || process.argv.includes('--reload');
if (!fresh) {
  const probe = openPostgres(url, config.pool);
  const [row] = rowsOf<{ comment: string | null }>(
    await probe.db.execute(sql`select obj_description(oid) as comment from pg_class where relname = 'jobs'`),
  );
  fresh = row?.comment !== `bench:${rows}`;
  await probe.close();
}
if (fresh) {
  await admin.query(`drop database if exists ${dbName}`);
  await admin.query(`create database ${dbName}`);
}
await admin.end();
const database = openPostgres(url, { ...config.pool, statementTimeoutMs: 0 });
await runMigrations(database);
await loadAdminProof(database.db); // the bench connects as the owner
const { db } = database;
/** jobs.match_facts for rows loaded before the column existed, as the server does after it starts. */
async function fillFacts() {
  const t = performance.now();
  const filled = await fillMatchFacts(db);
  if (filled > 0) {
    // Filling rewrote every row out of posting order; a server computes the facts as it inserts, so
    // rows keep arriving in posting order (bench/synthetic.ts): restore that order.
    await db.execute(sql`cluster jobs using idx_jobs_posted_date_id`);
    await db.execute(sql`analyze jobs`);
    const s = (performance.now() - t) / 1000;
    console.log(`match_facts filled for ${filled.toLocaleString('en-US')} jobs in ${s.toFixed(1)} s (fillMatchFacts)`);
  }
}
if (fresh) {
  console.error(`Loading ${rows.toLocaleString('en-US')} synthetic jobs into ${dbName} (once)...`);
  const loader = openPostgres(url, { ...config.pool, statementTimeoutMs: 0 });
  for (let from = 1; from <= rows; from += 25_000)
    await insertSyntheticJobs(loader.db, from, Math.min(rows, from + 24_999), rows);
  await loader.db.execute(sql`vacuum analyze jobs`);
  await loader.db.execute(sql.raw(`comment on table jobs is 'bench:${rows}'`));
  await loader.close();
}
await fillFacts();

const CV_TEXT = `Bench Person
Senior Backend Engineer

Experience
Senior Backend Engineer, Example Ltd, Jan 2016 - Present
Services in TypeScript and Node.js on PostgreSQL and Redis; Docker, Kubernetes and AWS; Kafka pipelines.

Skills
TypeScript, JavaScript, Node.js, PostgreSQL, Redis, Docker, Kubernetes, AWS, Kafka, Python, GraphQL
`;
const profile = parseProfile(CV_TEXT);
const [user] = await db
  .insert(users)
  .values({ email: `bench-${Date.now()}@example.test`, name: 'Bench', plan: 'Enterprise' })
  .returning({ id: users.id });
if (!user) throw new Error('no user');
const [cv] = await db
  .insert(cvs)
  .values({
    userId: user.id,
    fileName: 'cv.txt',
    fileSize: CV_TEXT.length,
    parsedContent: CV_TEXT,
    profile,
    skills: profile.skills.value,
  })
  .returning({ id: cvs.id });
if (!cv) throw new Error('no cv');

const filterSets: { name: string; params: Record<string, string> }[] = [
  { name: 'no filter', params: {} },
  { name: 'remote=true', params: { remote: 'true' } },
  { name: 'experienceLevel=senior', params: { experienceLevel: 'senior' } },
  { name: 'location=london', params: { location: 'london' } },
  { name: 'q=engineer', params: { q: 'engineer' } },
];

const actor = { kind: 'user' as const, userId: user.id };

// Statements each request sends (BEGIN, set_config and COMMIT included): every query of the pools goes
// through pg.Client#query.
let statements = 0;
const clientQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  return clientQuery.apply(this, args);
} as typeof pg.Client.prototype.query;

type Query = ReturnType<typeof jobSearchQuery.parse>;
const search = (on: Db, query: Query) => withContext(on, anonymous, (tx) => runSearch(tx, query));
const rank = (on: Db, query: Query) => {
  const { limit: _l, cursor: _c, sort: _s, facets: _f, requirementsMode: _r, ...filters } = query;
  return inWork(on, actor, (w) =>
    rankJobsForCv(w, { plans: DEFAULT_PLAN_RULES, userId: user.id, cvId: cv.id, filters, limit: 20 }),
  );
};
/**
 * One call's time, statements and this process's CPU time: on a loaded machine the wall time mostly
 * measures waiting for a core, the CPU time only the work done in Node (the database's is not in it).
 */
async function measure(fn: () => Promise<unknown>): Promise<{ ms: number; statements: number; cpuMs: number }> {
  const before = statements;
  const cpu = process.cpuUsage();
  const t = performance.now();
  await fn();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t, statements: statements - before, cpuMs: (used.user + used.system) / 1000 };
}
const cpuMs = { search: [] as number[], rank: [] as number[] };
/**
 * A cold call: a connection opened for it (a pool of one), as the first request after a start or on a
 * connection opened above DB_POOL_MIN. `warmed`: the pool warmed first, as the server does at start
 * (database.warm).
 */
async function cold(fn: (on: Db) => Promise<unknown>, warmed: boolean) {
  const fresh = openPostgres(url, { ...config.pool, min: 1, max: 1 });
  try {
    await fresh.db.execute(sql`select 1`); // the connection itself is not what is measured
    if (warmed) await fresh.warm();
    return await measure(() => fn(fresh.db));
  } finally {
    await fresh.close();
  }
}

type Samples = { search: number[]; rank: number[] };
const runs = {
  warm: { search: [], rank: [] } as Samples,
  cold: { search: [], rank: [] } as Samples,
  warmed: { search: [], rank: [] } as Samples,
};
const perRequest = { search: 0, rank: 0 };
console.log(`${rows.toLocaleString('en-US')} jobs, ${reps} repetitions per query (interleaved), top 20`);
for (const set of filterSets) {
  const query = jobSearchQuery.parse({ ...set.params, sort: 'newest', facets: 'false', limit: '20' });
  const warm: Samples = { search: [], rank: [] };
  for (let i = 0; i < reps + 2; i++) {
    const s = await measure(() => search(db, query));
    const r = await measure(() => rank(db, query));
    perRequest.search = Math.max(perRequest.search, s.statements);
    perRequest.rank = Math.max(perRequest.rank, r.statements);
    if (i < 2) continue; // warm-up
    cpuMs.search.push(s.cpuMs);
    cpuMs.rank.push(r.cpuMs);
    warm.search.push(s.ms);
    warm.rank.push(r.ms);
  }
  for (let i = 0; i < Math.max(3, Math.round(reps / 4)); i++) {
    for (const [mode, warmed] of [
      ['cold', false],
      ['warmed', true],
    ] as const) {
      runs[mode].search.push((await cold((on) => search(on, query), warmed)).ms);
      runs[mode].rank.push((await cold((on) => rank(on, query), warmed)).ms);
    }
  }
  runs.warm.search.push(...warm.search);
  runs.warm.rank.push(...warm.rank);
  console.log(report(`search   ${set.name}`, warm.search));
  console.log(report(`matches  ${set.name}`, warm.rank, warm.search));
}
console.log(`\nall filter sets; statements per request: search ${perRequest.search}, matches ${perRequest.rank}`);
console.log(report('Node CPU per request, warm: search', cpuMs.search));
console.log(report('Node CPU per request, warm: matches', cpuMs.rank, cpuMs.search));
const labels = {
  warm: 'warm (pooled connection)',
  cold: 'cold (new connection)',
  warmed: 'cold, warmed as the server does at start',
};
for (const mode of ['warm', 'cold', 'warmed'] as const) {
  console.log(labels[mode]);
  console.log(report('  search (baseline)', runs[mode].search));
  console.log(report('  matches', runs[mode].rank, runs[mode].search));
}
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (timings on a shared machine are distorted)`,
);
await database.close();
