/**
 * Proving control of an e-mail address or phone number, and resetting a forgotten password.
 *
 * E-mail gets a link carrying 256 random bits; SMS gets a 6-digit code. Both are stored only as
 * SHA-256, expire, and are single use. A code is guessable, so each has MAX_CODE_ATTEMPTS tries and is
 * bound to the account it was sent for (the caller names the account; codes are never looked up alone).
 * Flows that start before anyone is signed in act in the explicit system context and touch only the
 * one account found by identifier.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/client.ts';
import { systemActor, withContext } from '../../db/context.ts';
import { userSessions, users, verificationTokens } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { hashPassword } from '../../lib/passwords.ts';
import { randomToken, sha256Hex } from '../../lib/tokens.ts';
import { enqueue } from '../outbox/outbox.ts';
import { assertAcceptablePassword } from './auth.service.ts';
import { revokeApiKeys } from './credentials.ts';
import { normalizePhone, parseIdentifier } from './identifiers.ts';

export const LINK_TTL_MS = { verify_email: 24 * 3_600_000, reset_password: 3_600_000 } as const;
export const CODE_TTL_MS = 10 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;
/** One message per account and purpose per minute: stops anyone from flooding an inbox or a phone. */
export const RESEND_INTERVAL_MS = 60_000;

type Purpose = 'verify_email' | 'verify_phone' | 'reset_password';
type Account = { id: string; email: string | null; phoneNumber: string | null; name: string };

const codeHash = (userId: string, code: string) => sha256Hex(`${userId}:${code}`);

function sixDigits(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/**
 * Issues a secret for one purpose and queues its message. It replaces any earlier unused one, except a
 * reset code bound to a request (`requestHash`): each reset request gets its own code and attempts, so a
 * stranger's request cannot cancel the owner's code either.
 */
async function issue(
  tx: Tx,
  config: Config,
  account: Account,
  purpose: Purpose,
  channel: 'email' | 'sms',
  now: Date,
  requestHash?: string,
) {
  const target = channel === 'email' ? account.email : account.phoneNumber;
  if (!target) return;
  const [recent] = await tx
    .select({ createdAt: verificationTokens.createdAt })
    .from(verificationTokens)
    .where(and(eq(verificationTokens.userId, account.id), eq(verificationTokens.purpose, purpose)))
    .orderBy(desc(verificationTokens.createdAt))
    .limit(1);
  if (recent && now.getTime() - recent.createdAt.getTime() < RESEND_INTERVAL_MS) return;

  if (!requestHash)
    await tx
      .update(verificationTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(verificationTokens.userId, account.id),
          eq(verificationTokens.purpose, purpose),
          isNull(verificationTokens.usedAt),
        ),
      );

  if (channel === 'email') {
    const token = randomToken();
    const ttl = purpose === 'reset_password' ? LINK_TTL_MS.reset_password : LINK_TTL_MS.verify_email;
    await tx.insert(verificationTokens).values({
      userId: account.id,
      purpose,
      channel,
      target,
      tokenHash: sha256Hex(token),
      expiresAt: new Date(now.getTime() + ttl),
      createdAt: now,
    });
    // The token travels in the URL fragment, which browsers never send to servers or in Referer headers.
    const page = purpose === 'reset_password' ? 'reset-password' : 'verify-email';
    const link = `${config.publicUrl}/account/${page}#token=${token}`;
    const hours = ttl / 3_600_000;
    await enqueue(tx, {
      channel,
      recipient: target,
      subject: purpose === 'reset_password' ? 'Reset your Jobr password' : 'Confirm your e-mail address for Jobr',
      body:
        purpose === 'reset_password'
          ? `Hello ${account.name},\n\nSomeone asked to reset the password of your Jobr account. To choose a new one, open:\n\n${link}\n\nThe link works once, for ${hours} hour${hours === 1 ? '' : 's'}. If it was not you, ignore this message; your password stays as it is.\n`
          : `Hello ${account.name},\n\nConfirm that this address is yours by opening:\n\n${link}\n\nThe link works once, for ${hours} hours.\n`,
    });
    return;
  }
  const code = sixDigits();
  await tx.insert(verificationTokens).values({
    userId: account.id,
    purpose,
    channel,
    target,
    tokenHash: codeHash(account.id, code),
    requestHash: requestHash ?? null,
    expiresAt: new Date(now.getTime() + CODE_TTL_MS),
    createdAt: now,
  });
  await enqueue(tx, {
    channel,
    recipient: target,
    subject: purpose === 'reset_password' ? 'Jobr password reset code' : 'Jobr verification code',
    body: `Your Jobr ${purpose === 'reset_password' ? 'password reset' : 'verification'} code is ${code}. It expires in 10 minutes. Never share it.`,
  });
}

async function accountById(tx: Tx, userId: string): Promise<Account> {
  const [account] = await tx
    .select({ id: users.id, email: users.email, phoneNumber: users.phoneNumber, name: users.name })
    .from(users)
    .where(eq(users.id, userId));
  if (!account) throw new AppError('UNAUTHENTICATED');
  return account;
}

export async function requestVerification(
  db: Db,
  config: Config,
  userId: string,
  channel: 'email' | 'sms',
  now = new Date(),
) {
  await withContext(db, { kind: 'user', userId }, async (tx) => {
    const account = await accountById(tx, userId);
    if (channel === 'email' && !account.email) {
      throw new AppError('VALIDATION_FAILED', { message: 'Add an e-mail address to your account first.' });
    }
    if (channel === 'sms' && !account.phoneNumber) {
      throw new AppError('VALIDATION_FAILED', { message: 'Add a phone number to your account first.' });
    }
    await issue(tx, config, account, channel === 'email' ? 'verify_email' : 'verify_phone', channel, now);
  });
}

/** Finds the live link token, marks it used; TOKEN_INVALID when unknown, used or expired. */
async function consumeLink(tx: Tx, token: string, purpose: Purpose, now: Date) {
  const [row] = await tx
    .update(verificationTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(verificationTokens.tokenHash, sha256Hex(token)),
        eq(verificationTokens.purpose, purpose),
        eq(verificationTokens.channel, 'email'),
        isNull(verificationTokens.usedAt),
        gt(verificationTokens.expiresAt, now),
      ),
    )
    .returning({ userId: verificationTokens.userId, target: verificationTokens.target });
  if (!row) throw new AppError('TOKEN_INVALID');
  return row;
}

/**
 * Checks a code against the newest live one of the account (of the reset request named by
 * `requestHash`, when given). A wrong code uses up one attempt (in one statement, so parallel guesses
 * cannot exceed the budget); the last wrong attempt burns the code.
 */
async function consumeCode(tx: Tx, userId: string, code: string, purpose: Purpose, now: Date, requestHash?: string) {
  const [live] = await tx
    .update(verificationTokens)
    .set({ attempts: sql`${verificationTokens.attempts} + 1` })
    .where(
      sql`${verificationTokens.id} = (
        select id from verification_tokens
        where user_id = ${userId} and purpose = ${purpose} and channel = 'sms' and used_at is null
          and expires_at > ${now} and attempts < ${MAX_CODE_ATTEMPTS}
          ${requestHash === undefined ? sql`` : sql`and request_hash = ${requestHash}`}
        order by created_at desc limit 1
        for update)`,
    )
    .returning({
      id: verificationTokens.id,
      tokenHash: verificationTokens.tokenHash,
      attempts: verificationTokens.attempts,
      target: verificationTokens.target,
    });
  if (!live) throw new AppError('TOKEN_INVALID');
  const matches =
    /^\d{6}$/.test(code) && timingSafeEqual(Buffer.from(live.tokenHash), Buffer.from(codeHash(userId, code)));
  if (!matches) {
    const left = MAX_CODE_ATTEMPTS - live.attempts;
    throw new AppError('TOKEN_INVALID', {
      message:
        left > 0
          ? `The code is wrong. ${left} attempt${left === 1 ? '' : 's'} left.`
          : 'The code is wrong and no attempts are left. Request a new code.',
      details: { attemptsLeft: left },
    });
  }
  await tx.update(verificationTokens).set({ usedAt: now }).where(eq(verificationTokens.id, live.id));
  return live;
}

export async function confirmEmail(db: Db, token: string, now = new Date()): Promise<void> {
  await withContext(db, systemActor, async (tx) => {
    const { userId, target } = await consumeLink(tx, token, 'verify_email', now);
    // Proves control of the address the link was sent to; if the account's address changed since, nothing to verify.
    const updated = await tx
      .update(users)
      .set({ verified: true })
      .where(and(eq(users.id, userId), eq(users.email, target)))
      .returning({ id: users.id });
    if (updated.length === 0) throw new AppError('TOKEN_INVALID');
  });
}

export async function confirmPhone(db: Db, userId: string, code: string, now = new Date()): Promise<void> {
  // A wrong guess must stay counted, so the attempt is committed before the error is raised.
  const outcome = await withContext(db, { kind: 'user', userId }, async (tx) => {
    try {
      const { target } = await consumeCode(tx, userId, code, 'verify_phone', now);
      const updated = await tx
        .update(users)
        .set({ verified: true })
        .where(and(eq(users.id, userId), eq(users.phoneNumber, target)))
        .returning({ id: users.id });
      return updated.length > 0 ? null : new AppError('TOKEN_INVALID');
    } catch (err) {
      if (err instanceof AppError) return err;
      throw err;
    }
  });
  if (outcome) throw outcome;
}

/**
 * The work of a password-reset request, run by the `password-reset` task after the request has been
 * answered (issue 11, item 12): finds the account the identifier names and sends it a link (e-mail) or
 * a code bound to the request (SMS). An unknown or malformed identifier sends nothing.
 */
export async function sendPasswordReset(
  db: Db,
  config: Config,
  identifier: string,
  requestHash: string,
  now = new Date(),
): Promise<boolean> {
  const parsed = parseIdentifier(identifier);
  if (!parsed) return false;
  return withContext(db, systemActor, async (tx) => {
    const [account] = await tx
      .select({ id: users.id, email: users.email, phoneNumber: users.phoneNumber, name: users.name })
      .from(users)
      .where(
        parsed.kind === 'email'
          ? sql`lower(${users.email}) = lower(${parsed.email})`
          : eq(users.phoneNumber, parsed.phone),
      );
    if (!account) return false;
    if (parsed.kind === 'email') await issue(tx, config, account, 'reset_password', 'email', now);
    else await issue(tx, config, account, 'reset_password', 'sms', now, requestHash);
    return true;
  });
}

export type ResetProof = { token: string } | { phone: string; code: string; requestId: string };

/** A user id no account has: lets an unknown phone number run the same code lookup as a known one. */
const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000';

/** The one answer to a refused reset code: unknown number, no live code, wrong code, no attempts left. */
const resetCodeRefused = () =>
  new AppError('TOKEN_INVALID', { message: 'The number or the code is wrong, or the code has expired.' });

/** Sets the new password, clears any lockout, ends every session of the account and revokes its API keys. */
export async function resetPassword(db: Db, proof: ResetProof, newPassword: string, now = new Date()): Promise<void> {
  assertAcceptablePassword(newPassword);
  const passwordHash = await hashPassword(newPassword);
  const outcome = await withContext(db, systemActor, async (tx) => {
    let userId: string;
    let viaEmail: string | null = null;
    try {
      if ('token' in proof) {
        const link = await consumeLink(tx, proof.token, 'reset_password', now);
        userId = link.userId;
        viaEmail = link.target;
      } else {
        const phone = normalizePhone(proof.phone);
        const [account] = phone
          ? await tx.select({ id: users.id }).from(users).where(eq(users.phoneNumber, phone))
          : [];
        // The same work and the same answer whether or not the number has an account (issue 11, item 4):
        // an unknown number runs the code lookup too, and no answer says how many attempts are left.
        try {
          const requestHash = sha256Hex(proof.requestId);
          await consumeCode(tx, account?.id ?? NO_ACCOUNT, proof.code, 'reset_password', now, requestHash);
        } catch (err) {
          if (err instanceof AppError) return resetCodeRefused();
          throw err;
        }
        if (!account) return resetCodeRefused();
        userId = account.id;
      }
    } catch (err) {
      if (err instanceof AppError) return err;
      throw err;
    }
    await tx.update(users).set({ passwordHash, failedLoginAttempts: 0, lockedUntil: null }).where(eq(users.id, userId));
    // Following an e-mailed link proves control of that address.
    if (viaEmail)
      await tx
        .update(users)
        .set({ verified: true })
        .where(and(eq(users.id, userId), eq(users.email, viaEmail)));
    await tx
      .update(verificationTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(verificationTokens.userId, userId),
          eq(verificationTokens.purpose, 'reset_password'),
          isNull(verificationTokens.usedAt),
        ),
      );
    await tx.delete(userSessions).where(eq(userSessions.userId, userId));
    await revokeApiKeys(tx, userId);
    return null;
  });
  if (outcome) throw outcome;
}
