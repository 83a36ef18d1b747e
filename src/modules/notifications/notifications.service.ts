/**
 * Notifications: in-app messages (with an unread count) and e-mails through the outbox, each kind
 * switchable per user (notification_settings; a missing row means the defaults). Written in the
 * transaction of the change they tell about, so a rolled-back change notifies no one.
 */

import { and, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import {
  type NOTIFICATION_KINDS,
  notificationSettings,
  notifications,
  type OutboxAttachment,
  users,
} from '../../db/schema/index.ts';
import { newestFirst, pageOf } from '../../lib/keyset.ts';
import { enqueueMany } from '../outbox/outbox.ts';

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type NotificationSettings = Omit<
  typeof notificationSettings.$inferSelect,
  'userId' | 'updatedAt' | 'followUpDigestSentAt'
>;

export const DEFAULT_SETTINGS: NotificationSettings = {
  statusChangeInApp: true,
  statusChangeEmail: true,
  reminderEmail: true,
  followUpDigestEmail: false,
  followUpAfterDays: 14,
};

export async function settingsOf(tx: Tx, userId: string): Promise<NotificationSettings> {
  const [row] = await tx.select().from(notificationSettings).where(eq(notificationSettings.userId, userId));
  if (!row) return DEFAULT_SETTINGS;
  const { userId: _u, updatedAt: _t, followUpDigestSentAt: _s, ...settings } = row;
  return settings;
}

export async function updateSettings(tx: Tx, userId: string, changes: Partial<NotificationSettings>) {
  await tx
    .insert(notificationSettings)
    .values({ ...DEFAULT_SETTINGS, ...changes, userId })
    .onConflictDoUpdate({ target: notificationSettings.userId, set: changes });
  return settingsOf(tx, userId);
}

export type Notice = { kind: NotificationKind; title: string; body: string; link?: string | null };

type Channels = { inApp: boolean; email: boolean; publicUrl: string; attachments?: OutboxAttachment[] };

/** Writes the in-app notification (when `inApp`) and queues the e-mail (when `email` and the user has an address). */
export async function notify(tx: Tx, userId: string, notice: Notice, channels: Channels): Promise<void> {
  await notifyMany(tx, [{ userId, notice }], channels);
}

/**
 * `notify` for many users at once in a fixed number of statements, whatever their number: one multi-row
 * insert of the in-app notifications, one read of the addresses, one insert of the outbox rows and one of
 * their delivery jobs (the alert run sends up to 500 seekers' messages per batch).
 */
export async function notifyMany(
  tx: Tx,
  deliveries: Array<{ userId: string; notice: Notice }>,
  channels: Channels,
): Promise<void> {
  if (deliveries.length === 0) return;
  if (channels.inApp) {
    await tx
      .insert(notifications)
      .values(deliveries.map(({ userId, notice }) => ({ userId, ...notice, link: notice.link ?? null })));
  }
  if (!channels.email) return;
  const addresses = await tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(inArray(users.id, [...new Set(deliveries.map((d) => d.userId))]));
  const emailOf = new Map(addresses.map((a) => [a.id, a.email]));
  const footer = `\n\nChoose which e-mails you get: ${new URL('/account/notifications', channels.publicUrl)}`;
  await enqueueMany(
    tx,
    deliveries.flatMap(({ userId, notice }) => {
      const recipient = emailOf.get(userId);
      if (!recipient) return [];
      const link = notice.link ? `\n\n${new URL(notice.link, channels.publicUrl).toString()}` : '';
      return [
        {
          channel: 'email' as const,
          recipient,
          subject: notice.title,
          body: `${notice.body}${link}${footer}`,
          ...(channels.attachments ? { attachments: channels.attachments } : {}),
        },
      ];
    }),
  );
}

export async function unreadCount(tx: Tx, userId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return Number(row?.n ?? 0);
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listNotifications(
  tx: Tx,
  userId: string,
  options: { limit: number; cursor?: string | undefined; unread?: boolean | undefined },
) {
  const keyset = newestFirst(notifications.createdAt, notifications.id, options.cursor);
  const rows = await tx
    .select({
      id: notifications.id,
      kind: notifications.kind,
      title: notifications.title,
      body: notifications.body,
      link: notifications.link,
      readAt: notifications.readAt,
      createdAt: notifications.createdAt,
      key: keyset.key,
    })
    .from(notifications)
    .where(
      and(eq(notifications.userId, userId), options.unread ? isNull(notifications.readAt) : undefined, keyset.after),
    )
    .orderBy(...keyset.orderBy)
    .limit(options.limit + 1);
  const { page, nextCursor } = pageOf(rows, options.limit);
  return {
    data: page.map(({ key: _key, ...n }) => n),
    nextCursor,
    unread: await unreadCount(tx, userId),
  };
}

/** Marks the given notifications (or all) read; returns how many changed. Others' ids change nothing. */
export async function markRead(tx: Tx, userId: string, ids: string[] | 'all'): Promise<number> {
  const changed = await tx
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        ids === 'all' ? undefined : inArray(notifications.id, ids),
      ),
    )
    .returning({ id: notifications.id });
  return changed.length;
}
