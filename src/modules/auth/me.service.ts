/** The signed-in user's own account: read, change, delete; their sessions. */
import { and, desc, eq, gt } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { userSessions, users } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { hashPassword, verifyPassword } from '../../lib/passwords.ts';
import { planRenewsAt } from '../billing/billing.service.ts';
import { unreadCount } from '../notifications/notifications.service.ts';
import { assertAcceptablePassword, endSessions, normalizedContact, rethrowContactTaken } from './auth.service.ts';

export async function getMe(tx: Tx, userId: string) {
  const [row] = await tx.select().from(users).where(eq(users.id, userId));
  const renewsAt = row ? await planRenewsAt(tx, userId, row.plan) : null;
  const unread = row ? await unreadCount(tx, userId) : 0;
  if (!row) throw new AppError('UNAUTHENTICATED');
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phoneNumber,
    role: row.role as 'user' | 'admin',
    plan: row.plan,
    planStatus: row.planStatus,
    planRenewsAt: renewsAt,
    unreadNotifications: unread,
    verified: row.verified,
    hasPassword: row.passwordHash !== null,
    linkedProviders: [...(row.googleId ? (['google'] as const) : []), ...(row.replitId ? (['replit'] as const) : [])],
    createdAt: row.createdAt,
  };
}

async function assertCurrentPassword(tx: Tx, userId: string, currentPassword: string | undefined): Promise<void> {
  const [row] = await tx.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  // An account without a password (OAuth only) has nothing to confirm with; it may set one.
  if (!row?.passwordHash) return;
  if (!currentPassword || !(await verifyPassword(row.passwordHash, currentPassword))) {
    throw new AppError('CURRENT_PASSWORD_INVALID');
  }
}

export type UpdateMeOptions = {
  userId: string;
  sessionId: string;
  changes: {
    name?: string;
    email?: string | null;
    phone?: string | null;
    newPassword?: string;
    currentPassword?: string;
  };
};

/**
 * Changing e-mail, phone or password needs the current password; a new password ends all other sessions,
 * in the same transaction as the change (both happen or neither).
 */
export async function updateMe(tx: Tx, { userId, sessionId, changes }: UpdateMeOptions) {
  const sensitive = changes.email !== undefined || changes.phone !== undefined || changes.newPassword !== undefined;
  if (sensitive) await assertCurrentPassword(tx, userId, changes.currentPassword);
  const contact = normalizedContact({ email: changes.email ?? undefined, phone: changes.phone ?? undefined });
  if (changes.newPassword !== undefined) assertAcceptablePassword(changes.newPassword);

  const set: Partial<typeof users.$inferInsert> = {};
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.email !== undefined) set.email = contact.email;
  if (changes.phone !== undefined) set.phoneNumber = contact.phone;
  // A changed address is no longer the verified one.
  if (changes.email !== undefined || changes.phone !== undefined) set.verified = false;
  if (changes.newPassword !== undefined) set.passwordHash = await hashPassword(changes.newPassword);
  if (Object.keys(set).length > 0) {
    try {
      await tx.update(users).set(set).where(eq(users.id, userId));
    } catch (err) {
      // Removing both the e-mail and the phone breaks users_email_or_phone_required.
      if (err instanceof Error && /users_email_or_phone_required/.test(String(err.cause ?? err.message))) {
        throw new AppError('VALIDATION_FAILED', {
          details: [{ path: 'email', message: 'Keep an e-mail address or a phone number.' }],
        });
      }
      rethrowContactTaken(err);
    }
  }
  if (changes.newPassword !== undefined) await endSessions(tx, userId, sessionId);
  return getMe(tx, userId);
}

/** Deletes the account; the schema's ON DELETE CASCADE removes everything it owns. */
export async function deleteMe(tx: Tx, userId: string, currentPassword: string | undefined): Promise<void> {
  await assertCurrentPassword(tx, userId, currentPassword);
  await tx.delete(users).where(eq(users.id, userId));
}

export async function listSessions(tx: Tx, userId: string, currentSessionId: string | null) {
  const rows = await tx
    .select()
    .from(userSessions)
    .where(and(eq(userSessions.userId, userId), gt(userSessions.expiresAt, new Date())))
    .orderBy(desc(userSessions.lastAccessed));
  return rows.map((s) => ({
    id: s.id,
    current: s.id === currentSessionId,
    userAgent: s.userAgent,
    ipAddress: s.ipAddress,
    createdAt: s.createdAt,
    lastAccessed: s.lastAccessed,
    expiresAt: s.expiresAt,
  }));
}
