/**
 * Issue 11, item 14: each route an API key can reach requires the scope matching what it reads or writes,
 * and a route that names none cannot be registered (the server refuses to start).
 */
import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authPlugin } from '../../src/http/auth.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInUser } from '../helpers/auth.ts';
import { createJob } from '../helpers/factories.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const call = (method: Method, url: string, key: string, payload?: object) =>
  ctx.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: `Bearer ${key}` },
    ...(payload ? { payload } : {}),
  });

async function keyWith(headers: Record<string, string>, permissions: string[]) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/api-keys',
    headers,
    payload: { name: permissions.join(' '), permissions },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().key as string;
}

describe('API-key scopes', () => {
  it('keeps a jobs:read key out of the profile, verification requests and bookmarks', async () => {
    const owner = await signedInUser(ctx.database.db, { plan: 'Premium', email: `scopes.${Date.now()}@example.test` });
    const job = await createJob(ctx.database.db);
    const jobsOnly = await keyWith(owner.headers, ['jobs:read']);
    for (const [method, url, scope] of [
      ['GET', '/me', 'profile:read'],
      ['GET', '/me/usage', 'profile:read'],
      ['POST', '/auth/verify-email/request', 'profile:write'],
      ['PUT', `/jobs/${job.id}/bookmark`, 'bookmarks:write'],
      ['DELETE', `/jobs/${job.id}/bookmark`, 'bookmarks:write'],
      ['GET', '/bookmarks', 'bookmarks:read'],
    ] as const) {
      const res = await call(method, url, jobsOnly);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error.details, `${method} ${url}`).toMatchObject({ requiredScope: scope });
    }
    expect((await call('GET', `/jobs/${job.id}`, jobsOnly)).statusCode).toBe(200);

    const profile = await keyWith(owner.headers, ['profile:read', 'bookmarks:read', 'bookmarks:write']);
    expect((await call('GET', '/me', profile)).statusCode).toBe(200);
    const put = await call('PUT', `/jobs/${job.id}/bookmark`, profile);
    expect(put.statusCode, put.body).toBeLessThan(300);
    expect((await call('GET', '/bookmarks', profile)).statusCode).toBe(200);
  });

  it('refuses to register a route an API key could call without naming a scope', async () => {
    const app = Fastify();
    await app.register(cookie);
    await app.register(authPlugin, { database: ctx.database, config: ctx.config });
    expect(() => app.get('/api/v1/forgot-the-scope', async () => ({ ok: true }))).toThrow(/needs config\.scope/);
    await app.close().catch(() => undefined);

    const fine = Fastify();
    await fine.register(cookie);
    await fine.register(authPlugin, { database: ctx.database, config: ctx.config });
    fine.get('/api/v1/named', { config: { auth: 'user', scope: 'profile:read' } }, async () => ({ ok: true }));
    fine.get('/api/v1/session-only', { config: { auth: 'session' } }, async () => ({ ok: true }));
    fine.get('/api/v1/no-keys', { config: { auth: 'admin', apiKeys: false } }, async () => ({ ok: true }));
    await expect(fine.ready()).resolves.toBeDefined();
    await fine.close();
  });
});
