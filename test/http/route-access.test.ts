/**
 * Who may call each route is declared on the route and checked before the body is validated: an anonymous
 * caller, or a signed-in non-administrator on an administrators' route, learns nothing about a route's
 * fields. The routes come from the OpenAPI document, so a new route is covered without editing this file;
 * the list of public operations is spelled out so that opening a route is a visible decision.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInUser } from '../helpers/auth.ts';

type Operation = { security?: Array<Record<string, string[]>>; summary?: string; requestBody?: unknown };
type Doc = {
  servers: { url: string }[];
  components: { securitySchemes: Record<string, { type: string }> };
  paths: Record<string, Record<string, Operation>>;
};

const PUBLIC_OPERATIONS = [
  'GET /api/v1/applications/workflow',
  'GET /api/v1/auth/oauth/providers',
  'GET /api/v1/auth/oauth/{provider}/callback',
  'GET /api/v1/auth/oauth/{provider}/start',
  'GET /api/v1/jobs',
  'GET /api/v1/jobs/{id}',
  'GET /api/v1/plans',
  'GET /api/v1/saved-searches/unsubscribe',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/oauth/link',
  'POST /api/v1/auth/password-reset/confirm',
  'POST /api/v1/auth/password-reset/request',
  'POST /api/v1/auth/register',
  'POST /api/v1/auth/verify-email/confirm',
  'POST /api/v1/billing/webhooks/phonepe',
  'POST /api/v1/billing/webhooks/stripe',
];

let ctx: TestContext & { close(): Promise<void> };
let doc: Doc;
let operations: { method: string; path: string; url: string; op: Operation }[];
beforeAll(async () => {
  ctx = await createTestApp();
  doc = ctx.app.swagger() as unknown as Doc;
  operations = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/v1/'))
    .flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        // Any well-formed id: access is decided before the route looks anything up.
        url: path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000'),
        op,
      })),
    );
});
afterAll(async () => ctx?.close());

const malformed = { payload: '{"unexpected": [1, 2', headers: { 'content-type': 'application/json' } };

describe('route access', () => {
  it('declares the security schemes and a relative server URL in the OpenAPI document', () => {
    expect(doc.servers).toEqual([{ url: '/' }]);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'sessionCookie']);
  });

  it('marks every operation but the listed public ones as needing a caller', () => {
    const open = operations.filter((o) => !o.op.security).map((o) => `${o.method} ${o.path}`);
    expect(open.sort()).toEqual(PUBLIC_OPERATIONS);
  });

  it('names the API-key scope on the operations that need one', () => {
    const createCv = operations.find((o) => o.method === 'POST' && o.path === '/api/v1/cvs');
    expect(createCv?.op.security).toEqual([{ sessionCookie: [] }, { bearer: ['cvs:write'] }]);
  });

  it('answers 401 to an anonymous caller before looking at the body, on every protected operation', async () => {
    const protectedOps = operations.filter((o) => o.op.security);
    expect(protectedOps.length).toBeGreaterThan(40);
    for (const o of protectedOps) {
      const res = await ctx.app.inject({ method: o.method as 'POST', url: o.url, ...malformed });
      expect(res.statusCode, `${o.method} ${o.path}`).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('answers 403 to a signed-in non-administrator on administrators’ routes, before validation', async () => {
    const { headers } = await signedInUser(ctx.database.db);
    for (const [method, url] of [
      ['POST', '/api/v1/jobs'],
      ['POST', '/api/v1/jobs/import-url'],
    ] as const) {
      const res = await ctx.app.inject({ method, url, headers: { ...headers, ...malformed.headers }, payload: '{' });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
  });

  it('still validates the body of a caller who may use the route', async () => {
    const { headers } = await signedInUser(ctx.database.db);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/saved-searches',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: { nonsense: true },
    });
    expect(res.statusCode).toBe(400);
  });
});
