/**
 * The same posting under two ids of one source (an internal and an external listing) is one job: the
 * first id stays, with the earliest posted date (docs/jobs.md, "Duplicates").
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/db/context.ts';
import { contentKeyOf, importJobs } from '../../src/modules/jobs/import/import.service.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

const ndjson = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n');
const run = (rows: object[], source: string, batchSize?: number) =>
  importJobs(ctx.database.db, systemActor, Readable.from([Buffer.from(ndjson(rows))]), {
    format: 'ndjson',
    source,
    ...(batchSize ? { batchSize } : {}),
  });
const jobsOf = (source: string) =>
  ctx.database.superuserQuery<{ external_id: string; title: string; posted_date: Date }>(
    'select external_id, title, posted_date from jobs where source = $1 order by external_id',
    [source],
  );

const posting = {
  title: 'Clerk Typist',
  company: 'Dept of Finance',
  location: 'New York, NY',
  description: 'Types letters.\nFiles records.',
};

describe('one posting under two ids of a source', () => {
  it('is one job within a file: the first id, the earliest date, counted as merged', async () => {
    const report = await run(
      [
        { ...posting, id: 'internal-7', postedDate: '2025-03-10' },
        { ...posting, id: 'external-7', postedDate: '2025-03-01', title: '  clerk   TYPIST ' },
        { ...posting, id: 'other', description: 'A different posting.' },
      ],
      'city',
    );
    expect(report).toMatchObject({ rows: 3, inserted: 2, merged: 1, skipped: 0 });
    const stored = await jobsOf('city');
    expect(stored.map((j) => j.external_id)).toEqual(['internal-7', 'other']);
    expect(stored[0]?.posted_date.toISOString()).toBe('2025-03-01T00:00:00.000Z');
  });

  it('is one job across batches and imports, and a re-import writes nothing', async () => {
    const rows = [
      { ...posting, id: 'a-1', postedDate: '2025-05-10' },
      { ...posting, id: 'a-2', title: 'Other role', description: 'Else.' },
      { ...posting, id: 'b-1', postedDate: '2025-05-02' },
    ];
    const first = await run(rows, 'batches', 2);
    expect(first).toMatchObject({ inserted: 2, merged: 1 });
    const stored = await jobsOf('batches');
    expect(stored.map((j) => j.external_id)).toEqual(['a-1', 'a-2']);
    expect(stored[0]?.posted_date.toISOString()).toBe('2025-05-02T00:00:00.000Z');

    const again = await run(rows, 'batches', 2);
    expect(again).toMatchObject({ inserted: 0, updated: 0, skipped: 2, merged: 1 });
    expect(await jobsOf('batches')).toEqual(stored);
  });

  it('keeps postings of other sources, and different text, apart', async () => {
    await run([{ ...posting, id: 'x-1' }], 'board-a');
    const other = await run([{ ...posting, id: 'x-2' }], 'board-b');
    expect(other).toMatchObject({ inserted: 1, merged: 0 });
    const near = await run(
      [
        { ...posting, id: 'n-1' },
        { ...posting, id: 'n-2', location: 'Brooklyn, NY' },
        { ...posting, id: 'n-3', company: 'Dept of Health' },
        { ...posting, id: 'n-4', description: 'Types letters. Files records and more.' },
      ],
      'near',
    );
    expect(near).toMatchObject({ inserted: 4, merged: 0 });
  });

  it('two rows that become the same posting in one batch: the later one is merged, not an error', async () => {
    await run([{ ...posting, id: 'p-1' }], 'moving');
    // p-1 still stored; p-2 arrives with p-1's text and p-1 arrives changed: both are written once.
    const report = await run(
      [
        { ...posting, id: 'p-1', description: 'Now a new text.' },
        { ...posting, id: 'p-2' },
      ],
      'moving',
    );
    expect(report).toMatchObject({ rejected: 0, updated: 1, merged: 1 });
    expect((await jobsOf('moving')).map((j) => j.external_id)).toEqual(['p-1']);
  });

  it('normalises case and spaces only', () => {
    const base = { title: 'A  b', company: 'C', location: null, description: 'D\n e' };
    expect(contentKeyOf(base)).toBe(contentKeyOf({ ...base, title: 'a b', description: 'd e' }));
    expect(contentKeyOf(base)).not.toBe(contentKeyOf({ ...base, location: 'X' }));
    expect(contentKeyOf(base)).toMatch(/^[0-9a-f]{64}$/);
  });
});
