/** API keys through HTTP: plan gating, shown once, hashed at rest, scopes, expiry, revocation, isolation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { generateApiKey } from '../../src/lib/tokens.ts';
import { resolveApiKey } from '../../src/modules/auth/api-key-auth.ts';
import { capturingLogger, createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInAdmin, signedInUser } from '../helpers/auth.ts';

let ctx: TestContext & { close(): Promise<void> };
let log: ReturnType<typeof capturingLogger>;
beforeAll(async () => {
  log = capturingLogger();
  ctx = await createTestApp({ logger: log.logger });
});
afterAll(async () => ctx?.close());

const premium = () => signedInUser(ctx.database.db, { plan: 'Premium' });

async function createKey(headers: Record<string, string>, body: Record<string, unknown> = {}) {
  return ctx.app.inject({
    method: 'POST',
    url: '/api/v1/api-keys',
    headers,
    payload: { name: 'CI integration', permissions: ['jobs:read', 'profile:read'], ...body },
  });
}

describe('creating keys', () => {
  it('returns the key once, in the jobr_<random>_<checksum> shape, and stores only its hash', async () => {
    const owner = await premium();
    const res = await createKey(owner.headers, { permissions: ['jobs:read', 'cvs:read', 'jobs:read'] });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created.key).toMatch(/^jobr_[0-9A-Za-z]{40}_[0-9A-Za-z]{6}$/);
    expect(created).toMatchObject({
      name: 'CI integration',
      prefix: created.key.slice(0, 12),
      active: true,
      expiresAt: null,
    });
    expect(created.permissions.sort()).toEqual(['cvs:read', 'jobs:read']);

    const rows = await ctx.database.superuserQuery<{ key_hash: string }>(
      'select key_hash from api_keys where id = $1',
      [created.id],
    );
    expect(rows[0]?.key_hash).toMatch(/^[0-9a-f]{64}$/);
    const keysTable = await ctx.database.superuserQuery<{ t: string }>(
      'select row_to_json(k)::text as t from api_keys k',
    );
    expect(keysTable.map((r) => r.t).join('\n')).not.toContain(created.key);
    const audit = await ctx.database.superuserQuery<{ t: string }>(
      'select row_to_json(a)::text as t from audit_log a where record_id = $1',
      [created.id],
    );
    expect(audit).toHaveLength(1); // the creation is audited...
    expect(audit[0]?.t).not.toContain(rows[0]?.key_hash); // ...without the hash
    expect(audit[0]?.t).not.toContain(created.key);
    expect(log.text()).not.toContain(created.key);

    const list = await ctx.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: owner.headers });
    expect(list.statusCode).toBe(200);
    expect(list.json().data).toHaveLength(1);
    expect(list.json().data[0]).not.toHaveProperty('key');
    expect(JSON.stringify(list.json())).not.toContain(created.key);
  });

  it('refuses plans that do not include API keys, and lets administrators create them on any plan', async () => {
    const free = await signedInUser(ctx.database.db, { plan: 'Free' });
    const refused = await createKey(free.headers);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({
      code: 'API_KEYS_NOT_IN_PLAN',
      message: expect.stringContaining('Upgrade to Premium or Enterprise'),
      details: { plan: 'Free', upgradeTo: ['Premium', 'Enterprise'], plansUrl: '/api/v1/plans' },
    });
    // What GET /plans promises is what creation allows.
    const plans = (await ctx.app.inject({ method: 'GET', url: '/api/v1/plans' })).json().data;
    expect(Object.fromEntries(plans.map((p: { name: string; apiKeys: boolean }) => [p.name, p.apiKeys]))).toEqual({
      Free: false,
      Premium: true,
      Enterprise: true,
    });
    const premium = await signedInUser(ctx.database.db, { plan: 'Premium' });
    expect((await createKey(premium.headers)).statusCode).toBe(201);
    const admin = await signedInAdmin(ctx.database.db, { plan: 'Free' });
    expect((await createKey(admin.headers)).statusCode).toBe(201);
  });

  it('follows API_KEY_PLANS', async () => {
    const open = await createTestApp({ env: { API_KEY_PLANS: 'Free,Premium,Enterprise' } });
    try {
      const free = await signedInUser(open.database.db, { plan: 'Free' });
      const res = await open.app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: free.headers,
        payload: { name: 'k', permissions: ['jobs:read'] },
      });
      expect(res.statusCode).toBe(201);
      const plans = (await open.app.inject({ method: 'GET', url: '/api/v1/plans' })).json().data;
      expect(plans.every((p: { apiKeys: boolean }) => p.apiKeys)).toBe(true);
    } finally {
      await open.close();
    }
  });

  it.each([
    ['an unknown scope', { permissions: ['admin:everything'] }],
    ['no scopes', { permissions: [] }],
    ['an empty name', { name: '   ' }],
    ['a name over 100 characters', { name: 'x'.repeat(101) }],
    ['an expiry in the past', { expiresAt: '2001-01-01T00:00:00Z' }],
    ['an expiry that is not a date', { expiresAt: 'next tuesday' }],
  ])('refuses %s with 400', async (_label, body) => {
    const owner = await premium();
    const res = await createKey(owner.headers, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('does not let an API key manage keys: that needs a signed-in session', async () => {
    const owner = await premium();
    const { key } = (await createKey(owner.headers)).json();
    const res = await createKey({ authorization: `Bearer ${key}` });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('SESSION_REQUIRED');
  });

  it('caps the number of keys per user, also under parallel creation', async () => {
    const owner = await premium();
    const results = await Promise.all(
      Array.from({ length: 55 }, (_, i) => createKey(owner.headers, { name: `k${i}` })),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(50);
    expect(results.find((r) => r.statusCode === 409)?.json().error.code).toBe('API_KEY_LIMIT_REACHED');
  });
});

describe('using keys', () => {
  it('authenticates API calls as the owner', async () => {
    const owner = await premium();
    const { key } = (await createKey(owner.headers)).json();
    const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${key}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().id).toBe(owner.user.id);
  });

  it('rejects a key with a bad checksum without asking the database', async () => {
    const { key } = generateApiKey();
    const tampered = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    const noDatabase = new Proxy({} as Db, {
      get() {
        throw new Error('the database was queried');
      },
    });
    expect(await resolveApiKey(noDatabase, tampered)).toBeNull();
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${tampered}` },
    });
    expect(res.statusCode).toBe(401);
  });

  it('stops working at once when revoked, and when expired', async () => {
    const owner = await premium();
    const created = (await createKey(owner.headers)).json();
    const asKey = { authorization: `Bearer ${created.key}` };
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: asKey })).statusCode).toBe(200);
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/api-keys/${created.id}`,
      headers: owner.headers,
    });
    expect(del.statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: asKey })).statusCode).toBe(401);
    expect(
      (await ctx.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${created.id}`, headers: owner.headers }))
        .statusCode,
    ).toBe(404);

    const soon = (await createKey(owner.headers, { expiresAt: new Date(Date.now() + 60_000).toISOString() })).json();
    await ctx.database.superuserQuery(`update api_keys set expires_at = now() - interval '1 second' where id = $1`, [
      soon.id,
    ]);
    const expired = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${soon.key}` },
    });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an inactive key', async () => {
    const owner = await premium();
    const created = (await createKey(owner.headers)).json();
    await ctx.database.superuserQuery('update api_keys set active = false where id = $1', [created.id]);
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${created.key}` },
    });
    expect(res.statusCode).toBe(401);
  });
});

describe('isolation', () => {
  it('hides one user’s keys from another: not listed, not revocable (404), and the key keeps working', async () => {
    const alice = await premium();
    const bob = await premium();
    const bobs = (await createKey(bob.headers)).json();
    const list = await ctx.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: alice.headers });
    expect(list.json().data).toEqual([]);
    const revoke = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/api-keys/${bobs.id}`,
      headers: alice.headers,
    });
    expect(revoke.statusCode).toBe(404);
    expect(revoke.json().error.code).toBe('API_KEY_NOT_FOUND');
    const still = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${bobs.key}` },
    });
    expect(still.statusCode).toBe(200);
  });
});
