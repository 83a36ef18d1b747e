/**
 * Issue 11, items 4 and 5: a reset by phone reveals nothing about the number, and credentials end when
 * they should (a password reset and "sign out everywhere" revoke API keys; a password change may);
 * item 10: the development outbox is not readable with an API key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomToken, sha256Hex } from '../../src/lib/tokens.ts';
import { passwordResetTask } from '../../src/modules/auth/password-reset.task.ts';
import { sendPasswordReset } from '../../src/modules/auth/recovery.service.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInAdmin } from '../helpers/auth.ts';
import { workQueued } from '../helpers/queue.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

let counter = 0;
const PASSWORD = 'correct horse battery staple';
const uniqueEmail = () => `cred.${Date.now()}.${counter++}@example.test`;
const uniquePhone = () => `+4420795${String(60000 + (Date.now() % 10000) + counter++).slice(-5)}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const post = (url: string, payload?: object, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

/** A password-reset request, then the queued work it answers before doing (item 12). */
async function requestReset(identifier: string) {
  const res = await post('/auth/password-reset/request', { identifier });
  await workQueued(ctx, passwordResetTask);
  return res;
}

async function register(body: Record<string, unknown>) {
  const res = await post('/auth/register', { name: 'Cred Example', password: PASSWORD, ...body });
  expect(res.statusCode).toBe(201);
  return res.json() as { token: string; user: { id: string } };
}

async function premiumWithKey(body: Record<string, unknown> = { email: uniqueEmail() }) {
  const account = await register(body);
  await ctx.database.superuserQuery(`update users set plan = 'Premium' where id = $1`, [account.user.id]);
  const created = await post(
    '/api-keys',
    { name: 'integration', permissions: ['jobs:read', 'applications:read'] },
    bearer(account.token),
  );
  expect(created.statusCode).toBe(201);
  return { ...account, key: created.json().key as string };
}

const keyWorks = async (key: string) =>
  (await ctx.app.inject({ method: 'GET', url: '/api/v1/applications', headers: bearer(key) })).statusCode === 200;

const smsCode = async (phone: string) => {
  const rows = await ctx.database.superuserQuery<{ body: string }>(
    'select body from outbox_messages where recipient = $1 order by created_at desc limit 1',
    [phone],
  );
  return /\b(\d{6})\b/.exec(rows[0]?.body ?? '')?.[1] as string;
};

describe('password reset by phone (item 4)', () => {
  it('answers a wrong code for a real number exactly as for a number without an account', async () => {
    const phone = uniquePhone();
    await register({ phone });
    const requested = await requestReset(phone);
    expect(requested.statusCode).toBe(202);
    const { requestId } = requested.json();
    const code = await smsCode(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const newPassword = 'a fresh new passphrase';

    const known = await post('/auth/password-reset/confirm', { phone, code: wrong, requestId, newPassword });
    const unknownRequest = (await requestReset(uniquePhone())).json();
    const unknown = await post('/auth/password-reset/confirm', {
      phone: uniquePhone(),
      code: wrong,
      requestId: unknownRequest.requestId,
      newPassword,
    });
    const noCode = await post('/auth/password-reset/confirm', {
      phone: 'not a phone',
      code: wrong,
      requestId,
      newPassword,
    });
    for (const res of [known, unknown, noCode]) {
      expect(res.statusCode).toBe(400);
      const { error } = res.json();
      expect({ ...error, requestId: undefined }).toEqual({
        ...known.json().error,
        requestId: undefined,
      });
      expect(error.details).toBeUndefined();
      expect(JSON.stringify(error)).not.toMatch(/attempt/i);
    }
    // The owner's right code still works (fewer than 5 wrong guesses were made).
    expect((await post('/auth/password-reset/confirm', { phone, code, requestId, newPassword })).statusCode).toBe(204);
  });

  it('answers a reset request for a real and an unknown number alike, each with a fresh request id', async () => {
    const phone = uniquePhone();
    await register({ phone });
    const known = (await requestReset(phone)).json();
    const unknown = (await requestReset(uniquePhone())).json();
    expect(Object.keys(known).sort()).toEqual(Object.keys(unknown).sort());
    expect(known.message).toBe(unknown.message);
    expect(known.requestId).toMatch(/^[\w-]{40,}$/);
    expect(unknown.requestId).toMatch(/^[\w-]{40,}$/);
    expect(known.requestId).not.toBe(unknown.requestId);
  });

  it("does not let a stranger's wrong guesses or requests use up the owner's code (item 4, residual)", async () => {
    const phone = uniquePhone();
    await register({ phone });
    const { requestId } = (await requestReset(phone)).json();
    const code = await smsCode(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const newPassword = 'a fresh new passphrase';
    // The stranger knows the number but not the owner's request id: their own request's, or a made-up one.
    const stranger = (await requestReset(phone)).json().requestId;
    for (let i = 0; i < 6; i++) {
      for (const id of [stranger, 'x'.repeat(43)]) {
        const res = await post('/auth/password-reset/confirm', { phone, code: wrong, requestId: id, newPassword });
        expect(res.statusCode).toBe(400);
      }
    }
    // Even the right code needs the request it was sent for.
    const withoutRequest = await post('/auth/password-reset/confirm', {
      phone,
      code,
      requestId: stranger,
      newPassword,
    });
    expect(withoutRequest.statusCode).toBe(400);
    // A later request by the stranger gets a code of its own and leaves the owner's live.
    await sendPasswordReset(
      ctx.database.db,
      ctx.config,
      phone,
      sha256Hex(randomToken()),
      new Date(Date.now() + 61_000),
    );
    expect(await smsCode(phone)).toBeDefined();
    const owner = await post('/auth/password-reset/confirm', { phone, code, requestId, newPassword });
    expect(owner.statusCode).toBe(204);
  });

  it('still burns the code after 5 wrong guesses, with the same answer throughout', async () => {
    const phone = uniquePhone();
    await register({ phone });
    const { requestId } = (await requestReset(phone)).json();
    const code = await smsCode(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const newPassword = 'a fresh new passphrase';
    const answers = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const res = await post('/auth/password-reset/confirm', { phone, code: wrong, requestId, newPassword });
      answers.add(
        JSON.stringify({ status: res.statusCode, code: res.json().error.code, msg: res.json().error.message }),
      );
    }
    const burned = await post('/auth/password-reset/confirm', { phone, code, requestId, newPassword });
    answers.add(
      JSON.stringify({ status: burned.statusCode, code: burned.json().error.code, msg: burned.json().error.message }),
    );
    expect(answers.size).toBe(1);
  });
});

describe('API keys end with the credentials (item 5)', () => {
  it('"sign out everywhere" revokes the API keys', async () => {
    const { token, key } = await premiumWithKey();
    expect(await keyWorks(key)).toBe(true);
    expect((await post('/auth/logout-all', undefined, bearer(token))).statusCode).toBe(204);
    expect(await keyWorks(key)).toBe(false);
  });

  it('a password reset revokes the API keys', async () => {
    const email = uniqueEmail();
    const { key } = await premiumWithKey({ email });
    await requestReset(email);
    const rows = await ctx.database.superuserQuery<{ body: string }>(
      'select body from outbox_messages where recipient = $1 order by created_at desc limit 1',
      [email],
    );
    const token = /#token=([A-Za-z0-9_-]+)/.exec(rows[0]?.body ?? '')?.[1] as string;
    expect((await post('/auth/password-reset/confirm', { token, newPassword: 'another passphrase' })).statusCode).toBe(
      204,
    );
    expect(await keyWorks(key)).toBe(false);
  });

  it('a password change keeps the keys unless asked to revoke them', async () => {
    const first = await premiumWithKey();
    const change = (token: string, body: object) =>
      ctx.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: bearer(token), payload: body });
    expect(
      (await change(first.token, { currentPassword: PASSWORD, newPassword: 'second passphrase' })).statusCode,
    ).toBe(200);
    expect(await keyWorks(first.key)).toBe(true);

    const second = await premiumWithKey();
    const res = await change(second.token, {
      currentPassword: PASSWORD,
      newPassword: 'second passphrase',
      revokeApiKeys: true,
    });
    expect(res.statusCode).toBe(200);
    expect(await keyWorks(second.key)).toBe(false);
    // The session that made the change lives on.
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(second.token) })).statusCode).toBe(
      200,
    );
  });

  it('refuses a malformed revokeApiKeys with 400', async () => {
    const { token } = await premiumWithKey();
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: bearer(token),
      payload: { currentPassword: PASSWORD, newPassword: 'second passphrase', revokeApiKeys: 'yes' },
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('the development outbox (item 10)', () => {
  it('is not readable with an API key, not even an administrator’s', async () => {
    const admin = await signedInAdmin(ctx.database.db);
    const created = await post('/api-keys', { name: 'read jobs', permissions: ['jobs:read'] }, admin.headers);
    expect(created.statusCode).toBe(201);
    const withKey = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/dev/outbox',
      headers: bearer(created.json().key),
    });
    expect(withKey.statusCode).toBe(403);
    expect(withKey.body).not.toContain('#token=');
    const withSession = await ctx.app.inject({ method: 'GET', url: '/api/v1/dev/outbox', headers: admin.headers });
    expect(withSession.statusCode).toBe(200);
  });
});
