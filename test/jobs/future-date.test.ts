/** Issue 11, item 13: a posting dated more than a day ahead is refused by the API and corrected, with a warning, on import. */
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

const ahead = new Date(Date.now() + 30 * 86_400_000).toISOString();

describe('postings dated in the future', () => {
  it('are imported with the import date and a warning', async () => {
    const line = JSON.stringify({
      title: 'Time Traveller',
      company: 'Later Ltd',
      description: 'Soon.',
      id: 'f-1',
      postedDate: ahead,
    });
    const report = await importJobs(ctx.database.db, systemActor, Readable.from([Buffer.from(line)]), {
      format: 'ndjson',
      source: 'future-test',
    });
    expect(report).toMatchObject({ inserted: 1, warned: 1 });
    expect(report.warnings[0]).toMatchObject({ field: 'postedDate' });
    const [row] = await ctx.database.superuserQuery<{ ok: boolean }>(
      `select posted_date <= now() + interval '1 minute' as ok from jobs where source = 'future-test'`,
    );
    expect(row?.ok).toBe(true);
  });

  it('are refused with 400 when created through the API, and a date within a day is accepted', async () => {
    const admin = await signedInAdmin(ctx.database.db);
    const body = { title: 'Time Traveller', company: 'Later Ltd', description: 'Soon.' };
    const refused = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: admin.headers,
      payload: { ...body, postedDate: ahead },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('VALIDATION_FAILED');
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const ok = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: admin.headers,
      payload: { ...body, postedDate: soon },
    });
    expect(ok.statusCode, ok.body).toBe(201);
  });
});
