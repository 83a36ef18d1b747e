/**
 * Search at scale (issue 19), on a small catalogue with the limits made small: relevance past its ranked
 * window, both ways of collecting text matches, at most two statements per search, and facet counts
 * cached under the catalogue version and correct after every kind of write.
 */
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, rowsOf } from '../../src/db/client.ts';
import { systemActor, withContext } from '../../src/db/context.ts';
import { jobSearchQuery } from '../../src/modules/jobs/jobs.schemas.ts';
import {
  type Indexable,
  type Plan,
  pageStatement,
  readHistogram,
  runSearch,
  type SearchOptions,
} from '../../src/modules/jobs/search.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { countingStatements } from '../helpers/db.ts';

let ctx: TestContext & { close(): Promise<void> };
const db = () => ctx.database.db;
const total = 30;

beforeAll(async () => {
  ctx = await createTestApp();
  // Every third job names the word in its title (a strong match); the others mention it in passing.
  // Posting dates one day apart; the strong matches are the older ones of each three.
  await ctx.database.superuserQuery(
    `insert into jobs (title, company, description, job_type, remote, experience_level, salary_currency,
       salary_yearly_min, salary_yearly_max, source, external_id, posted_date)
     select case when g % 3 = 0 then 'Platform Engineer ' || g else 'Office Assistant ' || g end, 'Scale Co',
       case when g % 3 = 0 then 'Runs the platform.' else 'Helps the engineer team now and then.' end,
       case when g % 2 = 0 then 'contract' else 'full-time' end, g % 5 = 0,
       case when g % 4 = 0 then 'senior' else 'mid' end, case when g % 7 = 0 then 'EUR' else 'USD' end,
       1000 * g, 2000 * g, 'scale', 's-' || g, now() - make_interval(days => g)
     from generate_series(1, ${total}) g`,
  );
  await ctx.database.superuserQuery('analyze jobs');
}, 120_000);
afterAll(async () => ctx?.close());

type Page = Awaited<ReturnType<typeof runSearch>>;
const search = (params: Record<string, string>, options: SearchOptions = {}, exec: Db = db()) =>
  runSearch(exec, jobSearchQuery.parse(params), options);

async function allPages(params: Record<string, string>, options: SearchOptions): Promise<Page['data']> {
  const seen: Page['data'] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const page: Page = await search({ ...params, limit: '4', ...(cursor ? { cursor } : {}) }, options);
    seen.push(...page.data);
    cursor = page.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error('too many pages');
}

describe('relevance beyond its window', () => {
  it.each<Plan>(['bitmap', 'walk'])(
    'ranks the newest matches, then reaches every other match newest first (%s)',
    async (plan) => {
      const window = 6;
      const seen = await allPages({ q: 'engineer' }, { window, plan });
      const ids = seen.map((j) => j.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(total);
      // The ranked window: the 6 newest matches (days 1-6), title matches (days 3, 6) first.
      const ranked = seen.slice(0, window);
      expect(ranked.slice(0, 2).map((j) => j.title)).toEqual(['Platform Engineer 3', 'Platform Engineer 6']);
      expect(Math.max(...ranked.map((j) => Date.now() - j.postedDate.getTime()))).toBeLessThan(6.5 * 86_400_000);
      // Then the older matches, newest first.
      const rest = seen.slice(window).map((j) => j.postedDate.getTime());
      expect(rest).toEqual([...rest].sort((a, b) => b - a));
      // As many as the facets count.
      expect((await search({ q: 'engineer' }, { window, plan })).facets?.total).toBe(total);
    },
  );

  it('gives the same pages whichever way the matches are collected', async () => {
    const titles = async (plan: Plan) => (await allPages({ q: 'engineer' }, { window: 5, plan })).map((j) => j.id);
    expect(await titles('bitmap')).toEqual(await titles('walk'));
  });

  const tenDaysAgo = new Date(Date.now() - 10.5 * 86_400_000).toISOString().slice(0, 10);
  it.each<Record<string, string>>([
    { q: 'engineer', remote: 'true' },
    { q: 'engineer team', jobType: 'contract', experienceLevel: 'mid' },
    { q: 'platform', jobType: 'full-time', sort: 'newest' },
    { q: '"the platform"', remote: 'false', postedSince: tenDaysAgo },
    { q: 'engineer -platform', jobType: 'contract', currency: 'USD', salaryMin: '12000' },
    { q: 'the', jobType: 'contract', experienceLevel: 'senior' },
  ])(
    'finds the same jobs and counts with its conditions tested on the rows as through their indexes (%o)',
    async (params) => {
      const all: Indexable[] = ['text', 'level', 'type', 'posted', 'salary'];
      for (const plan of ['bitmap', 'walk'] as const) {
        const ids = async (onRows: Indexable[]) =>
          (await allPages(params, { window: 5, plan, onRows })).map((j) => j.id);
        const indexed = await ids([]);
        expect(indexed.length, `${plan}: the query matches something`).toBeGreaterThan(0);
        expect(await ids(all), plan).toEqual(indexed);
      }
      const facets = async (onRows: Indexable[]) =>
        (await search({ ...params, limit: '1' }, { plan: 'bitmap', onRows })).facets;
      expect(await facets(all)).toEqual(await facets([]));
      // The two are different statements: every condition of those kinds is wrapped, so no index answers it.
      const text = async (onRows: Indexable[]) =>
        new PgDialect().sqlToQuery((await pageStatement(db(), jobSearchQuery.parse(params), { onRows })).statement).sql;
      expect(await text(all)).toContain(', false)');
      expect(await text([])).not.toContain(', false)');
    },
  );

  it('counts the facets from the matches it collected exactly as from the table', async () => {
    // Each query is new to the facet cache, so each page statement counts its facets.
    const expected = { total: 10, jobType: { contract: 5, 'full-time': 5 }, remote: { true: 2, false: 8 } };
    for (const [params, plan] of [
      [{ q: 'platform', sort: 'newest' }, 'bitmap'],
      [{ q: 'runs' }, 'bitmap'],
      [{ q: 'platform runs' }, 'walk'],
    ] as const) {
      expect((await search(params, { plan })).facets, `${JSON.stringify(params)} ${plan}`).toMatchObject(expected);
    }
  });

  it('refuses a past-the-window cursor on another sort', async () => {
    const page = await search({ q: 'engineer', limit: '4' }, { window: 2 });
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/jobs?q=engineer&limit=4&cursor=${page.nextCursor}`,
    });
    expect(res.statusCode).toBe(200);
    const cursor = (res.json() as { nextCursor: string }).nextCursor;
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...decoded, s: 'newest', p: 1 })).toString('base64url');
    const bad = await ctx.app.inject({ method: 'GET', url: `/api/v1/jobs?q=engineer&sort=newest&cursor=${forged}` });
    expect(bad.statusCode).toBe(400);
  });
});

describe('a bitmap collection that tries the newest matches first', () => {
  const statement = async (params: Record<string, string>, options: SearchOptions) =>
    new PgDialect().sqlToQuery((await pageStatement(db(), jobSearchQuery.parse(params), options)).statement).sql;

  // The catalogue's 30 jobs are posted one a day. A share of 0.5 starts the slice about 15 days back:
  // enough for the window of 5 and a page of 5 of `engineer` (every job), too few for `engineer team`
  // in contract jobs (about 5 of those), which then reads the older matches too; 0.2 holds about 7 jobs,
  // more than the window but not a page more (the window's last page ends with the matches after it);
  // 0.04 holds the newest two or three jobs, too few for any of them.
  it.each<Record<string, string>>([
    { q: 'engineer' },
    { q: 'engineer', sort: 'newest' },
    { q: 'engineer team', jobType: 'contract' },
  ])('gives the same pages whether the slice holds enough, too few, or is not tried (%o)', async (params) => {
    await search(params); // reads the posting-date histogram (pg_stats) for this process
    const ids = async (recentShare: number) =>
      (await allPages(params, { window: 5, plan: 'bitmap', recentShare })).map((j) => j.id);
    const whole = await ids(0);
    expect(whole.length).toBeGreaterThan(4);
    for (const share of [0.5, 0.2, 0.04]) expect(await ids(share), `share ${share}`).toEqual(whole);
    expect(await statement(params, { window: 5, plan: 'bitmap', recentShare: 0.5 })).toContain(
      'recent as materialized',
    );
    expect(await statement(params, { window: 5, plan: 'bitmap', recentShare: 0 })).not.toContain('recent');
  });

  it('counts the facets of every match, not of the slice', async () => {
    // A filter new to the facet cache: its counts are computed by this page statement.
    const params = { q: 'assistant', remote: 'false', limit: '1' };
    const options: SearchOptions = { window: 5, plan: 'bitmap', recentShare: 0.5 };
    expect(await statement(params, options)).toContain('recent as materialized');
    const page = await search(params, options);
    // Office assistants (20: days not a multiple of 3), not remote (days not a multiple of 5): 16, of
    // which the slice (about 16 days) holds 9, enough for the window and a page.
    expect(page.data).toHaveLength(1);
    expect(page.facets?.total).toBe(16);
  });

  it('finds its start in a histogram a server reads at start, so its first search does not', async () => {
    const { exec } = countingStatements(db()); // a database handle no search has used yet
    const first = async () =>
      new PgDialect().sqlToQuery((await pageStatement(exec, jobSearchQuery.parse({ q: 'engineer' }))).statement).sql;
    expect(await first()).toContain('pg_stats');
    await readHistogram(exec);
    expect(await first()).not.toContain('pg_stats');
  });

  it('is not tried for a page past the window or after a newest-first cursor', async () => {
    const first = await search({ q: 'engineer', sort: 'newest', limit: '3' }, { plan: 'bitmap', recentShare: 0.5 });
    const next = { q: 'engineer', sort: 'newest', limit: '3', cursor: first.nextCursor ?? '' };
    expect(await statement(next, { plan: 'bitmap', recentShare: 0.5 })).not.toContain('recent');
  });
});

describe('round trips', () => {
  const counting = () => countingStatements(db());

  it.each([
    [{ q: 'engineer' }],
    [{ q: 'engineer', remote: 'true', facets: 'false' }],
    [{}],
    [{ sort: 'salary', currency: 'USD' }],
    [{ q: 'the' }],
  ])('a search is at most two statements (%o)', async (params) => {
    const { exec, count } = counting();
    await search(params, {}, exec);
    expect(count()).toBeLessThanOrEqual(2);
  });
});

describe('facet counts cached under the catalogue version', () => {
  const facetsOf = async (params: Record<string, string> = { q: 'engineer' }) =>
    (await search(params)).facets as NonNullable<Page['facets']>;
  const version = async () =>
    rowsOf<{ v: number }>(await db().execute(sql`select version::int as v from job_catalogue`))[0]?.v;

  it('serves cached counts while nothing changed, and fresh ones after each kind of write', async () => {
    const before = await facetsOf();
    expect(before.total).toBe(total);

    // A change the version does not see (its trigger disabled) proves the counts come from the cache.
    await ctx.database.superuserQuery('alter table jobs disable trigger job_catalogue_bump');
    await ctx.database.superuserQuery(
      `insert into jobs (title, company, description, source, external_id) values ('Hidden Engineer', 'X', 'x', 'scale', 'hidden')`,
    );
    await ctx.database.superuserQuery('alter table jobs enable trigger job_catalogue_bump');
    expect((await facetsOf()).total).toBe(total);

    const v0 = await version();
    await ctx.database.superuserQuery(
      `insert into jobs (title, company, description, job_type, source, external_id) values ('Night Engineer', 'X', 'x', 'internship', 'scale', 'night')`,
    );
    expect(await version()).toBeGreaterThan(v0 ?? 0);
    const inserted = await facetsOf();
    expect(inserted.total).toBe(total + 2);
    expect(inserted.jobType.internship).toBe(1);

    await ctx.database.superuserQuery(`update jobs set job_type = 'freelance' where external_id = 'night'`);
    const updated = await facetsOf();
    expect(updated.jobType.internship).toBeUndefined();
    expect(updated.jobType.freelance).toBe(1);

    await ctx.database.superuserQuery(`delete from jobs where external_id in ('night', 'hidden')`);
    expect(await facetsOf()).toEqual(before);
  });

  it('keeps counts of different filters apart', async () => {
    const remote = await facetsOf({ q: 'engineer', remote: 'true' });
    const all = await facetsOf({ q: 'engineer' });
    expect(remote.total).toBe(total / 5);
    expect(all.total).toBe(total);
  });

  it('a write through the API (an administrator) bumps the version too', async () => {
    const v0 = await version();
    await withContext(ctx.database.db, systemActor, async (tx) => {
      await tx.execute(sql`update jobs set remote = not remote where external_id = 's-1'`);
    });
    expect(await version()).toBe((v0 ?? 0) + 1);
    // The application role reads the version but cannot change it directly.
    await expect(
      ctx.database.db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('role', 'jobr_app', true), set_config('app.is_admin', 'on', true)`);
        await tx.execute(sql`update job_catalogue set version = 0`);
      }),
    ).rejects.toThrow();
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('the pool on PostgreSQL', () => {
  it.each([
    ['true', ['jobr_job_by_id']],
    ['false', []],
  ])(
    'reads a job by id through a named prepared statement unless DATABASE_PREPARED_STATEMENTS=%s',
    async (flag, names) => {
      const { openPostgres } = await import('../../src/db/client.ts');
      const { loadConfig } = await import('../../src/config.ts');
      const { getPublicJobJson } = await import('../../src/modules/jobs/jobs.service.ts');
      const [current] = await ctx.database.superuserQuery<{ db: string }>('select current_database() as db');
      const url = new URL(process.env.TEST_DATABASE_URL as string);
      url.pathname = `/${current?.db}`;
      const config = loadConfig({ DATABASE_URL: url.toString(), DATABASE_PREPARED_STATEMENTS: flag });
      // One connection, so the statement and the look at pg_prepared_statements share a session.
      const one = openPostgres(url.toString(), { ...config.pool, max: 1, min: 0 });
      try {
        const [job] = await ctx.database.superuserQuery<{ id: string }>(`select id from jobs limit 1`);
        expect(JSON.parse(await getPublicJobJson(one.db, one.preparedStatements, job?.id as string)).id).toBe(job?.id);
        const prepared = rowsOf<{ name: string }>(await one.db.execute(sql`select name from pg_prepared_statements`));
        expect(prepared.map((r) => r.name)).toEqual(names);
      } finally {
        await one.close();
      }
    },
  );

  it('opens and keeps its warm minimum of connections', async () => {
    const { openPostgres } = await import('../../src/db/client.ts');
    const [current] = await ctx.database.superuserQuery<{ db: string }>('select current_database() as db');
    const name = `jobr-warm-${process.pid}`;
    const url = new URL(process.env.TEST_DATABASE_URL as string);
    url.pathname = `/${current?.db}`;
    url.searchParams.set('application_name', name);
    const pool = { max: 5, min: 3, idleTimeoutMs: 50, connectTimeoutMs: 5000, statementTimeoutMs: 0 };
    const warmed = openPostgres(url.toString(), pool);
    try {
      await warmed.warm();
      await new Promise((resolve) => setTimeout(resolve, 300)); // well past the idle time-out
      const [row] = await ctx.database.superuserQuery<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where application_name = '${name}'`,
      );
      expect(row?.n).toBe(3);
    } finally {
      await warmed.close();
    }
  });
});
