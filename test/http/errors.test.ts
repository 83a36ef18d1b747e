/** The one error format, for every kind of failure the HTTP layer can meet. */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type App, buildApp } from '../../src/app.ts';
import { AppError, ERROR_CODES } from '../../src/lib/errors.ts';
import { testConfig } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let app: App;
let database: TestDatabase;

// Routes that exist only in this test, to drive each failure path through the real error handler.
const probeRoutes: FastifyPluginAsyncZod = async (api) => {
  api.post(
    '/probe/echo',
    { schema: { body: z.object({ name: z.string().min(1).max(10), count: z.number().int() }) } },
    async (request) => request.body,
  );
  api.get('/probe/app-error', async () => {
    throw new AppError('CONFLICT', { message: 'Already there.', details: { field: 'x' } });
  });
  api.get('/probe/crash', async () => {
    throw new Error('secret internal detail');
  });
  api.get('/probe/unique', async () => {
    await database.db.execute(sql`insert into job_categories (name) values ('dup'), ('dup')`);
  });
  api.get('/probe/bad-output', { schema: { response: { 200: z.object({ ok: z.boolean() }) } } }, async () => {
    return { ok: 'yes' } as unknown as { ok: boolean };
  });
};

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildApp({ config: testConfig(), database });
  await app.register(probeRoutes);
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const errorOf = (res: { json(): unknown }) => (res.json() as { error: Record<string, unknown> }).error;

describe('error format', () => {
  it('reports validation failures as 400 VALIDATION_FAILED with field details', async () => {
    const res = await app.inject({ method: 'POST', url: '/probe/echo', payload: { name: '', count: 1.5 } });
    expect(res.statusCode).toBe(400);
    const error = errorOf(res);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(error.details)).toContain('name');
    expect(JSON.stringify(error.details)).toContain('count');
    expect(error.requestId).toBe(res.headers['x-request-id']);
  });

  it('reports malformed JSON as 400 BAD_REQUEST', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/probe/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "x",',
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('BAD_REQUEST');
  });

  it('reports an unsupported content type as 415', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/probe/echo',
      headers: { 'content-type': 'application/x-unknown' },
      payload: 'x',
    });
    expect(res.statusCode).toBe(415);
    expect(errorOf(res).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('reports a body over the limit as 413', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/probe/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2_000_000), count: 1 }),
    });
    expect(res.statusCode).toBe(413);
    expect(errorOf(res).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('renders an AppError with its code, message and details', async () => {
    const res = await app.inject({ method: 'GET', url: '/probe/app-error' });
    expect(res.statusCode).toBe(409);
    expect(errorOf(res)).toMatchObject({ code: 'CONFLICT', message: 'Already there.', details: { field: 'x' } });
  });

  it('hides internal errors behind 500 INTERNAL with the request id', async () => {
    const res = await app.inject({ method: 'GET', url: '/probe/crash' });
    expect(res.statusCode).toBe(500);
    expect(errorOf(res).code).toBe('INTERNAL');
    expect(res.body).not.toContain('secret internal detail');
  });

  it('maps an unanticipated unique violation to 409 CONFLICT, not 500', async () => {
    const res = await app.inject({ method: 'GET', url: '/probe/unique' });
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('CONFLICT');
  });

  it('never sends a response that breaks its schema', async () => {
    const res = await app.inject({ method: 'GET', url: '/probe/bad-output' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('yes');
  });
});

describe('error code reference', () => {
  it('documents every error code in docs/api-errors.md', () => {
    const doc = readFileSync(new URL('../../docs/api-errors.md', import.meta.url), 'utf8');
    const missing = ERROR_CODES.filter((code) => !new RegExp(`^\\| \`${code}\` +\\|`, 'm').test(doc));
    expect(missing).toEqual([]);
  });
});

describe('unknown routes and methods', () => {
  it('answers 404 ROUTE_NOT_FOUND for a path no route has', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('ROUTE_NOT_FOUND');
  });

  it('answers 405 with an Allow header for a known path and the wrong method, path parameters included', async () => {
    const list = await app.inject({ method: 'PUT', url: '/api/v1/jobs' });
    expect(list.statusCode).toBe(405);
    expect(errorOf(list).code).toBe('METHOD_NOT_ALLOWED');
    expect(String(list.headers.allow).split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);

    const one = await app.inject({ method: 'POST', url: '/api/v1/cvs/00000000-0000-4000-8000-000000000000?x=1' });
    expect(one.statusCode).toBe(405);
    expect(errorOf(one).details).toEqual({ allowed: expect.arrayContaining(['GET', 'DELETE']) });
  });
});
