/**
 * Lockout under parallel guessing: however many guesses arrive at once, and from however many
 * addresses, at most LOCK_THRESHOLD passwords are checked against the account per lock window, and the
 * right password cannot get in after the window's guesses are used up.
 *
 * Which passwords were checked against the real hash is observed directly (a spy on verifyPassword), so
 * the test asserts the rule itself and does not depend on which request the scheduler runs first.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCK_THRESHOLD } from '../../src/modules/auth/lockout.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';

const checks = vi.hoisted(() => [] as { hash: string; password: string }[]);
vi.mock('../../src/lib/passwords.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/lib/passwords.ts')>();
  return {
    ...real,
    verifyPassword: async (hash: string, password: string) => {
      checks.push({ hash, password });
      return real.verifyPassword(hash, password);
    },
  };
});

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

const PASSWORD = 'correct horse battery staple';
let counter = 0;

async function newAccount() {
  const email = `racer.${Date.now()}.${counter++}@example.test`;
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { name: 'Race Target', email, password: PASSWORD },
  });
  expect(res.statusCode).toBe(201);
  const [row] = await ctx.database.superuserQuery<{ id: string; password_hash: string }>(
    'select id, password_hash from users where lower(email) = lower($1)',
    [email],
  );
  if (!row) throw new Error('no account');
  return { email, ...row };
}

const login = (identifier: string, password: string, remoteAddress = '127.0.0.1') =>
  ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier, password }, remoteAddress });

/** Fires every guess at once (the right password last) and returns the answers in order. */
async function guessInParallel(email: string, wrong: number, addresses: (i: number) => string) {
  const passwords = [...Array.from({ length: wrong }, (_, i) => `wrong password number ${i}`), PASSWORD];
  return Promise.all(passwords.map((p, i) => login(email, p, addresses(i))));
}

function assertWindowRespected(hash: string, rightGotIn: boolean) {
  const checked = checks.filter((c) => c.hash === hash).map((c) => c.password);
  const right = checked.indexOf(PASSWORD);
  if (rightGotIn) {
    // It got in only as one of the first LOCK_THRESHOLD checked guesses of the window.
    expect(right).toBeGreaterThanOrEqual(0);
    expect(right).toBeLessThan(LOCK_THRESHOLD);
  } else {
    expect(checked.length).toBeLessThanOrEqual(LOCK_THRESHOLD);
  }
}

describe('lockout under parallel guesses', () => {
  it('checks at most 5 of 10 parallel guesses (9 wrong, then the right one)', async () => {
    const account = await newAccount();
    checks.length = 0;
    const answers = await guessInParallel(account.email, 9, () => '127.0.0.1');
    const rightGotIn = answers.at(-1)?.statusCode === 200;
    expect(answers.slice(0, -1).every((a) => a.statusCode === 401)).toBe(true);
    assertWindowRespected(account.password_hash, rightGotIn);
    if (!rightGotIn) {
      const [row] = await ctx.database.superuserQuery<{ failed_login_attempts: number; locked: boolean }>(
        'select failed_login_attempts, locked_until > now() as locked from users where id = $1',
        [account.id],
      );
      expect(row).toEqual({ failed_login_attempts: LOCK_THRESHOLD, locked: true });
    }
  });

  it('checks at most 5 of 30 parallel guesses from 30 addresses, and the counter is not reset', async () => {
    const account = await newAccount();
    checks.length = 0;
    const answers = await guessInParallel(account.email, 29, (i) => `198.51.100.${i + 1}`);
    const rightGotIn = answers.at(-1)?.statusCode === 200;
    assertWindowRespected(account.password_hash, rightGotIn);
    expect(rightGotIn).toBe(false);
    const [row] = await ctx.database.superuserQuery<{ failed_login_attempts: number; locked: boolean }>(
      'select failed_login_attempts, locked_until > now() as locked from users where id = $1',
      [account.id],
    );
    expect(row).toEqual({ failed_login_attempts: LOCK_THRESHOLD, locked: true });
    // While locked, even the right password is not checked against the account.
    checks.length = 0;
    expect((await login(account.email, PASSWORD)).statusCode).toBe(401);
    expect(checks.filter((c) => c.hash === account.password_hash)).toEqual([]);
  });

  it('still lets the owner in with the right password after fewer than 5 failures, and resets the counter', async () => {
    const account = await newAccount();
    for (let i = 0; i < LOCK_THRESHOLD - 1; i++) expect((await login(account.email, `nope ${i}`)).statusCode).toBe(401);
    expect((await login(account.email, PASSWORD)).statusCode).toBe(200);
    const [row] = await ctx.database.superuserQuery<{ failed_login_attempts: number; locked_until: Date | null }>(
      'select failed_login_attempts, locked_until from users where id = $1',
      [account.id],
    );
    expect(row).toEqual({ failed_login_attempts: 0, locked_until: null });
  });
});
