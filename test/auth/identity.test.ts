/** Accounts, sign-in, sessions, lockout, CSRF and rate limits, through real HTTP requests. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger, createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInUser } from '../helpers/auth.ts';
import { createApplication, createUser } from '../helpers/factories.ts';

let ctx: TestContext & { close(): Promise<void> };
let log: ReturnType<typeof capturingLogger>;
beforeAll(async () => {
  log = capturingLogger();
  ctx = await createTestApp({ logger: log.logger });
});
afterAll(async () => ctx?.close());

let counter = 0;
const uniqueEmail = () => `Reader.${Date.now()}.${counter++}@Example.TEST`;
const PASSWORD = 'correct horse battery staple';

async function register(body: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { name: 'Ada Example', ...body } });
}

async function login(identifier: string, password: string, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier, password }, headers });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function userRow(id: string) {
  const [row] = await ctx.database.superuserQuery<{
    email: string | null;
    phone_number: string | null;
    password_hash: string | null;
    failed_login_attempts: number;
    locked_until: Date | null;
    verified: boolean;
  }>(
    'select email, phone_number, password_hash, failed_login_attempts, locked_until, verified from users where id = $1',
    [id],
  );
  return row;
}

describe('registration', () => {
  it('creates the account, signs in, and returns the token in the body and an HttpOnly SameSite=Lax cookie', async () => {
    const email = uniqueEmail();
    const res = await register({ email: `  ${email} `, password: PASSWORD });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.token.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url
    const cookie = res.cookies.find((c) => c.name === 'jobr_session');
    expect(cookie).toMatchObject({ value: body.token, httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy(); // Secure only in production

    const row = await userRow(body.user.id);
    const [local, domain] = email.split('@') as [string, string];
    expect(row?.email).toBe(`${local}@${domain.toLowerCase()}`);
    expect(row?.password_hash).toMatch(/^\$argon2id\$/);

    const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(body.token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      id: body.user.id,
      name: 'Ada Example',
      role: 'user',
      plan: 'Free',
      verified: false,
    });
    expect(me.json()).not.toHaveProperty('passwordHash');
  });

  it('normalises a phone number to E.164 and accepts an account with a phone only', async () => {
    const res = await register({ phone: '+44 20 7946 0101', password: PASSWORD });
    expect(res.statusCode).toBe(201);
    expect((await userRow(res.json().user.id))?.phone_number).toBe('+442079460101');
  });

  it.each([
    ['neither e-mail nor phone', { password: PASSWORD }],
    ['an invalid e-mail', { email: 'not-an-email', password: PASSWORD }],
    ['an invalid phone', { phone: '12', password: PASSWORD }],
    ['an empty name', { name: '  ', email: 'x@example.test', password: PASSWORD }],
    ['a password of 7 code points', { email: 'x@example.test', password: 'ab😀😀😀😀x' }],
    ['a common password', { email: 'x@example.test', password: 'Password123' }],
    ['a password over the byte cap', { email: 'x@example.test', password: 'é'.repeat(300) }],
  ])('rejects %s with 400 and a field-level reason', async (_label, body) => {
    const res = await register(body);
    expect(res.statusCode).toBe(400);
    expect(['VALIDATION_FAILED', 'WEAK_PASSWORD']).toContain(res.json().error.code);
    expect(res.json().error.details).toBeDefined();
  });

  it('counts code points, not UTF-16 units, and allows at least 64 characters', async () => {
    expect((await register({ email: uniqueEmail(), password: '😀🎉🚀🌍💡🔒📦🧭' })).statusCode).toBe(201);
    expect(
      (await register({ email: uniqueEmail(), password: 'a quite long passphrase '.repeat(5).slice(0, 100) }))
        .statusCode,
    ).toBe(201);
  });

  it('refuses a duplicate e-mail (in any letter case) and a duplicate phone (in any format) with 409', async () => {
    const email = uniqueEmail();
    expect((await register({ email, password: PASSWORD })).statusCode).toBe(201);
    const dupEmail = await register({ email: email.toUpperCase(), password: PASSWORD });
    expect(dupEmail.statusCode).toBe(409);
    expect(dupEmail.json().error.code).toBe('EMAIL_TAKEN');

    expect((await register({ phone: '+91 98765 00001', password: PASSWORD })).statusCode).toBe(201);
    const dupPhone = await register({ phone: '+919876500001', password: PASSWORD });
    expect(dupPhone.statusCode).toBe(409);
    expect(dupPhone.json().error.code).toBe('PHONE_TAKEN');
  });
});

describe('login', () => {
  it('signs in by e-mail in any case and by phone in any format, with a new session each time', async () => {
    const email = uniqueEmail();
    const reg = await register({ email, phone: '+1 202 555 0147', password: PASSWORD });
    const userId = reg.json().user.id;
    const byEmail = await login(email.toLowerCase(), PASSWORD, { 'user-agent': 'JobrTest/1.0' });
    expect(byEmail.statusCode).toBe(200);
    const byPhone = await login('+12025550147', PASSWORD);
    expect(byPhone.statusCode).toBe(200);
    expect(new Set([reg.json().token, byEmail.json().token, byPhone.json().token]).size).toBe(3);

    const sessions = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/me/sessions',
      headers: bearer(byEmail.json().token),
    });
    expect(sessions.statusCode).toBe(200);
    const list = sessions.json().data as Array<{
      current: boolean;
      userAgent: string | null;
      ipAddress: string | null;
    }>;
    expect(list).toHaveLength(3);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    expect(list.find((s) => s.current)).toMatchObject({ userAgent: 'JobrTest/1.0', ipAddress: '127.0.0.1' });
    expect(userId).toBe(byPhone.json().user.id);
  });

  it('answers an unknown identifier and a wrong password identically', async () => {
    const email = uniqueEmail();
    await register({ email, password: PASSWORD });
    const wrong = await login(email, 'not the password at all');
    const unknown = await login(`nobody.${Date.now()}@example.test`, 'not the password at all');
    const garbage = await login('neither an email nor a phone', 'not the password at all');
    for (const res of [wrong, unknown, garbage]) {
      expect(res.statusCode).toBe(401);
      const { requestId: _ignored, ...error } = res.json().error;
      expect(error).toEqual({ code: 'INVALID_CREDENTIALS', message: expect.any(String) });
    }
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
    expect(garbage.json().error.message).toBe(wrong.json().error.message);
  });

  it('spends the same password-hashing work on an unknown identifier as on a wrong password', async () => {
    // Not a timing assertion: both paths must run argon2id. Median of several runs keeps noise down.
    const email = uniqueEmail();
    await register({ email, password: PASSWORD });
    const median = async (fn: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        await fn();
        times.push(performance.now() - t);
      }
      return times.sort((a, b) => a - b)[2] as number;
    };
    const unknownMs = await median(() => login(`ghost.${counter++}@example.test`, 'wrong password here'));
    const quickMs = await median(() => login('', ''));
    // The empty body is refused by validation before any hashing; an unknown user is not.
    expect(unknownMs).toBeGreaterThan(quickMs);
  });
});

describe('lockout', () => {
  it('locks after 5 failures even when 20 arrive in parallel, refuses the right password while locked, and unlocks later', async () => {
    const email = uniqueEmail();
    const { user } = (await register({ email, password: PASSWORD })).json();
    const results = await Promise.all(Array.from({ length: 20 }, () => login(email, 'wrong password, parallel')));
    expect(results.every((r) => r.statusCode === 401)).toBe(true);

    const locked = await userRow(user.id);
    expect(locked?.failed_login_attempts).toBe(5);
    expect(locked?.locked_until?.getTime()).toBeGreaterThan(Date.now());
    expect(locked?.locked_until?.getTime()).toBeLessThanOrEqual(Date.now() + 61_000);

    const whileLocked = await login(email, PASSWORD);
    expect(whileLocked.statusCode).toBe(401);
    expect(whileLocked.json().error.code).toBe('INVALID_CREDENTIALS');

    // The lock lapses: the next failure locks for longer (2 minutes), a success resets everything.
    await ctx.database.superuserQuery(`update users set locked_until = now() - interval '1 second' where id = $1`, [
      user.id,
    ]);
    await login(email, 'wrong again');
    const longer = await userRow(user.id);
    expect(longer?.failed_login_attempts).toBe(6);
    expect(longer?.locked_until?.getTime()).toBeGreaterThan(Date.now() + 61_000);

    await ctx.database.superuserQuery(`update users set locked_until = now() - interval '1 second' where id = $1`, [
      user.id,
    ]);
    expect((await login(email, PASSWORD)).statusCode).toBe(200);
    expect(await userRow(user.id)).toMatchObject({ failed_login_attempts: 0, locked_until: null });
  });

  it('caps the lock at 15 minutes however many failures pile up', async () => {
    const email = uniqueEmail();
    const { user } = (await register({ email, password: PASSWORD })).json();
    await ctx.database.superuserQuery('update users set failed_login_attempts = 40 where id = $1', [user.id]);
    await login(email, 'wrong');
    const row = await userRow(user.id);
    expect(row?.locked_until?.getTime()).toBeLessThanOrEqual(Date.now() + 15 * 60_000 + 1000);
    expect(row?.locked_until?.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
  });
});

describe('sessions', () => {
  it('logs out one session: its token then gets 401 while the others live on', async () => {
    const email = uniqueEmail();
    const first = (await register({ email, password: PASSWORD })).json().token;
    const second = (await login(email, PASSWORD)).json().token;
    const out = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(first) });
    expect(out.statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(first) })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(second) })).statusCode).toBe(200);
  });

  it('logs out everywhere', async () => {
    const email = uniqueEmail();
    const first = (await register({ email, password: PASSWORD })).json().token;
    const second = (await login(email, PASSWORD)).json().token;
    expect(
      (await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: bearer(second) })).statusCode,
    ).toBe(204);
    for (const token of [first, second]) {
      expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) })).statusCode).toBe(401);
    }
  });

  it('ends one chosen session, and answers 404 for another user’s session without touching it', async () => {
    const alice = await signedInUser(ctx.database.db);
    const bob = await signedInUser(ctx.database.db);
    const steal = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/me/sessions/${bob.sessionId}`,
      headers: alice.headers,
    });
    expect(steal.statusCode).toBe(404);
    expect(steal.json().error.code).toBe('SESSION_NOT_FOUND');
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: bob.headers })).statusCode).toBe(200);

    const own = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/me/sessions/${alice.sessionId}`,
      headers: alice.headers,
    });
    expect(own.statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: alice.headers })).statusCode).toBe(401);
  });

  it('lists only the caller’s own sessions', async () => {
    const alice = await signedInUser(ctx.database.db);
    await signedInUser(ctx.database.db);
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/me/sessions', headers: alice.headers });
    expect(res.json().data.map((s: { id: string }) => s.id)).toEqual([alice.sessionId]);
  });

  it('refuses a malformed session id with 400, not 500', async () => {
    const alice = await signedInUser(ctx.database.db);
    const res = await ctx.app.inject({
      method: 'DELETE',
      url: '/api/v1/me/sessions/not-a-uuid',
      headers: alice.headers,
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('CSRF protection for cookie sessions', () => {
  async function cookieSession() {
    const res = await register({ email: uniqueEmail(), password: PASSWORD });
    return { cookie: `jobr_session=${res.json().token}`, token: res.json().token as string };
  }

  it('refuses a state-changing cookie request without a same-origin Origin or Referer', async () => {
    const { cookie } = await cookieSession();
    for (const origin of [undefined, 'https://evil.example']) {
      const res = await ctx.app.inject({
        method: 'PATCH',
        url: '/api/v1/me',
        headers: { cookie, ...(origin ? { origin } : {}) },
        payload: { name: 'Changed by someone else' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('CSRF_REJECTED');
    }
    const evilReferer = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, referer: 'https://evil.example/page' },
    });
    expect(evilReferer.statusCode).toBe(403);
  });

  it('accepts the same request from the app’s own origin, reads without Origin, and bearer calls from anywhere', async () => {
    const { cookie, token } = await cookieSession();
    const ok = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { cookie, origin: new URL(ctx.config.publicUrl).origin },
      payload: { name: 'Changed by me' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().name).toBe('Changed by me');
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
    const viaBearer = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { ...bearer(token), origin: 'https://integration.example' },
      payload: { name: 'Changed by a script' },
    });
    expect(viaBearer.statusCode).toBe(200);
  });
});

describe('changing the account', () => {
  it('changes the name without a password, but e-mail, phone and password only with the current password', async () => {
    const email = uniqueEmail();
    const { token, user } = (await register({ email, password: PASSWORD })).json();
    const patch = (payload: Record<string, unknown>, t = token) =>
      ctx.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: bearer(t), payload });

    expect((await patch({ name: 'Ada Renamed' })).json().name).toBe('Ada Renamed');
    const noPassword = await patch({ email: uniqueEmail() });
    expect(noPassword.statusCode).toBe(403);
    expect(noPassword.json().error.code).toBe('CURRENT_PASSWORD_INVALID');
    expect((await patch({ phone: '+33 1 23 45 67 89', currentPassword: 'wrong password' })).statusCode).toBe(403);

    await ctx.database.superuserQuery('update users set verified = true where id = $1', [user.id]);
    const newEmail = uniqueEmail();
    const changed = await patch({ email: newEmail, currentPassword: PASSWORD });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ verified: false });
    expect(changed.json().email).toBe(newEmail.replace(/@.*/, (d) => d.toLowerCase()));

    expect((await patch({ newPassword: 'password', currentPassword: PASSWORD })).json().error.code).toBe(
      'WEAK_PASSWORD',
    );
    expect((await patch({ email: null, currentPassword: PASSWORD })).statusCode).toBe(400); // would leave no contact
  });

  it('ends every other session on a password change, keeping the current one', async () => {
    const email = uniqueEmail();
    const current = (await register({ email, password: PASSWORD })).json().token;
    const other = (await login(email, PASSWORD)).json().token;
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: bearer(current),
      payload: { newPassword: 'a brand new passphrase', currentPassword: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(other) })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(current) })).statusCode).toBe(200);
    expect((await login(email, PASSWORD)).statusCode).toBe(401);
    expect((await login(email, 'a brand new passphrase')).statusCode).toBe(200);
  });

  it('refuses an e-mail another account uses with 409', async () => {
    const taken = uniqueEmail();
    await register({ email: taken, password: PASSWORD });
    const { token } = (await register({ email: uniqueEmail(), password: PASSWORD })).json();
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: bearer(token),
      payload: { email: taken, currentPassword: PASSWORD },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('EMAIL_TAKEN');
  });
});

describe('deleting the account', () => {
  it('needs the password and a typed confirmation, then removes the account and everything it owns', async () => {
    const { token, user } = (await register({ email: uniqueEmail(), password: PASSWORD })).json();
    await createApplication(ctx.database.db, { userId: user.id });
    const del = (payload: unknown) =>
      ctx.app.inject({ method: 'DELETE', url: '/api/v1/me', headers: bearer(token), payload: payload as object });

    expect((await del({ currentPassword: PASSWORD })).statusCode).toBe(400);
    expect((await del({ currentPassword: 'wrong', confirm: 'DELETE' })).statusCode).toBe(403);
    expect((await del({ currentPassword: PASSWORD, confirm: 'DELETE' })).statusCode).toBe(204);

    for (const table of ['users', 'user_sessions', 'cvs', 'applications']) {
      const column = table === 'users' ? 'id' : 'user_id';
      const rows = await ctx.database.superuserQuery(`select 1 from ${table} where ${column} = $1`, [user.id]);
      expect(rows, table).toHaveLength(0);
    }
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) })).statusCode).toBe(401);
  });
});

describe('secrets', () => {
  it('never writes a password or session token to the log or, unhashed, to the database', async () => {
    const password = `unique secret ${Date.now()}`;
    const email = uniqueEmail();
    const { token, user } = (await register({ email, password })).json();
    await login(email, password);
    await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
    expect(log.text()).toContain('/api/v1/auth/login'); // the log is being captured at all
    expect(log.text()).not.toContain(password);
    expect(log.text()).not.toContain(token);

    const dump = await ctx.database.superuserQuery<{ row: string }>(
      `select row_to_json(u)::text as row from users u where id = $1
       union all select row_to_json(s)::text from user_sessions s where user_id = $1
       union all select row_to_json(a)::text from audit_log a where record_id = $1`,
      [user.id],
    );
    const text = dump.map((r) => r.row).join('\n');
    expect(text).not.toContain(password);
    expect(text).not.toContain(token);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once an IP exceeds the sign-in limit', async () => {
    const limited = await createTestApp({ env: { AUTH_RATE_LIMIT_MAX: '3', AUTH_RATE_LIMIT_WINDOW_MS: '60000' } });
    try {
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof limited.app.inject>> | undefined;
      for (let i = 0; i < 4; i++) {
        last = await limited.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { identifier: 'someone@example.test', password: 'whatever it is' },
        });
        statuses.push(last.statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
      expect(last?.json().error.code).toBe('RATE_LIMITED');
      expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
      // Other endpoints are not limited by the sign-in budget.
      expect((await limited.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('plain users', () => {
  it('a user created without a password cannot sign in with any password', async () => {
    const user = await createUser(ctx.database.db);
    expect((await login(user.email as string, PASSWORD)).statusCode).toBe(401);
  });
});
