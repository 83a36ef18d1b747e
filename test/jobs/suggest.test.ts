/** "Did you mean": a text search that finds nothing suggests the query with its unknown words corrected. */
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/db/context.ts';
import { importJobs } from '../../src/modules/jobs/import/import.service.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInAdmin } from '../helpers/auth.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
  const rows = [
    { id: 's-1', title: 'Python Developer', company: 'Snakeworks', description: 'Write services.' },
    { id: 's-2', title: 'Kubernetes Administrator', company: 'Helmsmen', description: 'Clusters.' },
    { id: 's-3', title: 'Accountant', company: 'Ledger Ltd', description: 'Reconcile pythonic ledgers.' },
  ];
  await importJobs(
    ctx.database.db,
    systemActor,
    Readable.from([Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n'))]),
    { format: 'ndjson', source: 'suggest' },
  );
});
afterAll(async () => ctx?.close());

const search = (query: string) => ctx.app.inject({ method: 'GET', url: `/api/v1/jobs?${query}` });

describe('GET /api/v1/jobs suggestion', () => {
  it('suggests known words for misspelt ones when nothing matches', async () => {
    const res = await search('q=pyhton');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ data: [], suggestion: { query: 'python' } });
    const followed = await search(`q=${encodeURIComponent(res.json().suggestion.query)}`);
    expect(followed.json().data.map((j: { title: string }) => j.title)).toContain('Python Developer');

    // Known words stay as typed; only the unknown one changes.
    const two = await search(`q=${encodeURIComponent('Kuberntes administrator')}`);
    expect(two.json().data).toEqual([]);
    expect(two.json().suggestion).toEqual({ query: 'kubernetes administrator' });

    // Words the search ignores (stop words) are never "corrected".
    const stop = await search(`q=${encodeURIComponent('pyhton for this')}`);
    expect(stop.json().suggestion).toEqual({ query: 'python for this' });
  });

  it('offers nothing when results exist, when nothing is similar, without q, and on later pages', async () => {
    expect((await search('q=python')).json()).not.toHaveProperty('suggestion');
    expect((await search('q=zzqqxxw')).json()).not.toHaveProperty('suggestion');
    expect((await search('q=%2B%2B%2B')).json()).not.toHaveProperty('suggestion');
    expect((await search('location=Nowhere')).json()).not.toHaveProperty('suggestion');
    // A filter that excludes everything: the words are known, so there is nothing to correct.
    expect((await search('q=python&remote=true')).json()).not.toHaveProperty('suggestion');
  });

  it('learns words from jobs written through the API', async () => {
    const admin = await signedInAdmin(ctx.database.db);
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: admin.headers,
      payload: { title: 'Cartographer', company: 'Atlas', description: 'Maps.' },
    });
    expect(created.statusCode).toBe(201);
    expect((await search('q=cartografer')).json().suggestion).toEqual({ query: 'cartographer' });
  });

  it('the vocabulary is written only in the administrator context', async () => {
    const [row] = await ctx.database.superuserQuery<{ n: number }>(
      "select count(*)::int as n from job_words where word in ('python', 'snakeworks', 'kubernetes')",
    );
    expect(row?.n).toBe(3);
    await expect(
      ctx.database.db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('role', 'jobr_app', true)`);
        await tx.execute(sql`insert into job_words (word) values ('spam')`);
      }),
    ).rejects.toThrow();
  });
});
