/** The outbox of the outbox module (src/modules/outbox): e-mail and SMS waiting to be delivered. */
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id, inValues, timestamptz } from './columns.ts';
import { DELIVERY_CHANNELS } from './identity.ts';

export const OUTBOX_STATUSES = ['pending', 'sent', 'stored', 'failed'] as const;

/** A small text file sent with an e-mail (e.g. a reminder's `interview.ics`); cleared with the body once delivered. */
export type OutboxAttachment = { filename: string; contentType: string; content: string };

/**
 * Messages to send (e-mail, SMS), written in the same transaction as the change that causes them and
 * delivered by the outbox task. The body is cleared once delivered: it may hold a one-time secret.
 */
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    id: id(),
    channel: varchar('channel', { length: 10 }).notNull(),
    recipient: varchar('recipient', { length: 320 }).notNull(),
    subject: varchar('subject', { length: 255 }).notNull(),
    body: text('body').notNull(),
    attachments: jsonb('attachments').$type<OutboxAttachment[]>().notNull().default([]),
    status: varchar('status', { length: 10 }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    nextAttemptAt: timestamptz('next_attempt_at').notNull().defaultNow(),
    sentAt: timestamptz('sent_at'),
    createdAt: createdAt(),
  },
  (t) => [
    check('outbox_channel_valid', inValues(t.channel, DELIVERY_CHANNELS)),
    check('outbox_status_valid', inValues(t.status, OUTBOX_STATUSES)),
    index('idx_outbox_pending').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('idx_outbox_created_at').on(t.createdAt),
  ],
);
