/**
 * Account lockout after repeated wrong passwords (docs/decisions/003-lockout-and-sessions.md).
 *
 * After LOCK_THRESHOLD consecutive failures the account locks for 1, 2, 4, 8, then at most 15 minutes.
 * Failures during a lock are not counted (nothing to gain by hammering), so an attacker can delay password
 * sign-in by at most 15 minutes per attempt after each expiry — never forever: the owner keeps their
 * existing sessions, can reset the password (which clears the lock), and per-IP rate limits slow the
 * attacker. The counter is changed in ONE statement, so parallel failures cannot skip past the threshold.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { users } from '../../db/schema/index.ts';

export const LOCK_THRESHOLD = 5;
export const MAX_LOCK_MINUTES = 15;

/** Records one failure atomically; returns the new count and lock (if any). */
export async function recordFailedLogin(
  tx: Tx,
  userId: string,
): Promise<{ attempts: number; lockedUntil: Date | null }> {
  const attempts = sql`${users.failedLoginAttempts} + 1`;
  const [row] = await tx
    .update(users)
    .set({
      failedLoginAttempts: attempts,
      lockedUntil: sql`CASE WHEN ${attempts} >= ${LOCK_THRESHOLD}
        THEN now() + make_interval(mins => LEAST(${MAX_LOCK_MINUTES}, power(2, LEAST(${attempts} - ${LOCK_THRESHOLD}, 8)))::int)
        ELSE ${users.lockedUntil} END`,
    })
    .where(sql`${users.id} = ${userId} AND (${users.lockedUntil} IS NULL OR ${users.lockedUntil} <= now())`)
    .returning({ attempts: users.failedLoginAttempts, lockedUntil: users.lockedUntil });
  return row ?? { attempts: LOCK_THRESHOLD, lockedUntil: null };
}

export async function clearFailedLogins(tx: Tx, userId: string): Promise<void> {
  await tx
    .update(users)
    .set({ failedLoginAttempts: 0, lockedUntil: null })
    .where(sql`${users.id} = ${userId} AND (${users.failedLoginAttempts} <> 0 OR ${users.lockedUntil} IS NOT NULL)`);
}

export const isLocked = (lockedUntil: Date | null, now = new Date()) => lockedUntil !== null && lockedUntil > now;
