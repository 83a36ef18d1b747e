/** In-app notifications and each user's choice of what to be told and how (not in the design document). */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id, timestamptz } from './columns.ts';
import { users } from './users.ts';

export const NOTIFICATION_KINDS = ['application_status', 'reminder', 'follow_up', 'job_alert'] as const;

export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: varchar('kind', { length: 30 }).$type<(typeof NOTIFICATION_KINDS)[number]>().notNull(),
    title: varchar('title', { length: 200 }).notNull(),
    body: text('body').notNull(),
    /** A path in the web app ("/applications/…") that the notification is about. */
    link: varchar('link', { length: 500 }),
    readAt: timestamptz('read_at'),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      'notifications_kind_valid',
      sql`${t.kind} IN (${sql.raw(NOTIFICATION_KINDS.map((k) => `'${k}'`).join(', '))})`,
    ),
    index('idx_notifications_user_created').on(t.userId, t.createdAt.desc(), t.id.desc()),
    index('idx_notifications_user_unread').on(t.userId).where(sql`${t.readAt} IS NULL`),
  ],
);

/** One row per user who changed a default; a missing row means the defaults below. */
export const notificationSettings = pgTable(
  'notification_settings',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    statusChangeInApp: boolean('status_change_in_app').notNull().default(true),
    statusChangeEmail: boolean('status_change_email').notNull().default(true),
    reminderEmail: boolean('reminder_email').notNull().default(true),
    followUpDigestEmail: boolean('follow_up_digest_email').notNull().default(false),
    /** Applications without a response after this many days are listed as "follow up". */
    followUpAfterDays: integer('follow_up_after_days').notNull().default(14),
    /** When the last weekly follow-up digest went out. */
    followUpDigestSentAt: timestamptz('follow_up_digest_sent_at'),
    updatedAt: createdAt('updated_at'),
  },
  (t) => [check('notification_settings_follow_up_days', sql`${t.followUpAfterDays} BETWEEN 1 AND 365`)],
);
