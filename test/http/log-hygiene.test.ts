/**
 * Issue 18, "Structured logs": a representative flow with every log line captured (level trace) — register,
 * sign in, reset the password, upload a CV, create an API key, apply, use the key — and then the log is
 * scanned: no e-mail address, password, token, API key or CV text may appear, and every request line
 * carries the request id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordResetTask } from '../../src/modules/auth/password-reset.task.ts';
import { capturingLogger, createTestApp, type TestContext } from '../helpers/app.ts';
import { multipartBody } from '../helpers/documents.ts';
import { createJob } from '../helpers/factories.ts';
import { workQueued } from '../helpers/queue.ts';

let ctx: TestContext & { close(): Promise<void> };
let log: ReturnType<typeof capturingLogger>;
beforeAll(async () => {
  log = capturingLogger();
  ctx = await createTestApp({ logger: log.logger });
});
afterAll(async () => ctx?.close());

type Headers = Record<string, string>;
const post = (url: string, payload?: object, headers: Headers = {}) =>
  ctx.app.inject({ method: 'POST', url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

describe('the log of a full flow', () => {
  it('holds no personal data or secret, and names the request on every request line', {
    timeout: 120_000,
  }, async () => {
    const email = `Log.Scan.${Date.now()}@Example.TEST`;
    const password = 'first secret passphrase';
    const newPassword = 'second secret passphrase';
    const secrets: string[] = [email, email.toLowerCase(), password, newPassword];

    const reg = await post('/auth/register', { name: 'Lena Logscan', email, password });
    expect(reg.statusCode).toBe(201);
    secrets.push(reg.json().token);
    const login = await post('/auth/login', { identifier: email, password });
    expect(login.statusCode).toBe(200);
    secrets.push(login.json().token);

    expect((await post('/auth/password-reset/request', { identifier: email })).statusCode).toBe(202);
    await workQueued(ctx, passwordResetTask); // the request only queues the work (issue 11, item 12)
    const [message] = await ctx.database.superuserQuery<{ body: string }>(
      'select body from outbox_messages where lower(recipient) = $1 order by created_at desc limit 1',
      [email.toLowerCase()],
    );
    const resetToken = /#token=([A-Za-z0-9_-]+)/.exec(message?.body ?? '')?.[1] as string;
    expect(resetToken).toBeTruthy();
    secrets.push(resetToken);
    expect((await post('/auth/password-reset/confirm', { token: resetToken, newPassword })).statusCode).toBe(204);
    const again = await post('/auth/login', { identifier: email, password: newPassword });
    expect(again.statusCode).toBe(200);
    const session = { authorization: `Bearer ${again.json().token}` };
    secrets.push(again.json().token);

    const cvLines = ['Lena Logscan', 'Confidential Employer Vantablack', 'Quantum basket weaving since 2011'];
    const cvText = `${cvLines[0]}\n${email}\n\nExperience\nEngineer, ${cvLines[1]}, 2019 - 2024\n${cvLines[2]}\n`;
    secrets.push(...cvLines.slice(1));
    const { payload, headers: mp } = multipartBody({
      name: 'lena-cv.txt',
      type: 'text/plain',
      bytes: Buffer.from(cvText),
    });
    const cv = await ctx.app.inject({ method: 'POST', url: '/api/v1/cvs', headers: { ...session, ...mp }, payload });
    expect(cv.statusCode, cv.body).toBe(201);

    await ctx.database.superuserQuery(`update users set plan = 'Premium' where id = $1`, [reg.json().user.id]);
    const key = await post('/api-keys', { name: 'scan', permissions: ['applications:read'] }, session);
    expect(key.statusCode, key.body).toBe(201);
    secrets.push(key.json().key);

    const job = await createJob(ctx.database.db);
    expect((await post('/applications', { jobId: job.id, cvId: cv.json().id }, session)).statusCode).toBe(201);
    const viaKey = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/applications',
      headers: { authorization: `Bearer ${key.json().key}` },
    });
    expect(viaKey.statusCode).toBe(200);
    // A failing request is logged too: a wrong password.
    expect((await post('/auth/login', { identifier: email, password: 'wrong passphrase!' })).statusCode).toBe(401);

    const text = log.text();
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const requestLines = lines.filter((l) => 'req' in l || 'res' in l);
    expect(requestLines.length).toBeGreaterThanOrEqual(2 * 10);
    for (const line of requestLines) expect(line.requestId, JSON.stringify(line)).toEqual(expect.any(String));
    const lower = text.toLowerCase();
    for (const secret of secrets) expect(lower.includes(secret.toLowerCase()), `the log holds "${secret}"`).toBe(false);
    // And nothing that looks like an address at all.
    expect(text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.-]+/);
  });
});
