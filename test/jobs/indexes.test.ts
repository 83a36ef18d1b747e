/**
 * Every index on `jobs` is there for a query (issue 19): this lists the indexes the database has and,
 * for each, the query that needs it (the application's own statement where it builds one), and checks
 * with EXPLAIN that the query uses it. A new index needs an entry here; an entry whose index no query
 * uses any more fails. Sequential scans are disabled for the EXPLAINs: on a test-sized table the planner
 * rightly prefers them, and the question here is which index a query can use, not whether it pays off
 * at this size (bench:search shows that at 1,000,000 jobs).
 */
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.ts';
import { lookupSql } from '../../src/modules/jobs/import/write.ts';
import { jobSearchQuery } from '../../src/modules/jobs/jobs.schemas.ts';
import { filters, pageStatement, tsqueryOf } from '../../src/modules/jobs/search.ts';
import { missingFactsSql } from '../../src/modules/match/reindex.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';

let ctx: TestContext & { close(): Promise<void> };
const db = () => ctx.database.db;

beforeAll(async () => {
  ctx = await createTestApp();
  await ctx.database.superuserQuery(
    `insert into jobs (title, company, description, location, skills, text_skills, salary_currency,
       salary_yearly_min, salary_yearly_max, source, external_id, posted_date, remote)
     select 'Engineer ' || g, 'Index Co', case when g % 50 = 0 then 'Builds things in Haskell.' else 'Builds things in Python.' end, case when g % 7 = 0 then 'Bengaluru, India' else 'London, UK' end,
       case when g % 3 = 0 then array['python'] else array['sql'] end, array['python'], case when g % 2 = 0 then 'INR' else 'USD' end,
       1000 * g, 2000 * g, 'index', 'i-' || g, now() - make_interval(hours => g), g % 5 = 0
     from generate_series(1, 500) g`,
  );
  // A few jobs seekers track (issue 15) share the table.
  await ctx.database.superuserQuery(
    `with u as (insert into users (name, email) values ('Index Seeker', 'index-seeker@example.test') returning id)
     insert into jobs (title, company, description, owner_user_id)
     select 'Tracked ' || g, 'Own Co', 'Haskell at home.', u.id from u, generate_series(1, 5) g`,
  );
  // The rows just written wait in the GIN indexes' pending lists, which the planner prices as a full read;
  // autovacuum would move them into the trees.
  await ctx.database.superuserQuery(
    "select gin_clean_pending_list('idx_jobs_search'), gin_clean_pending_list('idx_jobs_search_remote')",
  );
  await ctx.database.superuserQuery('analyze jobs');
}, 120_000);
afterAll(async () => ctx?.close());

/** A search page's statement, as GET /jobs runs it. */
const search = async (params: Record<string, string>) =>
  (await pageStatement(db(), jobSearchQuery.parse(params))).statement;
/** The rows a search's filters select (the WHERE clause GET /jobs builds), whatever the order. */
const filtered = async (params: Record<string, string>) => {
  const query = jobSearchQuery.parse(params);
  return sql`select j.id from jobs j where ${sql.join(filters(query, tsqueryOf(query.q)), sql` and `)}`;
};

/** Index name -> the query that uses it. */
const uses: Record<string, { query: string; statement: () => Promise<SQL> }> = {
  jobs_pkey: {
    query: 'GET /jobs/:id (getPublicJobJson, getJob), and every page of a search joining its ids back to jobs',
    statement: async () => sql`select * from jobs where id = '00000000-0000-4000-8000-000000000001'`,
  },
  jobs_source_external_id_key: {
    query: "the import's upsert (ON CONFLICT (source, external_id)) and its last_seen_at refresh",
    statement: async () => sql`select id from jobs where source = 'index' and external_id = 'i-7'`,
  },
  idx_jobs_search: {
    query:
      'GET /jobs?q=…&location=…&requirements=…&experienceLevel=…&jobType=… (alone, or intersected in one scan), and its facets',
    statement: () => filtered({ q: 'haskell' }),
  },
  idx_jobs_search_remote: {
    query: 'GET /jobs?q=…&remote=true (the remote matches of a text search, without ANDing every remote job)',
    statement: () => filtered({ q: 'haskell', remote: 'true' }),
  },
  idx_jobs_posted_date_id: {
    query: 'GET /jobs (newest first, and the relevance window of broad text queries)',
    statement: () => search({}),
  },
  idx_jobs_remote: {
    query: 'GET /jobs?remote=true (newest first among remote jobs, and combined with the other filters)',
    statement: () => search({ remote: 'true' }),
  },
  idx_jobs_salary_sort: {
    query: 'GET /jobs?sort=salary&currency=… (and the salary floor: see below)',
    statement: () => search({ sort: 'salary', currency: 'INR' }),
  },
  idx_jobs_text_skills: {
    query: "matching (match.service.ts: skills named in a job's prose)",
    statement: async () => sql`select id from jobs j where j.text_skills && array['python']::text[]`,
  },
  idx_jobs_match_facts_missing: {
    query: 'fillMatchFacts (match/reindex.ts): the jobs whose match facts are still to compute, at start',
    statement: async () => missingFactsSql(200),
  },
  idx_jobs_category_id: {
    query: 'GET /jobs?categoryId=…, and ON DELETE SET NULL when a category is deleted',
    statement: () => filtered({ categoryId: '00000000-0000-4000-8000-000000000001' }),
  },
  idx_jobs_source_content_key: {
    query: 'import (write.ts: the stored job that is the same posting under another id)',
    statement: async () =>
      lookupSql(JSON.stringify([{ i: 0, source: 'index', content_key: 'abc', external_id: 'x-1', hash: 'h' }])),
  },
  idx_jobs_first_seen_at: {
    query: 'saved-search alerts (alerts.ts: the jobs that arrived since the last run, newest first)',
    statement: async () =>
      sql`select id from jobs j where j.first_seen_at > now() - interval '1 day' and j.first_seen_at <= now()
        order by j.first_seen_at desc limit 50`,
  },
  idx_jobs_owner_user_id: {
    query:
      "GET /me/jobs (a seeker's tracked jobs, latest first; partial: no catalogue row), and deleting an account (ON DELETE CASCADE)",
    statement: async () =>
      sql`select id from jobs where owner_user_id = '00000000-0000-4000-8000-000000000001'
        order by first_seen_at desc, id desc limit 21`,
  },
  jobs_owner_source_url_key: {
    query: 'POST /me/jobs (one tracked job per seeker and address: the lookup and ON CONFLICT)',
    statement: async () =>
      sql`select id from jobs where owner_user_id = '00000000-0000-4000-8000-000000000001'
        and source_url = 'https://jobs.example.test/1'`,
  },
};

/** A plan's shape: its nodes and the indexes they read, without costs, filters or conditions. */
async function planShape(query: SQL): Promise<string[]> {
  const lines = rowsOf<{ 'QUERY PLAN': string }>(await db().execute(sql`explain (costs off) ${query}`));
  return lines.map((r) => r['QUERY PLAN']).filter((line) => !/^\s*(Filter|Recheck Cond|Index Cond):/.test(line));
}

describe('the catalogue condition (issue 15: tracked jobs share the table)', () => {
  // filters() puts `owner_user_id is null` first; without it the statement is the search as it was.
  it.each([{}, { q: 'haskell' }, { location: 'bengaluru' }, { requirements: 'Python' }, { jobType: 'internship' }])(
    'changes no plan of the search filters %j',
    async (params) => {
      const query = jobSearchQuery.parse(params);
      const where = filters(query, tsqueryOf(query.q));
      expect(where[0]).toBeDefined();
      const statement = (conditions: SQL[]) =>
        sql`select j.id from jobs j where ${sql.join(conditions, sql` and `)} order by j.posted_date desc, j.id desc limit 21`;
      expect(await planShape(statement(where))).toEqual(await planShape(statement(where.slice(1).concat(sql`true`))));
    },
  );
});
/** The plan of `query` with sequential scans off (which index it can use, not whether it pays here). */
const explain = async (query: SQL) =>
  db().transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    return rowsOf<{ 'QUERY PLAN': string }>(await tx.execute(sql`explain ${query}`))
      .map((r) => r['QUERY PLAN'])
      .join('\n');
  });

describe('indexes on jobs', () => {
  it('are exactly the ones a query here needs', async () => {
    const rows = rowsOf<{ indexname: string }>(
      await db().execute(sql`select indexname from pg_indexes where tablename = 'jobs' order by indexname`),
    );
    expect(rows.map((r) => r.indexname)).toEqual(Object.keys(uses).sort());
  });

  it.each(Object.entries(uses).map(([name, use]) => [name, use.query, use.statement] as const))(
    '%s is used by %s',
    async (name, _query, statement) => {
      expect(await explain(await statement())).toContain(name);
    },
  );

  it.each<Record<string, string>>([
    { location: 'bengaluru' },
    { requirements: 'Python' },
    { requirements: 'Python', requirementsMode: 'any' },
    // The rare levels and types (a few per cent of a catalogue).
    { experienceLevel: 'executive' },
    { jobType: 'internship' },
  ])('serve the filter %j alone from idx_jobs_search', async (params) => {
    expect(await explain(await filtered(params))).toMatch(/idx_jobs_search\b/);
  });

  it('intersect a text, a location, a skill and a level inside one scan of idx_jobs_search, with no bitmaps to AND', async () => {
    const plan = await explain(
      await filtered({ q: 'haskell', location: 'bengaluru', requirements: 'Python', experienceLevel: 'senior' }),
    );
    const scans = plan.split('\n').filter((line) => line.includes('Bitmap Index Scan'));
    expect(scans).toHaveLength(1);
    expect(scans[0]).toContain('idx_jobs_search');
    expect(plan).not.toContain('BitmapAnd');
    const condition = plan.split('\n').find((line) => line.includes('Index Cond:')) ?? '';
    for (const column of ['search_vector', 'lower((location)::text)', 'skills', 'experience_level'])
      expect(condition).toContain(column);
  });

  it('serve a salary floor (with its currency) from idx_jobs_salary_sort', async () => {
    expect(await explain(await filtered({ q: 'python', currency: 'USD', salaryMin: '300000' }))).toContain(
      'idx_jobs_salary_sort',
    );
  });
});
