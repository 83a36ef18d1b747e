/** Sessions of the auth module (src/modules/auth/sessions.ts). */
import { sql } from 'drizzle-orm';
import { check, index, inet, pgTable, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id, timestamptz } from './columns.ts';
import { users } from './users.ts';

export const userSessions = pgTable(
  'user_sessions',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** SHA-256 (hex) of the session secret; the secret itself is never stored. */
    sessionToken: varchar('session_token', { length: 500 }).notNull().unique('user_sessions_session_token_key'),
    userAgent: text('user_agent'),
    ipAddress: inet('ip_address'),
    expiresAt: timestamptz('expires_at').notNull(),
    createdAt: createdAt(),
    lastAccessed: createdAt('last_accessed'),
  },
  (t) => [
    check('us_expires_future', sql`${t.expiresAt} > ${t.createdAt}`),
    index('idx_us_user_id').on(t.userId),
    index('idx_us_session_token').on(t.sessionToken),
    index('idx_us_expires_at').on(t.expiresAt),
    index('idx_us_last_accessed').on(t.lastAccessed.desc()),
    // The doc's `WHERE expires_at > NOW()` is not a legal index predicate (NOW() is not immutable);
    // this serves the same purpose: a user's live sessions, newest expiry first.
    index('idx_sessions_valid').on(t.userId, t.expiresAt.desc()),
  ],
);
