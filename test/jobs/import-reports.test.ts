/**
 * The full report of an API import (every warning and rejection) is kept and downloadable by
 * administrators as CSV or NDJSON; the import answers with its counts and the report's address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.ts';
import { retentionTask } from '../../src/tasks/retention.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInAdmin, signedInUser } from '../helpers/auth.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

// Line 2 warns (bad salary), line 3 is rejected (no title), line 4 warns with a formula-like value.
const CSV = [
  'title,company,description,salary,id',
  'Baker,Crumbs,"Bakes, early.",lots of money,r-1',
  ',Crumbs,No title.,,r-2',
  'Cook,,Cooks.,"=HYPERLINK(""x"")",r-3',
].join('\n');

async function importAsAdmin(path = '/api/v1/jobs/import') {
  const admin = await signedInAdmin(ctx.database.db);
  const res = await ctx.app.inject({
    method: 'POST',
    url: `${path}?source=reports`,
    headers: { ...admin.headers, 'content-type': 'text/csv' },
    payload: CSV,
  });
  expect(res.statusCode).toBe(200);
  return { admin, res };
}

describe('import reports', () => {
  it('answers with counts and a report URL; the report lists every warning and rejection as CSV', async () => {
    const { admin, res } = await importAsAdmin();
    const report = res.json();
    expect(report).toMatchObject({ rows: 3, inserted: 2, rejected: 1, merged: 0 });
    expect(report.reportUrl).toBe(`/api/v1/jobs/imports/${report.id}/report?format=csv`);

    const csv = await ctx.app.inject({ method: 'GET', url: report.reportUrl, headers: admin.headers });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="import-${report.id}.csv"`);
    const lines = csv.body.trimEnd().split('\n');
    expect(lines[0]).toBe('line,kind,field,value,reason');
    expect(lines).toContain('2,warning,salary,lots of money,No figure found; left empty.');
    expect(lines.some((l) => /^3,rejected,,,title: No usable title\.$/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('4,warning,company,'))).toBe(true);
    // A value a spreadsheet would run as a formula is defused.
    expect(lines).toContain(`4,warning,salary,"'=HYPERLINK(""x"")",No figure found; left empty.`);
    expect(lines.length - 1).toBe(report.warnings.length + report.errors.length);

    const ndjson = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/jobs/imports/${report.id}/report?format=ndjson`,
      headers: admin.headers,
    });
    expect(ndjson.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const issues = ndjson.body
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(issues).toContainEqual({
      line: 2,
      kind: 'warning',
      field: 'salary',
      value: 'lots of money',
      reason: 'No figure found; left empty.',
    });
    expect(issues).toContainEqual({ line: 3, kind: 'rejected', reason: 'title: No usable title.' });
  });

  it('is in the streamed import final line too', async () => {
    const { admin, res } = await importAsAdmin('/api/v1/jobs/import/stream');
    const last = JSON.parse(res.body.trimEnd().split('\n').at(-1) ?? '{}');
    expect(last.type).toBe('report');
    expect(last.report.reportUrl).toMatch(/^\/api\/v1\/jobs\/imports\/[0-9a-f-]{36}\/report\?format=csv$/);
    const csv = await ctx.app.inject({ method: 'GET', url: last.report.reportUrl, headers: admin.headers });
    expect(csv.body.trimEnd().split('\n')).toHaveLength(1 + last.report.warnings.length + last.report.errors.length);
  });

  it('is 404 for anyone but an administrator, for an unknown id, and 400 for a bad id or format', async () => {
    const { admin, res } = await importAsAdmin();
    const url = res.json().reportUrl as string;
    const user = await signedInUser(ctx.database.db);
    const asUser = await ctx.app.inject({ method: 'GET', url, headers: user.headers });
    expect(asUser.statusCode).toBe(404);
    expect(asUser.json().error.code).toBe('IMPORT_REPORT_NOT_FOUND');
    expect((await ctx.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    const unknown = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/jobs/imports/00000000-0000-4000-8000-000000000000/report',
      headers: admin.headers,
    });
    expect(unknown.statusCode).toBe(404);
    const badId = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/jobs/imports/nope/report',
      headers: admin.headers,
    });
    expect(badId.statusCode).toBe(400);
    const badFormat = await ctx.app.inject({ method: 'GET', url: url.replace('csv', 'xlsx'), headers: admin.headers });
    expect(badFormat.statusCode).toBe(400);
  });

  it('keeps what was reported when an import stops part way', async () => {
    const admin = await signedInAdmin(ctx.database.db);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/jobs/import/stream?mapping=title=Job%20Title',
      headers: { ...admin.headers, 'content-type': 'text/csv' },
      payload: 'title,company,description\nA,B,C\n',
    });
    expect(JSON.parse(res.body.trimEnd().split('\n').at(-1) ?? '{}').type).toBe('error');
    const [row] = await ctx.database.superuserQuery<{ counts: { rows: number } }>(
      'select counts from job_imports order by created_at desc limit 1',
    );
    expect(row?.counts).toMatchObject({ rows: 0 });
  });

  it('is deleted by the retention task after 30 days', async () => {
    const { admin, res } = await importAsAdmin();
    const { id, reportUrl } = res.json();
    await ctx.database.superuserQuery("update job_imports set created_at = now() - interval '31 days' where id = $1", [
      id,
    ]);
    const result = await retentionTask.run({
      db: ctx.database.db,
      config: ctx.config,
      logger: createLogger({ logLevel: 'silent', env: 'test' }),
      now: new Date(),
    });
    expect(result.importReportsDeleted).toBeGreaterThanOrEqual(1);
    expect((await ctx.app.inject({ method: 'GET', url: reportUrl, headers: admin.headers })).statusCode).toBe(404);
    const [left] = await ctx.database.superuserQuery<{ n: number }>(
      'select count(*)::int as n from job_import_issues where import_id = $1',
      [id],
    );
    expect(left?.n).toBe(0);
  });
});
