/** Authentication core: session and API-key resolution through real HTTP requests. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, userSessions } from '../../src/db/schema/index.ts';
import { generateApiKey, isValidApiKey, sha256Hex } from '../../src/lib/tokens.ts';
import { resolveApiKey } from '../../src/modules/auth/api-key-auth.ts';
import { resolveSession } from '../../src/modules/auth/sessions.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInUser } from '../helpers/auth.ts';
import { createUser } from '../helpers/factories.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

describe('API key format', () => {
  it('generates keys that validate, and rejects any single-character change', () => {
    const { key, prefix, hash } = generateApiKey();
    expect(key).toMatch(/^jobr_[0-9A-Za-z]{40}_[0-9A-Za-z]{6}$/);
    expect(prefix).toBe(key.slice(0, 12));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(isValidApiKey(key)).toBe(true);
    const flipped = key.slice(0, 10) + (key[10] === 'a' ? 'b' : 'a') + key.slice(11);
    expect(isValidApiKey(flipped)).toBe(false);
    expect(isValidApiKey('jobr_short_abcdef')).toBe(false);
  });
});

describe('sessions', () => {
  it('stores only the SHA-256 of the token', async () => {
    const { token, sessionId } = await signedInUser(ctx.database.db);
    const rows = await ctx.database.superuserQuery<{ session_token: string }>(
      'select session_token from user_sessions where id = $1',
      [sessionId],
    );
    expect(rows[0]?.session_token).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]?.session_token).not.toContain(token);
  });

  it('resolves a live session and refuses an expired one', async () => {
    const { token, user, sessionId } = await signedInUser(ctx.database.db);
    expect((await resolveSession(ctx.database.db, token))?.user.id).toBe(user.id);
    await ctx.database.db
      .update(userSessions)
      .set({ expiresAt: new Date(Date.now() - 1000), createdAt: new Date(Date.now() - 2000) })
      .where(eq(userSessions.id, sessionId));
    expect(await resolveSession(ctx.database.db, token)).toBeNull();
  });

  it('rejects an unknown bearer token with 401 in the error format', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { authorization: 'Bearer not-a-real-token' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('rejects a malformed Authorization header', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/healthz', headers: { authorization: 'Basic abc' } });
    expect(res.statusCode).toBe(401);
  });
});

describe('API keys', () => {
  async function keyFor(values: Partial<typeof apiKeys.$inferInsert> = {}) {
    const user = await createUser(ctx.database.db);
    const { key, hash, prefix } = generateApiKey();
    await ctx.database.db
      .insert(apiKeys)
      .values({ userId: user.id, keyHash: hash, prefix, name: 'test', permissions: ['jobs:read'], ...values });
    return { key, user };
  }

  it('resolves an active key with its scopes', async () => {
    const { key, user } = await keyFor();
    const resolved = await resolveApiKey(ctx.database.db, key);
    expect(resolved).toMatchObject({ user: { id: user.id }, scopes: ['jobs:read'] });
  });

  it('refuses revoked and expired keys', async () => {
    const revoked = await keyFor({ active: false });
    expect(await resolveApiKey(ctx.database.db, revoked.key)).toBeNull();
    const expired = await keyFor({ expiresAt: new Date(Date.now() - 1000) });
    expect(await resolveApiKey(ctx.database.db, expired.key)).toBeNull();
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { authorization: `Bearer ${expired.key}` },
    });
    expect(res.statusCode).toBe(401);
  });

  it('records last use', async () => {
    const { key } = await keyFor();
    await resolveApiKey(ctx.database.db, key);
    const [row] = await ctx.database.superuserQuery<{ last_used: Date | null }>(
      'select last_used from api_keys where key_hash = $1',
      [sha256Hex(key)],
    );
    expect(row?.last_used).not.toBeNull();
  });
});
