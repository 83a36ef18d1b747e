/** E-mail and phone verification, password reset, and delivery through the outbox. */
import { createHmac } from 'node:crypto';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { outboxListCommand } from '../../src/cli/outbox-commands.ts';
import { passwordResetTask } from '../../src/modules/auth/password-reset.task.ts';
import { deliverOutbox, MAX_DELIVERY_ATTEMPTS } from '../../src/modules/outbox/deliver.ts';
import { SMS_SIGNATURE_HEADER, transportsFor } from '../../src/modules/outbox/transports.ts';
import { createTestApp, type TestContext, testConfig } from '../helpers/app.ts';
import { signedInAdmin, signedInUser } from '../helpers/auth.ts';
import { startFakeSmtp, startWebhookReceiver } from '../helpers/fakes.ts';
import { workQueued } from '../helpers/queue.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

let counter = 0;
const PASSWORD = 'correct horse battery staple';
const uniqueEmail = () => `verify.${Date.now()}.${counter++}@example.test`;
const uniquePhone = () => `+4420794${String(60000 + (Date.now() % 10000) + counter++).slice(-5)}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function register(body: Record<string, unknown>) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { name: 'Vera Example', password: PASSWORD, ...body },
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { token: string; user: { id: string } };
}

const post = (url: string, payload?: object, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

/** A password-reset request, then the queued work it answers before doing (item 12). */
async function requestReset(identifier: string) {
  const res = await post('/auth/password-reset/request', { identifier });
  await workQueued(ctx, passwordResetTask);
  return res;
}

/** The newest queued message to `recipient`, read as the system would deliver it. */
async function lastMessageTo(recipient: string) {
  const rows = await ctx.database.superuserQuery<{ subject: string; body: string; channel: string }>(
    'select subject, body, channel from outbox_messages where recipient = $1 order by created_at desc limit 1',
    [recipient],
  );
  return rows[0];
}

const countMessagesTo = async (recipient: string) =>
  (await ctx.database.superuserQuery('select 1 from outbox_messages where recipient = $1', [recipient])).length;

const linkToken = (body: string) => /#token=([A-Za-z0-9_-]+)/.exec(body)?.[1] as string;
const smsCode = (body: string) => /\b(\d{6})\b/.exec(body)?.[1] as string;

/** Lets the next request through the once-a-minute resend limit. */
const ageTokens = (userId: string) =>
  ctx.database.superuserQuery(
    `update verification_tokens set created_at = created_at - interval '2 minutes' where user_id = $1`,
    [userId],
  );

describe('e-mail verification', () => {
  it('sends a single-use link whose token is stored only as a hash, and marks the account verified', async () => {
    const email = uniqueEmail();
    const { token, user } = await register({ email });
    expect((await post('/auth/verify-email/request', undefined, bearer(token))).statusCode).toBe(202);

    const message = await lastMessageTo(email);
    expect(message?.channel).toBe('email');
    expect(message?.body).toContain(`${ctx.config.publicUrl}/account/verify-email#token=`);
    const secret = linkToken(message?.body ?? '');
    const stored = await ctx.database.superuserQuery<{ token_hash: string }>(
      'select token_hash from verification_tokens where user_id = $1',
      [user.id],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0]?.token_hash).not.toContain(secret);

    const confirmed = await post('/auth/verify-email/confirm', { token: secret });
    expect(confirmed.statusCode).toBe(200);
    const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
    expect(me.json().verified).toBe(true);

    const again = await post('/auth/verify-email/confirm', { token: secret });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('TOKEN_INVALID');
  });

  it('refuses an expired link, an unknown one, and a link for an address the account no longer has', async () => {
    const email = uniqueEmail();
    const { token, user } = await register({ email });
    await post('/auth/verify-email/request', undefined, bearer(token));
    const secret = linkToken((await lastMessageTo(email))?.body ?? '');
    await ctx.database.superuserQuery(
      `update verification_tokens set expires_at = now() - interval '1 second' where user_id = $1`,
      [user.id],
    );
    expect((await post('/auth/verify-email/confirm', { token: secret })).json().error.code).toBe('TOKEN_INVALID');
    expect((await post('/auth/verify-email/confirm', { token: 'x'.repeat(43) })).statusCode).toBe(400);

    await ageTokens(user.id);
    await post('/auth/verify-email/request', undefined, bearer(token));
    const fresh = linkToken((await lastMessageTo(email))?.body ?? '');
    const changed = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: bearer(token),
      payload: { email: uniqueEmail(), currentPassword: PASSWORD },
    });
    expect(changed.statusCode).toBe(200);
    expect((await post('/auth/verify-email/confirm', { token: fresh })).json().error.code).toBe('TOKEN_INVALID');
  });

  it('sends at most one message a minute, and the newest link replaces the older one', async () => {
    const email = uniqueEmail();
    const { token, user } = await register({ email });
    await post('/auth/verify-email/request', undefined, bearer(token));
    const first = linkToken((await lastMessageTo(email))?.body ?? '');
    expect((await post('/auth/verify-email/request', undefined, bearer(token))).statusCode).toBe(202);
    expect(await countMessagesTo(email)).toBe(1);

    await ageTokens(user.id);
    await post('/auth/verify-email/request', undefined, bearer(token));
    expect(await countMessagesTo(email)).toBe(2);
    expect((await post('/auth/verify-email/confirm', { token: first })).statusCode).toBe(400);
    const second = linkToken((await lastMessageTo(email))?.body ?? '');
    expect((await post('/auth/verify-email/confirm', { token: second })).statusCode).toBe(200);
  });

  it('needs a signed-in user to request, and an address to send to', async () => {
    expect((await post('/auth/verify-email/request')).statusCode).toBe(401);
    const { token } = await register({ phone: uniquePhone() });
    const res = await post('/auth/verify-email/request', undefined, bearer(token));
    expect(res.statusCode).toBe(400);
  });
});

describe('phone verification', () => {
  it('texts a 6-digit code with 5 attempts; the last wrong one burns the code', async () => {
    const phone = uniquePhone();
    const { token, user } = await register({ phone });
    expect((await post('/auth/verify-phone/request', undefined, bearer(token))).statusCode).toBe(202);
    const message = await lastMessageTo(phone);
    expect(message?.channel).toBe('sms');
    const code = smsCode(message?.body ?? '');
    const wrong = code === '000000' ? '111111' : '000000';

    const lefts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await post('/auth/verify-phone/confirm', { code: wrong }, bearer(token));
      expect(res.json().error.code).toBe('TOKEN_INVALID');
      lefts.push(res.json().error.details.attemptsLeft);
    }
    expect(lefts).toEqual([4, 3, 2, 1, 0]);
    expect((await post('/auth/verify-phone/confirm', { code }, bearer(token))).statusCode).toBe(400);

    await ageTokens(user.id);
    await post('/auth/verify-phone/request', undefined, bearer(token));
    const next = smsCode((await lastMessageTo(phone))?.body ?? '');
    expect((await post('/auth/verify-phone/confirm', { code: next }, bearer(token))).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) })).json().verified).toBe(
      true,
    );
  });

  it('counts parallel wrong guesses exactly: 12 at once use up the 5 attempts and no more', async () => {
    const phone = uniquePhone();
    const { token, user } = await register({ phone });
    await post('/auth/verify-phone/request', undefined, bearer(token));
    const code = smsCode((await lastMessageTo(phone))?.body ?? '');
    const guesses = Array.from({ length: 12 }, (_, i) => String((Number(code) + i + 1) % 1_000_000).padStart(6, '0'));
    const results = await Promise.all(
      guesses.map((g) => post('/auth/verify-phone/confirm', { code: g }, bearer(token))),
    );
    expect(results.every((r) => r.statusCode === 400)).toBe(true);
    const [row] = await ctx.database.superuserQuery<{ attempts: number }>(
      'select attempts from verification_tokens where user_id = $1',
      [user.id],
    );
    expect(row?.attempts).toBe(5);
    expect((await post('/auth/verify-phone/confirm', { code }, bearer(token))).statusCode).toBe(400);
  });

  it('refuses malformed codes with 400 and never a 500', async () => {
    const { token } = await register({ phone: uniquePhone() });
    await post('/auth/verify-phone/request', undefined, bearer(token));
    for (const code of ['12345', 'abcdef', '1234567', "' or 1=1 --", '']) {
      const res = await post('/auth/verify-phone/confirm', { code }, bearer(token));
      expect(res.statusCode).toBe(400);
    }
  });
});

describe('password reset', () => {
  it('answers identically for known and unknown identifiers, and only a real account gets a message', async () => {
    const email = uniqueEmail();
    await register({ email });
    const known = await requestReset(email);
    const unknownEmail = uniqueEmail();
    const unknown = await requestReset(unknownEmail);
    const garbage = await requestReset('not an identifier');
    for (const res of [known, unknown, garbage]) {
      expect(res.statusCode).toBe(202);
      // The same answer but for the request id, which is fresh each time.
      expect({ ...res.json(), requestId: 'x' }).toEqual({ ...known.json(), requestId: 'x' });
    }
    expect(await countMessagesTo(email)).toBe(1);
    expect(await countMessagesTo(unknownEmail)).toBe(0);
  });

  it('runs the same statements for a known and an unknown e-mail before answering (item 12)', async () => {
    const email = uniqueEmail();
    await register({ email });
    // Every statement Drizzle sends, on either database, passes through the dialect: record their text.
    const statementsOf = async (identifier: string) => {
      const spy = vi.spyOn(PgDialect.prototype, 'sqlToQuery');
      try {
        const res = await post('/auth/password-reset/request', { identifier });
        expect(res.statusCode).toBe(202);
        return spy.mock.results.map((r) => (r.value as { sql: string }).sql);
      } finally {
        spy.mockRestore();
      }
    };
    const known = await statementsOf(email);
    const unknown = await statementsOf(uniqueEmail());
    expect(known.length).toBeGreaterThan(0);
    expect(unknown).toEqual(known);
    // The account's message is sent by the queued work, after the answer.
    expect(await countMessagesTo(email)).toBe(0);
    expect(await workQueued(ctx, passwordResetTask)).toBe(2);
    expect(await countMessagesTo(email)).toBe(1);
  });

  it('resets by e-mailed link: ends every session, clears the lockout, and the link works once', async () => {
    const email = uniqueEmail();
    const { token, user } = await register({ email });
    await ctx.database.superuserQuery(
      `update users set failed_login_attempts = 7, locked_until = now() + interval '10 minutes' where id = $1`,
      [user.id],
    );
    await requestReset(email.toUpperCase());
    const secret = linkToken((await lastMessageTo(email))?.body ?? '');

    const weak = await post('/auth/password-reset/confirm', { token: secret, newPassword: 'password1' });
    expect(weak.json().error.code).toBe('WEAK_PASSWORD');
    const done = await post('/auth/password-reset/confirm', { token: secret, newPassword: 'a fresh new passphrase' });
    expect(done.statusCode).toBe(204);

    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) })).statusCode).toBe(401);
    const login = await post('/auth/login', { identifier: email, password: 'a fresh new passphrase' });
    expect(login.statusCode).toBe(200);
    expect((await post('/auth/login', { identifier: email, password: PASSWORD })).statusCode).toBe(401);
    expect(
      (await post('/auth/password-reset/confirm', { token: secret, newPassword: 'another new passphrase' })).statusCode,
    ).toBe(400);
  });

  it('resets by SMS code, tied to the phone number given', async () => {
    const phone = uniquePhone();
    const other = uniquePhone();
    await register({ phone });
    await register({ phone: other });
    const { requestId } = (await requestReset(phone)).json();
    const code = smsCode((await lastMessageTo(phone))?.body ?? '');
    const wrongAccount = await post('/auth/password-reset/confirm', {
      phone: other,
      code,
      requestId,
      newPassword: 'a fresh new passphrase',
    });
    expect(wrongAccount.json().error.code).toBe('TOKEN_INVALID');
    const ok = await post('/auth/password-reset/confirm', {
      phone,
      code,
      requestId,
      newPassword: 'a fresh new passphrase',
    });
    expect(ok.statusCode).toBe(204);
    expect((await post('/auth/login', { identifier: phone, password: 'a fresh new passphrase' })).statusCode).toBe(200);
  });

  it('refuses a body mixing both proofs or missing the password', async () => {
    expect((await post('/auth/password-reset/confirm', { token: 'x'.repeat(43) })).statusCode).toBe(400);
    const mixed = await post('/auth/password-reset/confirm', {
      token: 'x'.repeat(43),
      phone: '+442079460000',
      code: '123456',
      newPassword: 'a fresh new passphrase',
    });
    expect(mixed.statusCode).toBe(400);
  });
});

describe('outbox delivery', () => {
  it('delivers e-mail over SMTP and SMS to a signed webhook, then clears the bodies', async () => {
    const smtp = await startFakeSmtp();
    const webhook = await startWebhookReceiver();
    try {
      const email = uniqueEmail();
      const phone = uniquePhone();
      const { token } = await register({ email, phone });
      await post('/auth/verify-email/request', undefined, bearer(token));
      await post('/auth/verify-phone/request', undefined, bearer(token));
      const emailBody = (await lastMessageTo(email))?.body ?? '';
      const smsBody = (await lastMessageTo(phone))?.body ?? '';

      const config = testConfig({
        SMTP_URL: smtp.url,
        SMS_WEBHOOK_URL: webhook.url,
        SMS_WEBHOOK_SECRET: 'a-test-webhook-secret',
      });
      const report = await deliverOutbox(ctx.database.db, transportsFor(config));
      expect(report.sent).toBeGreaterThanOrEqual(2);

      const mail = smtp.mails.find((m) => m.to.includes(email));
      expect(mail?.data).toContain('Subject: Confirm your e-mail address for Jobr');
      expect(mail?.data.replace(/=\r\n/g, '')).toContain(linkToken(emailBody));

      const sms = webhook.requests.find((r) => JSON.parse(r.body).to === phone);
      expect(JSON.parse(sms?.body ?? '{}').body).toBe(smsBody);
      const expected = `sha256=${createHmac('sha256', 'a-test-webhook-secret')
        .update(sms?.body ?? '')
        .digest('hex')}`;
      expect(sms?.headers[SMS_SIGNATURE_HEADER]).toBe(expected);

      const rows = await ctx.database.superuserQuery<{ status: string; body: string }>(
        'select status, body from outbox_messages where recipient in ($1, $2)',
        [email, phone],
      );
      expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
      expect(rows.every((r) => !r.body.includes(linkToken(emailBody)) && !r.body.includes(smsCode(smsBody)))).toBe(
        true,
      );
    } finally {
      await smtp.close();
      await webhook.close();
    }
  });

  it('retries a failing transport with growing delays, then gives up as failed', async () => {
    const webhook = await startWebhookReceiver();
    webhook.setStatus(503);
    try {
      const phone = uniquePhone();
      const { token } = await register({ phone });
      await post('/auth/verify-phone/request', undefined, bearer(token));
      await deliverOutbox(ctx.database.db, { email: null, sms: null }); // drain everything else as stored
      await ctx.database.superuserQuery(`update outbox_messages set status = 'pending' where recipient = $1`, [phone]);
      const transports = transportsFor(testConfig({ SMS_WEBHOOK_URL: webhook.url }));

      let now = new Date();
      const delays: number[] = [];
      for (let i = 0; i < MAX_DELIVERY_ATTEMPTS; i++) {
        await deliverOutbox(ctx.database.db, transports, now);
        const [row] = await ctx.database.superuserQuery<{ status: string; next_attempt_at: Date; attempts: number }>(
          'select status, next_attempt_at, attempts from outbox_messages where recipient = $1',
          [phone],
        );
        expect(row?.attempts).toBe(i + 1);
        if (row?.status === 'failed') break;
        delays.push(row ? row.next_attempt_at.getTime() - now.getTime() : 0);
        now = new Date((row as { next_attempt_at: Date }).next_attempt_at.getTime() + 1);
      }
      expect(delays).toEqual([60_000, 120_000, 240_000, 480_000, 960_000]);
      const [final] = await ctx.database.superuserQuery<{ status: string; last_error: string }>(
        'select status, last_error from outbox_messages where recipient = $1',
        [phone],
      );
      expect(final).toMatchObject({ status: 'failed', last_error: 'SMS webhook answered 503' });
    } finally {
      await webhook.close();
    }
  });

  it('keeps messages viewable when no transport is configured: the CLI and the dev endpoint show them', async () => {
    const email = uniqueEmail();
    const { token } = await register({ email });
    await requestReset(email);
    await deliverOutbox(ctx.database.db, { email: null, sms: null });
    const [row] = await ctx.database.superuserQuery<{ status: string; body: string }>(
      'select status, body from outbox_messages where recipient = $1',
      [email],
    );
    expect(row?.status).toBe('stored');
    expect(row?.body).toContain('#token=');

    const lines: string[] = [];
    const io = { out: (l: string) => void lines.push(l), err: (l: string) => void lines.push(l) };
    expect(await outboxListCommand.run(['--limit', '50'], { config: ctx.config, database: ctx.database, io })).toBe(0);
    expect(lines.join('\n')).toContain(`email to ${email}`);
    await expect(
      outboxListCommand.run(['--limit', 'many'], { config: ctx.config, database: ctx.database, io }),
    ).rejects.toThrow(/--limit/);

    expect(
      (await ctx.app.inject({ method: 'GET', url: '/api/v1/dev/outbox', headers: bearer(token) })).statusCode,
    ).toBe(403);
    const admin = await signedInAdmin(ctx.database.db);
    const listed = await ctx.app.inject({ method: 'GET', url: '/api/v1/dev/outbox?limit=200', headers: admin.headers });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().data.some((m: { recipient: string }) => m.recipient === email)).toBe(true);
  });

  it('does not expose the outbox endpoint in production', async () => {
    const prod = await createTestApp({ env: { NODE_ENV: 'production', PUBLIC_URL: 'https://jobr.example' } });
    try {
      const admin = await signedInUser(prod.database.db, { role: 'admin' });
      expect(
        (await prod.app.inject({ method: 'GET', url: '/api/v1/dev/outbox', headers: admin.headers })).statusCode,
      ).toBe(404);
    } finally {
      await prod.close();
    }
  });
});
