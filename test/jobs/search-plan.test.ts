/**
 * How a text search collects its matches (decision 020): the bitmap or the newest-first walk, chosen on
 * estimates that must hold where the planner's do not — words searched together that always occur
 * together, and a walk that only looks through the remote jobs. A catalogue of 4,000 jobs, the relevance
 * window made small (5), so the choice turns at about sqrt(5 x jobs walked) matches.
 */
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobSearchQuery } from '../../src/modules/jobs/jobs.schemas.ts';
import { bitmapRows, chooseCollection, pageStatement } from '../../src/modules/jobs/search.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';

let ctx: TestContext & { close(): Promise<void> };
const total = 4000;

beforeAll(async () => {
  ctx = await createTestApp();
  // One job in ten is a "Quantum Widget Wrangler" job: the three words always together, never apart.
  // One in ten is remote; "gizmo" is in two jobs of every seven and "sprocket" in one of 47, whether remote or not.
  await ctx.database.superuserQuery(
    `insert into jobs (title, company, description, job_type, source, external_id, remote, posted_date)
     select case when g % 10 = 3 then 'Quantum Widget Wrangler' else 'Office Assistant' end, 'Plan Co',
       case when g % 7 < 2 then 'Keeps the gizmo running.' else 'Answers the phone.' end
         || case when g % 47 = 0 then ' Oils the sprocket.' else '' end,
       'full-time', 'plan', 'p-' || g, g % 10 = 0, now() - make_interval(hours => g)
     from generate_series(1, ${total}) g`,
  );
  await ctx.database.superuserQuery('analyze jobs');
}, 120_000);
afterAll(async () => ctx?.close());

const planned = (params: Record<string, string>) =>
  pageStatement(ctx.database.db, jobSearchQuery.parse(params), { window: 5 });

/** The plan a search chooses, and PostgreSQL's EXPLAIN of its page statement. */
async function explained(params: Record<string, string>): Promise<{ plan: string; lines: string }> {
  const { statement, plan } = await planned(params);
  const { sql: text, params: values } = new PgDialect().sqlToQuery(statement);
  const rows = await ctx.database.superuserQuery<{ 'QUERY PLAN': string }>(`explain ${text}`, values);
  return { plan, lines: rows.map((r) => r['QUERY PLAN']).join('\n') };
}

describe('choosing how text matches are collected', () => {
  it('estimates words that occur together from a sample, not as independent', async () => {
    // 400 jobs match both words; as independent words the planner expects 1% of 1% of the jobs (about 40),
    // under the ~140 where walking the newest jobs starts to pay.
    expect((await planned({ q: 'quantum widget' })).plan).toBe('walk');
    // Fewer matches (about 115) are still collected through the index.
    expect((await planned({ q: 'quantum widget gizmo' })).plan).toBe('bitmap');
  });

  it('counts only the remote jobs as what a remote walk looks through', async () => {
    // About 115 remote gizmo jobs among 400 remote jobs: walking the remote jobs newest first finds 5 in
    // about 17 rows, collecting them all visits 115 (against 5 x 4,000 if the walk looked through all jobs).
    expect((await planned({ q: 'gizmo', remote: 'true' })).plan).toBe('walk');
    // About 9 remote sprocket jobs: collecting them beats walking 200 remote jobs.
    expect((await planned({ q: 'sprocket', remote: 'true' })).plan).toBe('bitmap');
  });

  it('walking, tests the text on the rows walked instead of reading its index', async () => {
    // Trusting its estimate of 4 matches (three independent words), the planner would read the words'
    // postings and sort their 400 jobs.
    const { plan, lines } = await explained({ q: 'quantum widget wrangler' });
    expect(plan).toBe('walk');
    expect(lines).toContain('Index Scan using idx_jobs_posted_date_id');
    expect(lines).not.toMatch(/idx_jobs_search\b/);
    // The window is ranked from the rows walked: jobs are read by id only for the page's own rows.
    expect(lines.match(/using jobs_pkey/g)).toHaveLength(1);
  });

  it('collecting, ranks the window by reading its rows at their addresses, not through the primary key', async () => {
    const { plan, lines } = await explained({ q: 'quantum widget gizmo' });
    expect(plan).toBe('bitmap');
    expect(lines).toContain('Tid Scan on jobs');
    // Only the page's own rows are read by id.
    expect(lines.match(/using jobs_pkey/g)).toHaveLength(1);
  });

  it('collects only the newest matches where that beats both the walk and collecting every match', () => {
    // Estimates as measured at 1,000,000 jobs (decision 020, stop 30); the relevance window of 1,000 and
    // a page of 21 need 1,021 matches, and the slice holds three times as many as the estimate says.
    const catalogue = 1_000_000;
    const share = (matches: number) => (3 * 1021) / matches;
    const word = (matches: number) => ({ matches, catalogue, walked: catalogue, bitmaps: [] });
    // `java`, 37,000 matches: the walk reads ~27,000 rows for its window, collecting every match 37,000;
    // the newest 8% hold ~3,000 of them, found by ANDing the word's postings with a posting-date range.
    expect(chooseCollection(word(37_000), [], 1000, share(37_000))).toEqual({ plan: 'bitmap', sliced: true });
    // Without the posting-date histogram there is no slice, and the walk wins.
    expect(chooseCollection(word(37_000), [], 1000, null)).toEqual({ plan: 'walk', sliced: false });
    // A common word (150,000 matches): its postings cost more than walking the ~6,700 rows.
    expect(chooseCollection(word(150_000), [], 1000, share(150_000))).toEqual({ plan: 'walk', sliced: false });
    // `reporting` in New York: the word and the place are intersected inside idx_jobs_search (no bitmaps
    // to AND); collecting every match already beats the walk, and the slice costs less still.
    expect(chooseCollection(word(31_000), [], 1000, share(31_000))).toEqual({ plan: 'bitmap', sliced: true });
    // `science` with a skill (intersected with the word in idx_jobs_search) and a salary floor: the two
    // bitmaps leave few rows; a posting-date range would cost more than it spares.
    const science = {
      ...word(8_100),
      bitmaps: [
        { index: 'idx_jobs_search', kind: 'text' as const, tids: 47_000 },
        { index: 'idx_jobs_salary_sort', kind: 'salary' as const, tids: 172_000 },
      ],
    };
    expect(chooseCollection(science, [], 1000, share(8_100))).toEqual({ plan: 'bitmap', sliced: false });
  });

  it('charges the bitmap for the TIDs of what the walk reads through its own index', () => {
    // At 1,000,000 jobs the planner ANDs the text's postings with the 122,000 remote jobs' bitmap (too
    // small a catalogue here to make it do so): the walk gets the remote jobs from idx_jobs_remote.
    const estimate = {
      matches: 11_600,
      catalogue: 1_000_000,
      walked: 122_000,
      bitmaps: [
        { index: 'idx_jobs_search', kind: 'text' as const, tids: 88_000 },
        { index: 'idx_jobs_remote', kind: null, tids: 122_000 },
      ],
    };
    expect(bitmapRows(estimate, [])).toBeCloseTo(11_600 + 12_200);
    // Walking tests the text on each row it visits, so the text's TIDs are not charged; nor are those of
    // a condition the bitmap collection tests on the rows.
    const dated = { index: 'idx_jobs_posted_date_id', kind: 'posted' as const, tids: 500_000 };
    expect(bitmapRows({ ...estimate, bitmaps: [...estimate.bitmaps, dated] }, ['posted'])).toBeCloseTo(23_800);
    expect(bitmapRows({ ...estimate, bitmaps: [...estimate.bitmaps, dated] }, [])).toBeCloseTo(73_800);
  });
});
