/**
 * Files kept in PostgreSQL (STORAGE=database, docs/decisions/024-shared-state-for-many-nodes.md): CV
 * originals and data exports, under the same keys the disk store uses. Every API node reads the same
 * bytes, and `pg_dump` carries them in the backup. Owned by a user: row-level security as for the rows
 * that name them, and the files go with the account (ON DELETE CASCADE).
 */
import { sql } from 'drizzle-orm';
import { check, customType, index, integer, pgTable, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { users } from './users.ts';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

export const storedFiles = pgTable(
  'stored_files',
  {
    key: varchar('key', { length: 255 }).primaryKey(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    bytes: bytea('bytes').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: varchar('sha256', { length: 64 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('stored_files_size_matches', sql`${t.sizeBytes} = octet_length(${t.bytes})`),
    index('idx_stored_files_owner').on(t.ownerId),
  ],
);
