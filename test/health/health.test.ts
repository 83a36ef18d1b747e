import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

describe('health', () => {
  it('reports liveness', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('reports readiness when the database answers', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', database: ctx.database.kind });
  });

  it('answers unknown routes with the error format and the request id', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/does-not-exist' });
    expect(res.statusCode).toBe(404);
    const body = res.json();
    expect(body.error.code).toBe('ROUTE_NOT_FOUND');
    expect(body.error.requestId).toBe(res.headers['x-request-id']);
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const good = await ctx.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-12345678' } });
    expect(good.headers['x-request-id']).toBe('abc-12345678');
    const bad = await ctx.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'bad id\n<script>' },
    });
    expect(bad.headers['x-request-id']).not.toContain('script');
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("sends helmet's security headers on every reply: success, error and unknown route", async () => {
    const replies = await Promise.all([
      ctx.app.inject({ method: 'GET', url: '/healthz' }),
      ctx.app.inject({ method: 'GET', url: '/api/v1/jobs/not-a-uuid' }),
      ctx.app.inject({ method: 'GET', url: '/api/v1/does-not-exist' }),
    ]);
    expect(replies.map((r) => r.statusCode)).toEqual([200, 400, 404]);
    for (const res of replies) {
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
        'x-dns-prefetch-control': 'off',
        'x-permitted-cross-domain-policies': 'none',
        'x-xss-protection': '0',
      });
      // JSON needs no Content-Security-Policy; the web app's pages send their own.
      expect(res.headers['content-security-policy']).toBeUndefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
    // Computed once, yet each reply has its own request id.
    expect(new Set(replies.map((r) => r.headers['x-request-id'])).size).toBe(3);
  });

  it('serves the OpenAPI document and the interactive reference', async () => {
    const doc = await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(doc.statusCode).toBe(200);
    expect(doc.json().paths['/readyz']).toBeDefined();
    const ui = await ctx.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });
});

describe('the OpenAPI document', () => {
  it('lists every endpoint with its request and response schemas', async () => {
    const { paths } = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const expected = [
      'post /api/v1/auth/register',
      'post /api/v1/auth/login',
      'post /api/v1/auth/logout',
      'post /api/v1/auth/logout-all',
      'get /api/v1/me',
      'patch /api/v1/me',
      'delete /api/v1/me',
      'get /api/v1/me/sessions',
      'delete /api/v1/me/sessions/{id}',
      'post /api/v1/auth/verify-email/request',
      'post /api/v1/auth/password-reset/confirm',
      'get /api/v1/auth/oauth/providers',
      'get /api/v1/auth/oauth/{provider}/callback',
      'post /api/v1/api-keys',
      'get /api/v1/api-keys',
      'delete /api/v1/api-keys/{id}',
      'get /api/v1/jobs',
      'post /api/v1/jobs',
      'get /api/v1/jobs/{id}',
      'patch /api/v1/jobs/{id}',
      'delete /api/v1/jobs/{id}',
      'post /api/v1/jobs/import',
      'post /api/v1/jobs/import-url',
      'get /api/v1/jobs/imports/{id}/report',
      'put /api/v1/jobs/{id}/bookmark',
      'delete /api/v1/jobs/{id}/bookmark',
      'get /api/v1/bookmarks',
      'post /api/v1/cvs',
      'get /api/v1/cvs',
      'get /api/v1/cvs/search',
      'get /api/v1/cvs/{id}',
      'get /api/v1/cvs/{id}/file',
      'delete /api/v1/cvs/{id}',
    ];
    for (const operation of expected) {
      const [method, path] = operation.split(' ') as [string, string];
      const op = paths[path]?.[method];
      expect(op, operation).toBeDefined();
      const statuses = Object.keys(op.responses);
      expect(
        statuses.some((s) => /^[23]/.test(s)),
        `${operation} success response`,
      ).toBe(true);
      // Anything that takes input documents how bad input is answered.
      if (op.parameters?.length || op.requestBody) {
        expect(
          statuses.some((s) => s.startsWith('4')),
          `${operation} error responses`,
        ).toBe(true);
      }
    }
    // Every operation the server publishes has a summary and responses.
    for (const [path, ops] of Object.entries<Record<string, { summary?: string; responses?: object }>>(paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.responses, `${method} ${path}`).toBeDefined();
        if (path.startsWith('/api/v1')) expect(op.summary, `${method} ${path} summary`).toBeTruthy();
      }
    }
  });
});

describe('readiness without a database', () => {
  it('returns 503 DATABASE_UNAVAILABLE once the database is gone', async () => {
    const other = await createTestApp();
    await other.database.close();
    const res = await other.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('DATABASE_UNAVAILABLE');
    await other.app.close();
  });
});
