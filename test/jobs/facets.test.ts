/** Facet counts of a query with more matches than are counted exactly: estimated, and marked so. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACET_EXACT_LIMIT, FACET_SAMPLE_ROWS } from '../../src/modules/jobs/search.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';

let ctx: TestContext & { close(): Promise<void> };
// More jobs than the sample reads, so the estimate really is a sample.
const total = Math.ceil(FACET_SAMPLE_ROWS * 1.5);
beforeAll(async () => {
  ctx = await createTestApp();
  // One job in five is a contract; one in four remote.
  await ctx.database.superuserQuery(
    `insert into jobs (title, company, description, job_type, remote, source, external_id, location)
     select 'Engineer ' || g, 'Facet Co', 'Builds things.', case when g % 5 = 0 then 'contract' else 'full-time' end,
       g % 4 = 0, 'facets', 'f-' || g, case when g % 1000 = 0 then 'Smalltown' end
     from generate_series(1, ${total}) g`,
  );
  await ctx.database.superuserQuery('analyze jobs');
}, 120_000);
afterAll(async () => ctx?.close());

describe('facets beyond the exact limit', () => {
  it('estimates the counts from a sample and says they are approximate', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/jobs?q=engineer&limit=1' });
    expect(res.statusCode).toBe(200);
    const { facets } = res.json();
    expect(facets.approximate).toBe(true);
    expect(facets.total).toBeGreaterThan(FACET_EXACT_LIMIT);
    const near = (estimate: number, truth: number) => expect(Math.abs(estimate - truth) / truth).toBeLessThan(0.1);
    near(facets.total, total);
    near(facets.jobType.contract, total / 5);
    near(facets.remote.true, total / 4);
  });

  it('counts exactly when a filter narrows the matches below the limit', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/jobs?q=engineer&location=smalltown&limit=1' });
    const smalltown = Math.floor(total / 1000);
    expect(res.json().facets).toMatchObject({ approximate: false, total: smalltown });
  });
});
