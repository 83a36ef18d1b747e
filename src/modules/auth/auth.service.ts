/** Registration, log-in and log-out. */
import { randomUUID } from 'node:crypto';
import { and, eq, ne } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { type Work, withContext } from '../../db/context.ts';
import { userSessions, users } from '../../db/schema/index.ts';
import { isUniqueViolation } from '../../lib/db-errors.ts';
import { AppError } from '../../lib/errors.ts';
import { hashPassword, verifyPassword } from '../../lib/passwords.ts';
import { normalizeEmail, normalizePhone, parseIdentifier } from './identifiers.ts';
import { clearFailedLogins, reserveLoginAttempt } from './lockout.ts';
import { passwordProblem } from './password-policy.ts';
import { createSession } from './sessions.ts';

export type ClientMeta = { userAgent?: string | null; ipAddress?: string | null };
export type NewSession = { token: string; sessionId: string; expiresAt: Date; userId: string };

/** Throws WEAK_PASSWORD with the reason; the single gate for every password a user chooses. */
export function assertAcceptablePassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem)
    throw new AppError('WEAK_PASSWORD', { message: problem, details: [{ path: 'password', message: problem }] });
}

export function normalizedContact(input: { email?: string; phone?: string }): {
  email: string | null;
  phone: string | null;
} {
  const email = input.email === undefined ? null : normalizeEmail(input.email);
  if (input.email !== undefined && !email) {
    throw new AppError('VALIDATION_FAILED', { details: [{ path: 'email', message: 'Not a valid e-mail address.' }] });
  }
  const phone = input.phone === undefined ? null : normalizePhone(input.phone);
  if (input.phone !== undefined && !phone) {
    throw new AppError('VALIDATION_FAILED', {
      details: [
        { path: 'phone', message: 'Not a valid phone number; include the country code, e.g. +44 20 7946 0958.' },
      ],
    });
  }
  return { email, phone };
}

/** Maps the unique constraints on users to the codes a client can act on. */
export function rethrowContactTaken(err: unknown): never {
  if (isUniqueViolation(err, 'users_email_key') || isUniqueViolation(err, 'users_email_lower_key'))
    throw new AppError('EMAIL_TAKEN');
  if (isUniqueViolation(err, 'users_phone_number_key')) throw new AppError('PHONE_TAKEN');
  throw err;
}

export type RegisterOptions = { name: string; email?: string; phone?: string; password: string; meta: ClientMeta };

/**
 * Creates the account and its first session in the caller's unit of work. The id is chosen here so the
 * unit can act as the new user before inserting: row-level security shows the inserted row (RETURNING)
 * only to its owner.
 */
export async function register(work: Work, options: RegisterOptions): Promise<NewSession> {
  const { email, phone } = normalizedContact(options);
  if (!email && !phone) {
    throw new AppError('VALIDATION_FAILED', {
      details: [{ path: 'email', message: 'Give an e-mail address or a phone number.' }],
    });
  }
  assertAcceptablePassword(options.password);
  const passwordHash = await hashPassword(options.password);
  const userId = randomUUID();
  await work.actAs({ kind: 'user', userId });
  try {
    // A savepoint: a duplicate address fails this insert only, and the error says which one.
    await work.tx.transaction((sp) =>
      sp.insert(users).values({ id: userId, name: options.name, email, phoneNumber: phone, passwordHash }),
    );
  } catch (err) {
    rethrowContactTaken(err);
  }
  const session = await createSession(work.tx, { userId, ...options.meta });
  return { ...session, userId };
}

// A real argon2id hash of a random string: verifying against it costs what a real check costs, so an
// unknown identifier takes as long as a wrong password (no timing oracle for account existence).
const dummyHash = hashPassword(`dummy-${Math.random()}`);

/**
 * Checks an identifier and password; returns the user's id or throws INVALID_CREDENTIALS. Runs before (and
 * outside) the request's unit of work: the attempt is counted, and the lock decided, in a transaction of
 * its own that commits before the password is checked, so a failed sign-in always counts (lockout.ts).
 */
export async function checkCredentials(db: Db, options: { identifier: string; password: string }): Promise<string> {
  const identifier = parseIdentifier(options.identifier);
  const reserved = identifier
    ? await withContext(db, { kind: 'anonymous' }, (tx) => reserveLoginAttempt(tx, identifier), {
        loginIdentifier: identifier.kind === 'email' ? identifier.email.toLowerCase() : identifier.phone,
      })
    : undefined;
  // Unknown, password-less and locked accounts still cost one argon2 verification: same answer, same work.
  const passwordMatches = await verifyPassword(reserved?.passwordHash ?? (await dummyHash), options.password);
  if (!reserved || !passwordMatches) throw new AppError('INVALID_CREDENTIALS');
  return reserved.userId;
}

/** After checkCredentials: clears the failed attempts and opens a session, in the caller's unit of work. */
export async function startSession(work: Work, userId: string, meta: ClientMeta): Promise<NewSession> {
  await work.actAs({ kind: 'user', userId });
  await clearFailedLogins(work.tx, userId);
  const session = await createSession(work.tx, { userId, ...meta });
  return { ...session, userId };
}

export async function endSession(tx: Tx, userId: string, sessionId: string): Promise<boolean> {
  const deleted = await tx
    .delete(userSessions)
    .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, userId)))
    .returning({ id: userSessions.id });
  return deleted.length > 0;
}

/** Ends every session of the user, or every one but `keepSessionId`. Returns how many ended. */
export async function endSessions(tx: Tx, userId: string, keepSessionId?: string): Promise<number> {
  const deleted = await tx
    .delete(userSessions)
    .where(and(eq(userSessions.userId, userId), keepSessionId ? ne(userSessions.id, keepSessionId) : undefined))
    .returning({ id: userSessions.id });
  return deleted.length;
}
