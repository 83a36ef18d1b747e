/**
 * `npm run eval:search`: ranking quality on real postings, the current ranking beside the previous one.
 *
 * The 600 distinct postings of ../shared/data/jobs/glassdoor_jobs.csv are imported into an in-memory
 * embedded database with posting dates spread over two years (a fixed hash of each posting, so every
 * run is the same). Each query's relevant jobs are judged from the real titles: a job is relevant
 * when its title names what the query asks for (a searcher typing "research scientist" wants research
 * scientist postings, not every description that mentions research). Prints precision@10 and
 * nDCG@10 per ranking, and the mean over queries. Aggregate figures only.
 */
import { createReadStream, existsSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { openPglite, rowsOf } from '../src/db/client.ts';
import { systemActor } from '../src/db/context.ts';
import { runMigrations } from '../src/db/migrate.ts';
import { importJobs } from '../src/modules/jobs/import/import.service.ts';
import { jobSearchQuery } from '../src/modules/jobs/jobs.schemas.ts';
import { RANKINGS, runSearch } from '../src/modules/jobs/search.ts';

const file = process.argv[2] ?? '../shared/data/jobs/glassdoor_jobs.csv';
if (!existsSync(file)) {
  console.error(`No file at ${file} (the shared data folder is not here).`);
  process.exit(0);
}

/** Query -> which titles answer it. */
const JUDGED: Array<[string, RegExp]> = [
  ['data engineer', /data engineer/i],
  ['machine learning engineer', /machine learning engineer|\bml engineer/i],
  ['data analyst', /data analyst/i],
  ['director', /director/i],
  ['research scientist', /research scientist/i],
  ['senior data scientist', /(senior|sr\.?) data scientist/i],
  ['analytics manager', /analytics.*manager|manager.*analytics/i],
  ['software engineer', /software engineer/i],
  ['business intelligence', /business intelligence|\bbi\b/i],
  ['clinical', /clinical/i],
  ['chemist', /chemist/i],
  ['principal scientist', /principal.*scientist/i],
  ['big data engineer', /big data/i],
  ['marketing', /marketing/i],
  ['consultant', /consultant/i],
];

const database = await openPglite(undefined);
try {
  await runMigrations(database);
  await importJobs(database.db, systemActor, createReadStream(file), { format: 'csv', source: 'eval' });
  await database.db.execute(
    sql`update jobs set posted_date = now() - (abs(hashtext(external_id)) % 730) * interval '1 day'`,
  );
  const totals: Record<string, { p: number; n: number }> = {};
  console.log(`query                        ${RANKINGS.map((r) => `${r} P@10  nDCG@10`.padStart(22)).join('')}`);
  for (const [q, relevant] of JUDGED) {
    const all = rowsOf<{ title: string }>(await database.db.execute(sql`select title from jobs`));
    const idealHits = Math.min(10, all.filter((j) => relevant.test(j.title)).length);
    const cells: string[] = [];
    for (const ranking of RANKINGS) {
      const page = await runSearch(database.db, jobSearchQuery.parse({ q, limit: '10', facets: 'false' }), { ranking });
      const gains = page.data.map((hit) => (relevant.test(hit.title) ? 1 : 0));
      const precision = gains.reduce<number>((a, b) => a + b, 0) / 10;
      const dcg = gains.reduce<number>((a, g, i) => a + g / Math.log2(i + 2), 0);
      const idcg = Array.from({ length: idealHits }, (_, i) => 1 / Math.log2(i + 2)).reduce((a, b) => a + b, 0);
      const ndcg = idcg > 0 ? dcg / idcg : 0;
      const t = totals[ranking] ?? { p: 0, n: 0 };
      totals[ranking] = { p: t.p + precision, n: t.n + ndcg };
      cells.push(`${precision.toFixed(2).padStart(15)} ${ndcg.toFixed(2).padStart(7)}`);
    }
    console.log(`${q.padEnd(28)} ${cells.join('')}`);
  }
  console.log(
    `${'mean'.padEnd(28)} ${RANKINGS.map((r) => `${((totals[r]?.p ?? 0) / JUDGED.length).toFixed(2).padStart(15)} ${((totals[r]?.n ?? 0) / JUDGED.length).toFixed(2).padStart(7)}`).join('')}`,
  );
} finally {
  await database.close();
}
