/** Saved job searches and the alerts sent for them (not in the design document). */
import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, primaryKey, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';
import { jobs } from './jobs.ts';
import { users } from './users.ts';

export const ALERT_FREQUENCIES = ['instant', 'daily', 'weekly', 'off'] as const;
export type AlertFrequency = (typeof ALERT_FREQUENCIES)[number];

export const savedSearches = pgTable(
  'saved_searches',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: varchar('name', { length: 100 }).notNull(),
    /** The search's parameters as GET /jobs takes them (validated by the same schema). */
    query: jsonb('query').$type<Record<string, unknown>>().notNull(),
    frequency: varchar('frequency', { length: 10 }).$type<AlertFrequency>().notNull().default('daily'),
    /** Jobs first seen after this are new to the search: the watermark of the last alert run. */
    alertedUntil: createdAt('alerted_until'),
    createdAt: createdAt(),
    updatedAt: createdAt('updated_at'),
  },
  (t) => [
    check(
      'saved_searches_frequency_valid',
      sql`${t.frequency} IN (${sql.raw(ALERT_FREQUENCIES.map((f) => `'${f}'`).join(', '))})`,
    ),
    check('saved_searches_name_length', sql`length(${t.name}) > 0`),
    index('idx_saved_searches_user_id').on(t.userId, t.createdAt),
    index('idx_saved_searches_due').on(t.frequency, t.alertedUntil).where(sql`${t.frequency} <> 'off'`),
  ],
);

/** Each job sent for a saved search, once: the de-duplication across runs. */
export const savedSearchAlerts = pgTable(
  'saved_search_alerts',
  {
    savedSearchId: uuid('saved_search_id')
      .notNull()
      .references(() => savedSearches.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    sentAt: createdAt('sent_at'),
  },
  (t) => [primaryKey({ columns: [t.savedSearchId, t.jobId] }), index('idx_saved_search_alerts_job').on(t.jobId)],
);
