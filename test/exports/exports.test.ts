/** The seeker's data export: requested, built in the background, complete, secret-free, theirs alone. */
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStorage } from '../../src/modules/cvs/storage.ts';
import { buildNextExport, deleteExpiredExports } from '../../src/modules/exports/exports.service.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInUser } from '../helpers/auth.ts';
import { multipartBody } from '../helpers/documents.ts';
import { createJob } from '../helpers/factories.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

type Headers = Record<string, string>;
const api = (method: 'GET' | 'POST', url: string, headers: Headers = {}, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
const storage = () => fileStorage(ctx.config, ctx.database.db);
const buildAll = async (now = new Date()) => {
  while (await buildNextExport(ctx.database.db, storage(), now)) {
    /* build every pending export */
  }
};

const CV_TEXT =
  'Alex Example\nalex@example.test\n\nExperience\nData Engineer, Example Corp, 2020 - 2024\nSkills: Python, SQL\n';

describe('data export', () => {
  it('holds every row about the user and the original CV file, without secrets', async () => {
    const me = await signedInUser(ctx.database.db, { passwordHash: 'not-a-real-hash' });
    const { payload, headers } = multipartBody({ name: 'alex.txt', type: 'text/plain', bytes: Buffer.from(CV_TEXT) });
    const cv = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/cvs',
      headers: { ...me.headers, ...headers },
      payload,
    });
    expect(cv.statusCode, cv.body).toBe(201);
    const job = await createJob(ctx.database.db);
    const applied = await api('POST', '/applications', me.headers, { jobId: job.id, cvId: cv.json().id });
    await api('POST', `/applications/${applied.json().id}/notes`, me.headers, { body: 'Sent a thank-you note' });
    await api('POST', '/saved-searches', me.headers, { name: 'Data jobs', query: { q: 'data' } });

    const requested = await api('POST', '/me/exports', me.headers);
    expect(requested.statusCode, requested.body).toBe(202);
    expect(requested.json()).toMatchObject({ status: 'pending', sizeBytes: null });
    // Asking again while it is pending gives the same export.
    expect((await api('POST', '/me/exports', me.headers)).json().id).toBe(requested.json().id);
    const early = await api('GET', `/me/exports/${requested.json().id}/download`, me.headers);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('EXPORT_NOT_READY');

    await buildAll();
    const status = await api('GET', `/me/exports/${requested.json().id}`, me.headers);
    expect(status.json()).toMatchObject({
      status: 'ready',
      sizeBytes: expect.any(Number),
      expiresAt: expect.any(String),
    });

    const download = await api('GET', `/me/exports/${requested.json().id}/download`, me.headers);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    const archive = await JSZip.loadAsync(download.rawPayload);
    const read = async (name: string) => JSON.parse((await archive.file(name)?.async('string')) ?? 'null');

    expect(await archive.file('README.txt')?.async('string')).toContain('Format version 1');
    const [user] = await read('data/users.json');
    expect(user).toMatchObject({ id: me.user.id, email: me.user.email });
    expect(user).not.toHaveProperty('password_hash');
    const sessions = await read('data/user_sessions.json');
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).not.toHaveProperty('session_token');
    expect((await read('data/applications.json')).map((a: { id: string }) => a.id)).toEqual([applied.json().id]);
    expect((await read('data/application_status_history.json')).map((h: { status: string }) => h.status)).toEqual([
      'submitted',
    ]);
    expect((await read('data/application_notes.json'))[0].body).toBe('Sent a thank-you note');
    expect((await read('data/saved_searches.json'))[0].name).toBe('Data jobs');
    expect((await read('data/usage_tracking.json')).map((u: { action_type: string }) => u.action_type).sort()).toEqual([
      'cv_upload',
      'job_application',
    ]);
    const cvFile = archive.file(`cvs/${cv.json().id}-alex.txt`);
    expect(await cvFile?.async('string')).toBe(CV_TEXT);
    // Nothing of anyone else.
    const everything = JSON.stringify(
      await Promise.all(Object.keys(archive.files).map((n) => archive.file(n)?.async('string'))),
    );
    expect(everything).not.toContain('not-a-real-hash');
  });

  it('is invisible to other users and refuses anonymous callers', async () => {
    const me = await signedInUser(ctx.database.db);
    const requested = (await api('POST', '/me/exports', me.headers)).json();
    await buildAll();
    const other = await signedInUser(ctx.database.db);
    expect((await api('GET', `/me/exports/${requested.id}`, other.headers)).statusCode).toBe(404);
    expect((await api('GET', `/me/exports/${requested.id}/download`, other.headers)).statusCode).toBe(404);
    expect((await api('GET', '/me/exports', other.headers)).json().data).toEqual([]);
    expect((await api('POST', '/me/exports')).statusCode).toBe(401);
    expect((await api('GET', '/me/exports/not-a-uuid', me.headers)).statusCode).toBe(400);
  });

  it('deletes expired exports and their files', async () => {
    const me = await signedInUser(ctx.database.db);
    const requested = (await api('POST', '/me/exports', me.headers)).json();
    await buildAll();
    expect(
      await deleteExpiredExports(ctx.database.db, storage(), new Date(Date.now() + 8 * 86_400_000)),
    ).toBeGreaterThanOrEqual(1);
    expect((await api('GET', `/me/exports/${requested.id}`, me.headers)).statusCode).toBe(404);
    // Gone from the store, whichever it is (ENOENT on disk, no row in the database).
    await expect(storage().get(`exports/${requested.id}`).toArray()).rejects.toThrow(/ENOENT|no stored file/);
  });
});
