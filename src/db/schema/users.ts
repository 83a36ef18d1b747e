import { sql } from 'drizzle-orm';
import { boolean, check, index, inet, integer, pgTable, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id, timestamptz } from './columns.ts';

export const PLANS = ['Free', 'Premium', 'Enterprise'] as const;
export const PLAN_STATUSES = ['active', 'cancelled', 'past_due', 'unpaid'] as const;

// The doc's e-mail CHECK (section "Check Constraints"), kept verbatim so the database enforces the same rule as the API.
export const EMAIL_PATTERN = '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$';

export const users = pgTable(
  'users',
  {
    id: id(),
    email: varchar('email', { length: 255 }).unique('users_email_key'),
    name: varchar('name', { length: 255 }).notNull(),
    passwordHash: varchar('password_hash', { length: 255 }),
    phoneNumber: varchar('phone_number', { length: 20 }).unique('users_phone_number_key'),
    plan: varchar('plan', { length: 50 }).notNull().default('Free'),
    planStatus: varchar('plan_status', { length: 20 }).notNull().default('active'),
    verified: boolean('verified').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: createdAt('updated_at'),
    googleId: varchar('google_id', { length: 255 }).unique('users_google_id_key'),
    replitId: varchar('replit_id', { length: 255 }).unique('users_replit_id_key'),
    failedLoginAttempts: integer('failed_login_attempts').notNull().default(0),
    lockedUntil: timestamptz('locked_until'),
    // Additive: roles (issue "Identity and access"). 'user' | 'admin'.
    role: varchar('role', { length: 20 }).notNull().default('user'),
  },
  (t) => [
    check('users_email_or_phone_required', sql`${t.email} IS NOT NULL OR ${t.phoneNumber} IS NOT NULL`),
    check('users_plan_valid', sql`${t.plan} IN ('Free', 'Premium', 'Enterprise')`),
    check('users_plan_status_valid', sql`${t.planStatus} IN ('active', 'cancelled', 'past_due', 'unpaid')`),
    check('users_email_valid', sql`${t.email} ~ '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$'`),
    check('users_role_valid', sql`${t.role} IN ('user', 'admin')`),
    check('users_failed_login_attempts_nonnegative', sql`${t.failedLoginAttempts} >= 0`),
    index('idx_users_email').on(t.email).where(sql`${t.email} IS NOT NULL`),
    index('idx_users_phone').on(t.phoneNumber).where(sql`${t.phoneNumber} IS NOT NULL`),
    index('idx_users_plan_status').on(t.plan, t.planStatus),
    index('idx_users_google_id').on(t.googleId).where(sql`${t.googleId} IS NOT NULL`),
    index('idx_users_replit_id').on(t.replitId).where(sql`${t.replitId} IS NOT NULL`),
    index('idx_users_created_at').on(t.createdAt),
    // Additive: one account per address whatever its case ("Ann@x.io" and "ann@x.io" are one person).
    uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`),
  ],
);

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

export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** SHA-256 (hex) of the full key; the key is shown once and never stored. */
    keyHash: varchar('key_hash', { length: 255 }).notNull().unique('api_keys_key_hash_key'),
    name: varchar('name', { length: 100 }).notNull(),
    permissions: text('permissions').array().notNull().default(sql`'{}'`),
    active: boolean('active').notNull().default(true),
    expiresAt: timestamptz('expires_at'),
    createdAt: createdAt(),
    lastUsed: timestamptz('last_used'),
    // Additive: the recognisable, non-secret start of the key, shown in listings.
    prefix: varchar('prefix', { length: 32 }),
  },
  (t) => [
    check('ak_name_length', sql`LENGTH(${t.name}) > 0`),
    index('idx_ak_user_id').on(t.userId),
    index('idx_ak_key_hash').on(t.keyHash),
    index('idx_ak_active').on(t.active).where(sql`${t.active} = TRUE`),
    index('idx_ak_expires_at').on(t.expiresAt).where(sql`${t.expiresAt} IS NOT NULL`),
    index('idx_api_keys_active').on(t.active).where(sql`${t.active} = TRUE`),
  ],
);
