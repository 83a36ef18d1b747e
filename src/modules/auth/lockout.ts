/**
 * Account lockout after repeated wrong passwords (docs/decisions/003-lockout-and-sessions.md).
 *
 * After LOCK_THRESHOLD consecutive failures the account locks for 1, 2, 4, 8, then at most 15 minutes.
 * Failures during a lock are not counted (nothing to gain by hammering), so an attacker can delay password
 * sign-in by at most 15 minutes per attempt after each expiry — never forever: the owner keeps their
 * existing sessions, can reset the password (which clears the lock), and per-IP rate limits slow the
 * attacker.
 *
 * Reserve, then verify, then settle. A guess is counted as a failure and the lock decided in ONE
 * statement *before* the password is checked, and only an attempt that got a reservation is checked at
 * all. Deciding after the (slow) check from a value read before it let parallel guesses all see
 * "not locked": 10 at once got the right one in after 9 wrong. Now however many arrive at once, at most
 * LOCK_THRESHOLD are checked before the lock holds; a right password then settles (clears) the counter.
 */
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { users } from '../../db/schema/index.ts';
import type { Identifier } from './identifiers.ts';

export const LOCK_THRESHOLD = 5;
export const MAX_LOCK_MINUTES = 15;

export type Reservation = { userId: string; passwordHash: string };

/**
 * Counts one password attempt against the account with this identifier, locking it at the threshold.
 * Returns the account's hash to check the password against, or undefined when there is no such account,
 * it has no password, or it is locked: then nothing may be checked.
 */
export async function reserveLoginAttempt(tx: Tx, identifier: Identifier): Promise<Reservation | undefined> {
  const attempts = sql`${users.failedLoginAttempts} + 1`;
  const [row] = await tx
    .update(users)
    .set({
      failedLoginAttempts: attempts,
      lockedUntil: sql`CASE WHEN ${attempts} >= ${LOCK_THRESHOLD}
        THEN now() + make_interval(mins => LEAST(${MAX_LOCK_MINUTES}, power(2, LEAST(${attempts} - ${LOCK_THRESHOLD}, 8)))::int)
        ELSE NULL END`,
    })
    .where(
      sql`${identifier.kind === 'email' ? sql`lower(${users.email}) = lower(${identifier.email})` : eq(users.phoneNumber, identifier.phone)}
        AND ${users.passwordHash} IS NOT NULL
        AND (${users.lockedUntil} IS NULL OR ${users.lockedUntil} <= now())`,
    )
    .returning({ userId: users.id, passwordHash: users.passwordHash });
  return row?.passwordHash ? { userId: row.userId, passwordHash: row.passwordHash } : undefined;
}

/** Settles a reservation whose password was right: the failures before it no longer count. */
export async function clearFailedLogins(tx: Tx, userId: string): Promise<void> {
  await tx
    .update(users)
    .set({ failedLoginAttempts: 0, lockedUntil: null })
    .where(sql`${users.id} = ${userId} AND (${users.failedLoginAttempts} <> 0 OR ${users.lockedUntil} IS NOT NULL)`);
}
