/**
 * Additive tables for account verification and recovery (not in the design document; see
 * docs/schema-notes.md): one-time secrets for verification and recovery.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id, inValues, timestamptz } from './columns.ts';
import { users } from './users.ts';

export const VERIFICATION_PURPOSES = ['verify_email', 'verify_phone', 'reset_password'] as const;
export const DELIVERY_CHANNELS = ['email', 'sms'] as const;

/** An e-mail link or SMS code: stored as SHA-256, single use, expiring, with limited attempts. */
export const verificationTokens = pgTable(
  'verification_tokens',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: varchar('purpose', { length: 20 }).notNull(),
    channel: varchar('channel', { length: 10 }).notNull(),
    /** The address the secret went to: verifying proves control of this one, not of a later one. */
    target: varchar('target', { length: 320 }).notNull(),
    tokenHash: varchar('token_hash', { length: 64 }).notNull(),
    /**
     * SHA-256 of the opaque id the reset request answered with (SMS reset codes): a guess counts only
     * against the code of the request it names, so a stranger's guesses cannot burn the owner's code.
     */
    requestHash: varchar('request_hash', { length: 64 }),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
    createdAt: createdAt(),
  },
  (t) => [
    check('vt_purpose_valid', inValues(t.purpose, VERIFICATION_PURPOSES)),
    check('vt_channel_valid', inValues(t.channel, DELIVERY_CHANNELS)),
    check('vt_attempts_non_negative', sql`${t.attempts} >= 0`),
    index('idx_vt_token_hash').on(t.tokenHash),
    index('idx_vt_user_purpose').on(t.userId, t.purpose, t.createdAt.desc()),
    index('idx_vt_expires_at').on(t.expiresAt),
  ],
);
