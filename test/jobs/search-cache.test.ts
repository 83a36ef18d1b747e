/**
 * The page cache of GET /jobs (decision 020, 8): a repeated search is one statement and the same page;
 * any write to the catalogue, by any path, is seen by the next search; pages of different searches never
 * mix; the cache holds at most its size and can be turned off.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jobSearchQuery } from '../../src/modules/jobs/jobs.schemas.ts';
import { searchJobs } from '../../src/modules/jobs/search.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInAdmin } from '../helpers/auth.ts';
import { countingStatements } from '../helpers/db.ts';

let ctx: TestContext & { close(): Promise<void> };

beforeAll(async () => {
  ctx = await createTestApp();
  await ctx.database.superuserQuery(
    `insert into jobs (title, company, description, source, external_id, posted_date)
     select 'Cache Welder ' || g, 'Cache Co', 'Welds pipes on site.', 'cache', 'c-' || g, now() - make_interval(days => g)
     from generate_series(1, 12) g`,
  );
}, 120_000);
afterAll(async () => ctx?.close());

/** A database handle of its own (so a cache of its own), counting the statements sent through it. */
const counting = () => countingStatements(ctx.database.db);

const query = (params: Record<string, string>) => jobSearchQuery.parse(params);
/** searchJobs' options: up to `cachePages` kept pages, no search gate. */
const keeping = (cachePages: number) => ({ cachePages, gate: null });
const titles = (page: { data: Array<{ title: string }> }) => page.data.map((j) => j.title);

describe('GET /jobs page cache', () => {
  it('answers a repeated search with one statement and the same page', async () => {
    const { exec, count } = counting();
    const first = await searchJobs(exec, query({ q: 'welder', limit: '5' }), keeping(10));
    const computed = count();
    expect(computed).toBeGreaterThanOrEqual(1);
    const again = await searchJobs(exec, query({ q: 'welder', limit: '5' }), keeping(10));
    expect(count() - computed).toBe(1);
    expect(again).toEqual(first);
    expect(first.data).toHaveLength(5);
    expect(first.facets?.total).toBe(12);
  });

  it('keeps the pages of different searches apart (text, filters, cursor, size)', async () => {
    const { exec } = counting();
    const welders = await searchJobs(exec, query({ q: 'welder', limit: '5' }), keeping(10));
    const pipes = await searchJobs(exec, query({ q: 'pipes', limit: '3' }), keeping(10));
    expect(pipes.data).toHaveLength(3);
    const next = await searchJobs(
      exec,
      query({ q: 'welder', limit: '5', cursor: welders.nextCursor as string }),
      keeping(10),
    );
    expect(titles(next)).not.toEqual(titles(welders));
    expect(new Set([...titles(welders), ...titles(next)]).size).toBe(10);
    expect(titles(await searchJobs(exec, query({ q: 'welder', limit: '5' }), keeping(10)))).toEqual(titles(welders));
    const none = await searchJobs(exec, query({ q: 'astronaut' }), keeping(10));
    expect(none.data).toEqual([]);
  });

  it('shows every kind of write at the next search: insert, API edit, delete, raw SQL, truncate-free bulk update', async () => {
    const { exec } = counting();
    const search = () => searchJobs(exec, query({ q: 'welder', sort: 'newest', limit: '50' }), keeping(10));
    const before = await search();
    await search();

    await ctx.database.superuserQuery(
      `insert into jobs (title, company, description, source, external_id, posted_date)
       values ('Cache Welder New', 'Cache Co', 'Welds.', 'cache', 'c-new', now())`,
    );
    const afterInsert = await search();
    expect(titles(afterInsert)[0]).toBe('Cache Welder New');
    expect(afterInsert.data).toHaveLength(before.data.length + 1);

    const admin = await signedInAdmin(ctx.database.db);
    const id = afterInsert.data[0]?.id as string;
    const edited = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/jobs/${id}`,
      headers: admin.headers,
      payload: { title: 'Cache Welder Edited' },
    });
    expect(edited.statusCode).toBe(200);
    expect(titles(await search())[0]).toBe('Cache Welder Edited');

    await ctx.database.superuserQuery(`update jobs set remote = true where external_id = 'c-1'`);
    const remote = await search();
    expect(remote.data.find((j) => j.title === 'Cache Welder 1')?.remote).toBe(true);

    await ctx.database.superuserQuery(`delete from jobs where external_id = 'c-new'`);
    expect(titles(await search())).not.toContain('Cache Welder Edited');
    expect((await search()).data).toHaveLength(before.data.length);
  });

  it('serves cached pages through HTTP too, and sees a write made through another handle', async () => {
    const get = async () => (await ctx.app.inject({ method: 'GET', url: '/api/v1/jobs?q=welder&limit=50' })).json();
    const first = await get();
    expect(await get()).toEqual(first);
    await ctx.database.superuserQuery(`update jobs set title = 'Cache Welder Renamed' where external_id = 'c-2'`);
    const after = await get();
    expect(after.data.map((j: { title: string }) => j.title)).toContain('Cache Welder Renamed');
  });

  it('computes a kept page again once it is a minute old, though nothing was written', async () => {
    const { exec, count } = counting();
    await searchJobs(exec, query({ q: 'site' }), keeping(10));
    const computed = count();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
    try {
      await searchJobs(exec, query({ q: 'site' }), keeping(10));
      expect(count() - computed).toBe(computed);
    } finally {
      vi.useRealTimers();
    }
  });

  it('holds at most its size, least recently used dropped first', async () => {
    const { exec, count } = counting();
    const run = async (q: string) => {
      const n = count();
      await searchJobs(exec, query({ q }), keeping(2));
      return count() - n;
    };
    await run('welder');
    await run('pipes');
    expect(await run('welder')).toBe(1);
    await run('site');
    // 'pipes' was the least recently used of the two kept: computed again; 'welder' still kept.
    expect(await run('pipes')).toBeGreaterThan(1);
    expect(await run('pipes')).toBe(1);
  });

  it('computes every search when turned off (SEARCH_CACHE_PAGES=0)', async () => {
    const { exec, count } = counting();
    await searchJobs(exec, query({ q: 'welder' }), keeping(0));
    const once = count();
    await searchJobs(exec, query({ q: 'welder' }), keeping(0));
    expect(count()).toBe(2 * once);
    expect(once).toBeGreaterThanOrEqual(1);
  });
});
