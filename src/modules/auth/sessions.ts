/**
 * Sessions (`user_sessions`): the table stores the SHA-256 of the token in `session_token`; the
 * token itself exists only in the client's cookie or Authorization header.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { setIdentity, withContext } from '../../db/context.ts';
import { userSessions, users } from '../../db/schema/index.ts';
import { randomToken, sha256Hex } from '../../lib/tokens.ts';

export const SESSION_IDLE_MS = 30 * 86_400_000; // sliding: 30 days after last use
export const SESSION_ABSOLUTE_MS = 90 * 86_400_000; // never longer than 90 days after sign-in
const TOUCH_INTERVAL_MS = 60_000; // write last_accessed at most once a minute

export type SessionUser = { id: string; name: string; email: string | null; role: 'user' | 'admin'; plan: string };

/** The columns of the caller that authentication reads, for a session and an API key alike. */
export const sessionUserColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  role: users.role,
  plan: users.plan,
};

export type CreateSessionOptions = { userId: string; userAgent?: string | null; ipAddress?: string | null; now?: Date };

/** A new session for `options.userId`; `tx` must act as that user (row-level security checks it). */
export async function createSession(
  tx: Tx,
  options: CreateSessionOptions,
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const token = randomToken();
  const now = options.now ?? new Date();
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  const [row] = await tx
    .insert(userSessions)
    .values({
      userId: options.userId,
      sessionToken: sha256Hex(token),
      userAgent: options.userAgent?.slice(0, 1000) ?? null,
      ipAddress: options.ipAddress ?? null,
      expiresAt,
      createdAt: now,
      lastAccessed: now,
    })
    .returning({ id: userSessions.id });
  if (!row) throw new Error('session not created');
  return { token, sessionId: row.id, expiresAt };
}

/**
 * The live session for a token, or null (unknown, expired, past its absolute cap). Extends the sliding
 * expiry when last used more than a minute ago.
 */
export async function resolveSession(
  db: Db,
  token: string,
  now = new Date(),
): Promise<{ sessionId: string; user: SessionUser } | null> {
  const hash = sha256Hex(token);
  return withContext(
    db,
    { kind: 'anonymous' },
    async (tx) => {
      const [row] = await tx
        .select({
          sessionId: userSessions.id,
          expiresAt: userSessions.expiresAt,
          createdAt: userSessions.createdAt,
          lastAccessed: userSessions.lastAccessed,
          user: sessionUserColumns,
        })
        .from(userSessions)
        .innerJoin(users, eq(users.id, userSessions.userId))
        .where(eq(userSessions.sessionToken, hash));
      if (!row) return null;
      const absoluteEnd = row.createdAt.getTime() + SESSION_ABSOLUTE_MS;
      if (row.expiresAt.getTime() <= now.getTime() || absoluteEnd <= now.getTime()) return null;
      if (now.getTime() - row.lastAccessed.getTime() >= TOUCH_INTERVAL_MS) {
        // Now that we know whose session this is, act as that user for the write.
        await setIdentity(tx, { kind: 'user', userId: row.user.id }, { credentialHash: hash });
        const expiresAt = new Date(Math.min(now.getTime() + SESSION_IDLE_MS, absoluteEnd));
        await tx
          .update(userSessions)
          .set({ lastAccessed: now, expiresAt })
          .where(and(eq(userSessions.id, row.sessionId), sql`${userSessions.expiresAt} > ${now}`));
      }
      return { sessionId: row.sessionId, user: { ...row.user, role: row.user.role as SessionUser['role'] } };
    },
    { credentialHash: hash },
  );
}
