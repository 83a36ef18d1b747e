import { sql } from 'drizzle-orm';
import { type AnyPgColumn, timestamp, uuid } from 'drizzle-orm/pg-core';

/** `id UUID PRIMARY KEY DEFAULT gen_random_uuid()` — every table's key (design doc, "UUID Strategy"). */
export const id = () => uuid('id').defaultRandom().primaryKey();

/**
 * `TIMESTAMP WITH TIME ZONE` everywhere (the doc's SQL; its Drizzle snippets forgot the time zone).
 * `mode: 'date'` gives JS Dates on both drivers.
 */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** `created_at`-style column: defaults to now() and is never NULL (see docs/schema-notes.md). */
export const createdAt = (name = 'created_at') => timestamptz(name).notNull().defaultNow();

/**
 * `column IN ('a', 'b', ...)` for a CHECK constraint, from the same constant that types the column and
 * feeds the API's zod enum, so the three cannot drift (the SQL is identical to writing the list out).
 */
export const inValues = (column: AnyPgColumn, values: readonly string[]) =>
  sql`${column} IN (${sql.raw(values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', '))})`;
