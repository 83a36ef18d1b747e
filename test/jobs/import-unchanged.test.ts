/**
 * Re-importing a feed (issue 15, issue 19): rows whose content is unchanged are not written at all (the
 * row versions, updated_at, last_seen_at and the catalogue version stay as they were); a changed row is
 * still updated, its words added and its merge rule applied; an API edit is undone by the next import.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/db/context.ts';
import { importJobs } from '../../src/modules/jobs/import/import.service.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInAdmin } from '../helpers/auth.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

const run = (rows: object[], source: string) =>
  importJobs(
    ctx.database.db,
    systemActor,
    Readable.from([Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n'))]),
    { format: 'ndjson', source, batchSize: 2 },
  );

type Stored = {
  external_id: string;
  version: string;
  title: string;
  posted_date: Date;
  updated_at: Date;
  last_seen_at: Date;
  hashed: boolean;
};
const stored = (source: string) =>
  ctx.database.superuserQuery<Stored>(
    `select external_id, xmin::text as version, title, posted_date, updated_at, last_seen_at,
       import_hash is not null as hashed from jobs where source = $1 order by external_id`,
    [source],
  );
const catalogueVersion = async () =>
  (await ctx.database.superuserQuery<{ v: number }>('select version::int as v from job_catalogue'))[0]?.v;
const byId = (rows: Stored[]) => new Map(rows.map((r) => [r.external_id, r]));

const feed = [
  { id: 'f-1', title: 'Tram Driver', company: 'City Transit', description: 'Drives trams.', postedDate: '2025-04-10' },
  { id: 'f-2', title: 'Ticket Inspector', company: 'City Transit', description: 'Checks tickets.' },
  { id: 'f-3', title: 'Depot Manager', company: 'City Transit', description: 'Runs the depot.', salaryMin: 40000 },
];

describe('re-importing a feed', () => {
  it('writes nothing for unchanged rows: row versions, updated_at, last_seen_at and the catalogue stay', async () => {
    expect(await run(feed, 'unchanged')).toMatchObject({ inserted: 3, updated: 0, skipped: 0 });
    const before = await stored('unchanged');
    const catalogue = await catalogueVersion();

    const again = await run(feed, 'unchanged');
    expect(again).toMatchObject({ rows: 3, inserted: 0, updated: 0, skipped: 3, merged: 0, rejected: 0 });
    expect(await stored('unchanged')).toEqual(before);
    expect(await catalogueVersion()).toBe(catalogue);
  });

  it('still updates a changed row (its new words too) and leaves the unchanged ones untouched', async () => {
    await run(feed, 'changed');
    const before = byId(await stored('changed'));
    const changed = feed.map((r) => (r.id === 'f-2' ? { ...r, title: 'Zymurgy Ticket Inspector' } : r));

    expect(await run(changed, 'changed')).toMatchObject({ inserted: 0, updated: 1, skipped: 2 });
    const after = byId(await stored('changed'));
    expect(after.get('f-2')).toMatchObject({ title: 'Zymurgy Ticket Inspector', hashed: true });
    expect(after.get('f-2')?.version).not.toBe(before.get('f-2')?.version);
    expect(after.get('f-1')).toEqual(before.get('f-1'));
    expect(after.get('f-3')).toEqual(before.get('f-3'));
    const words = await ctx.database.superuserQuery("select word from job_words where word = 'zymurgy'");
    expect(words).toHaveLength(1);
    // A salary change alone is a change too.
    const raised = changed.map((r) => (r.id === 'f-3' ? { ...r, salaryMin: 45000 } : r));
    expect(await run(raised, 'changed')).toMatchObject({ updated: 1, skipped: 2 });
  });

  it('moves the posting date back when a re-import dates it earlier, and never forward', async () => {
    await run(feed, 'dates');
    const before = byId(await stored('dates'));
    const later = feed.map((r) => (r.id === 'f-1' ? { ...r, postedDate: '2025-04-20' } : r));
    expect(await run(later, 'dates')).toMatchObject({ updated: 0, skipped: 3 });
    expect(byId(await stored('dates')).get('f-1')).toEqual(before.get('f-1'));

    const earlier = feed.map((r) => (r.id === 'f-1' ? { ...r, postedDate: '2025-04-01' } : r));
    expect(await run(earlier, 'dates')).toMatchObject({ updated: 1, skipped: 2 });
    expect(
      byId(await stored('dates'))
        .get('f-1')
        ?.posted_date.toISOString(),
    ).toBe('2025-04-01T00:00:00.000Z');
  });

  it('merges a row whose new text is a posting stored under another id, keeping the earliest date', async () => {
    await run(feed, 'remerge');
    const driver = feed[0] as (typeof feed)[number];
    const inspector = { ...driver, id: 'f-2', postedDate: '2025-04-02' };
    // Batches of two: the inspector row comes after f-1 is stored (within one batch it would merge there).
    const rows = [driver, feed[2] as object, inspector];
    const report = await run(rows, 'remerge');
    expect(report).toMatchObject({ merged: 1, updated: 0, skipped: 2 });
    const after = byId(await stored('remerge'));
    // f-1 takes the earlier date of the posting it is; f-2 keeps what it was.
    expect(after.get('f-1')?.posted_date.toISOString()).toBe('2025-04-02T00:00:00.000Z');
    expect(after.get('f-2')?.title).toBe('Ticket Inspector');
    // The merged row now matches f-1: importing the same file again writes nothing.
    const settled = await stored('remerge');
    expect(await run(rows, 'remerge')).toMatchObject({ merged: 1, updated: 0, skipped: 2 });
    expect(await stored('remerge')).toEqual(settled);
  });

  it('gives rows stored without a hash their hash once, counted as skipped, then writes nothing', async () => {
    await run(feed, 'legacy');
    await ctx.database.superuserQuery("update jobs set import_hash = null where source = 'legacy'");
    const before = byId(await stored('legacy'));

    expect(await run(feed, 'legacy')).toMatchObject({ inserted: 0, updated: 0, skipped: 3 });
    const hashed = await stored('legacy');
    for (const row of hashed) {
      expect(row.hashed).toBe(true);
      expect(row).toMatchObject({ title: before.get(row.external_id)?.title });
    }
    expect(await run(feed, 'legacy')).toMatchObject({ skipped: 3 });
    expect(await stored('legacy')).toEqual(hashed);
  });

  it("undoes an API edit of an imported job on the next import (the feed's version wins)", async () => {
    await run(feed, 'edited');
    const [job] = await ctx.database.superuserQuery<{ id: string }>(
      "select id from jobs where source = 'edited' and external_id = 'f-1'",
    );
    const admin = await signedInAdmin(ctx.database.db);
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/jobs/${job?.id}`,
      headers: admin.headers,
      payload: { title: 'Tram Driver (edited)' },
    });
    expect(res.statusCode).toBe(200);

    expect(await run(feed, 'edited')).toMatchObject({ updated: 1, skipped: 2 });
    expect(byId(await stored('edited')).get('f-1')).toMatchObject({ title: 'Tram Driver', hashed: true });
  });

  it('counts each row once when a refused batch is retried row by row', async () => {
    await ctx.database.superuserQuery(
      "alter table jobs add constraint test_refused check (title <> 'Refused Row') not valid",
    );
    try {
      const rows = [feed[0] as object, { ...feed[1], title: 'Refused Row' }, feed[2] as object];
      const first = await run(rows, 'refused');
      expect(first).toMatchObject({ inserted: 2, updated: 0, skipped: 0, rejected: 1 });
      expect(first.errors).toEqual([{ line: 2, reason: 'The database refused the row (test_refused).' }]);
      // Its batch (f-1 unchanged, the refused row) is retried again: f-1 is counted once.
      expect(await run(rows, 'refused')).toMatchObject({ inserted: 0, updated: 0, skipped: 2, rejected: 1 });
    } finally {
      await ctx.database.superuserQuery('alter table jobs drop constraint test_refused');
    }
  });
});
