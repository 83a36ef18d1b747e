import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id, inValues, timestamptz } from './columns.ts';

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
    check('users_plan_valid', inValues(t.plan, PLANS)),
    check('users_plan_status_valid', inValues(t.planStatus, PLAN_STATUSES)),
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
