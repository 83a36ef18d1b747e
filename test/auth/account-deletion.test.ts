/**
 * Issue 11, item 8: deleting an account leaves nothing of the user behind, in any table that points at
 * users and in the file store (original CVs, data exports).
 */
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FileStorage, fileStorage } from '../../src/modules/cvs/storage.ts';
import { buildNextExport } from '../../src/modules/exports/exports.service.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { multipartBody } from '../helpers/documents.ts';
import { createJob } from '../helpers/factories.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

const PASSWORD = 'correct horse battery staple';
type Headers = Record<string, string>;
const api = (method: 'GET' | 'POST' | 'DELETE', url: string, headers: Headers = {}, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

/** Every stored file's key, in whichever store the configuration uses (the folder or stored_files). */
async function storedKeys(): Promise<string[]> {
  if (ctx.config.storage === 'database')
    return (await ctx.database.superuserQuery<{ key: string }>('select key from stored_files')).map((r) => r.key);
  const root = ctx.config.fileStorageDir;
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)));
}

async function accountWithFiles(email: string) {
  const reg = await api('POST', '/auth/register', {}, { name: 'Gone Soon', email, password: PASSWORD });
  expect(reg.statusCode).toBe(201);
  const headers = { authorization: `Bearer ${reg.json().token}` };
  const userId = reg.json().user.id as string;
  const cvText = 'Gone Soon\ngone@example.test\n\nExperience\nData Engineer, Example Corp, 2020 - 2024\n';
  const { payload, headers: mp } = multipartBody({ name: 'cv.txt', type: 'text/plain', bytes: Buffer.from(cvText) });
  const cv = await ctx.app.inject({ method: 'POST', url: '/api/v1/cvs', headers: { ...headers, ...mp }, payload });
  expect(cv.statusCode, cv.body).toBe(201);
  const job = await createJob(ctx.database.db);
  expect((await api('POST', '/applications', headers, { jobId: job.id, cvId: cv.json().id })).statusCode).toBe(201);
  expect((await api('POST', '/saved-searches', headers, { name: 'Data', query: { q: 'data' } })).statusCode).toBe(201);
  expect((await api('POST', '/me/exports', headers)).statusCode).toBe(202);
  while (await buildNextExport(ctx.database.db, fileStorage(ctx.config, ctx.database.db), new Date())) {
    /* build the pending export */
  }
  return { userId, headers, cvId: cv.json().id as string };
}

/** Every column that references users(id), found from the catalogue so a new table is covered too. */
async function userReferences(): Promise<Array<{ table: string; column: string }>> {
  return ctx.database.superuserQuery<{ table: string; column: string }>(
    `select cl.relname as "table", a.attname as "column"
       from pg_constraint c
       join pg_class cl on cl.oid = c.conrelid
       join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
      where c.contype = 'f' and c.confrelid = 'users'::regclass`,
  );
}

describe('deleting an account', () => {
  it('removes every row that points at the user and every file of theirs, and nothing of anyone else', async () => {
    const other = await accountWithFiles(`keep.${Date.now()}@example.test`);
    const before = await storedKeys();
    const gone = await accountWithFiles(`gone.${Date.now()}@example.test`);
    const theirs = (await storedKeys()).filter((f) => !before.includes(f));
    expect(theirs.length).toBeGreaterThanOrEqual(2); // the CV and the export

    const del = await api('DELETE', '/me', gone.headers, { currentPassword: PASSWORD, confirm: 'DELETE' });
    expect(del.statusCode).toBe(204);

    const after = await storedKeys();
    for (const file of theirs) expect(after, file).not.toContain(file);
    for (const file of before) expect(after, file).toContain(file);

    const refs = await userReferences();
    expect(refs.length).toBeGreaterThan(5);
    for (const { table, column } of refs) {
      const rows = await ctx.database.superuserQuery(`select 1 from "${table}" where "${column}" = $1`, [gone.userId]);
      // The audit log keeps who did what (decision 002); everything else of theirs is gone.
      if (table !== 'audit_log') expect(rows, `${table}.${column}`).toHaveLength(0);
    }
    expect(await ctx.database.superuserQuery('select 1 from users where id = $1', [gone.userId])).toHaveLength(0);
    // The other account is untouched.
    expect((await api('GET', `/cvs/${other.cvId}`, other.headers)).statusCode).toBe(200);
  });

  it('leaves no export file or row when the account is deleted while its export is being built (item 8 race)', async () => {
    const reg = await api(
      'POST',
      '/auth/register',
      {},
      { name: 'Racing', email: `race.${Date.now()}@example.test`, password: PASSWORD },
    );
    const headers = { authorization: `Bearer ${reg.json().token}` };
    const userId = reg.json().user.id as string;
    const requested = await api('POST', '/me/exports', headers);
    expect(requested.statusCode).toBe(202);
    const exportId = requested.json().id as string;

    // The two interleaved: the export's data is read, then — before its file is written — the account
    // is deleted (rows committed, known files removed), then the build writes the file and finishes.
    const real = fileStorage(ctx.config, ctx.database.db);
    let deleted = false;
    const racing: FileStorage = {
      ...real,
      async put(key, bytes, ownerId) {
        if (key.startsWith('exports/') && !deleted) {
          deleted = true;
          const del = await api('DELETE', '/me', headers, { currentPassword: PASSWORD, confirm: 'DELETE' });
          expect(del.statusCode).toBe(204);
        }
        await real.put(key, bytes, ownerId);
      },
    };
    while (await buildNextExport(ctx.database.db, racing, new Date())) {
      /* build every pending export */
    }
    expect(deleted).toBe(true);
    expect(await storedKeys()).not.toContain(`exports/${exportId}`);
    expect(await ctx.database.superuserQuery('select 1 from data_exports where user_id = $1', [userId])).toHaveLength(
      0,
    );
  });

  it('keeps the file of an export that another build already finished', async () => {
    const reg = await api(
      'POST',
      '/auth/register',
      {},
      { name: 'Twice', email: `twice.${Date.now()}@example.test`, password: PASSWORD },
    );
    const headers = { authorization: `Bearer ${reg.json().token}` };
    const exportId = (await api('POST', '/me/exports', headers)).json().id as string;
    // A second process builds the same export while this one writes its file: both finish.
    const real = fileStorage(ctx.config, ctx.database.db);
    let nested = false;
    const twice: FileStorage = {
      ...real,
      async put(key, bytes, ownerId) {
        if (!nested) {
          nested = true;
          expect(await buildNextExport(ctx.database.db, real, new Date())).toBe(true);
        }
        await real.delete(key);
        await real.put(key, bytes, ownerId);
      },
    };
    expect(await buildNextExport(ctx.database.db, twice, new Date())).toBe(true);
    expect(await storedKeys()).toContain(`exports/${exportId}`);
    const list = await api('GET', '/me/exports', headers);
    expect(list.json().data[0]).toMatchObject({ id: exportId, status: 'ready' });
  });

  it('removes nothing when the password is wrong', async () => {
    const before = await storedKeys();
    const kept = await accountWithFiles(`kept.${Date.now()}@example.test`);
    const files = (await storedKeys()).filter((f) => !before.includes(f));
    const del = await api('DELETE', '/me', kept.headers, { currentPassword: 'wrong password', confirm: 'DELETE' });
    expect(del.statusCode).toBe(403);
    const after = await storedKeys();
    for (const file of files) expect(after).toContain(file);
  });
});
