/** A user's requests for a copy of their data (GDPR articles 15 and 20), built in the background. */
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id, inValues, timestamptz } from './columns.ts';
import { users } from './users.ts';

export const EXPORT_STATUSES = ['pending', 'ready', 'failed'] as const;

export const dataExports = pgTable(
  'data_exports',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: varchar('status', { length: 10 }).$type<(typeof EXPORT_STATUSES)[number]>().notNull().default('pending'),
    /** Where the ZIP is kept (the same store as CV originals). */
    storageKey: varchar('storage_key', { length: 255 }),
    sizeBytes: integer('size_bytes'),
    error: text('error'),
    createdAt: createdAt(),
    readyAt: timestamptz('ready_at'),
    expiresAt: timestamptz('expires_at'),
  },
  (t) => [
    check('data_exports_status_valid', inValues(t.status, EXPORT_STATUSES)),
    index('idx_data_exports_user').on(t.userId, t.createdAt.desc()),
    index('idx_data_exports_pending').on(t.createdAt).where(sql`${t.status} = 'pending'`),
  ],
);
