/** API keys of the api-keys module (src/modules/api-keys). */
import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id, timestamptz } from './columns.ts';
import { users } from './users.ts';

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
