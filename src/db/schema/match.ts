/** Matching (issue 13): the seeker's preferences the fit score reads, and the cover letters written for them. */
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { applications } from './applications.ts';
import { createdAt, id, inValues } from './columns.ts';
import { cvs } from './cvs.ts';
import { jobs } from './jobs.ts';
import { users } from './users.ts';

export const REMOTE_PREFERENCES = ['only', 'preferred', 'no'] as const;
export const COVER_LETTER_TONES = ['professional', 'friendly', 'enthusiastic'] as const;
export const COVER_LETTER_LENGTHS = ['short', 'medium', 'long'] as const;
export const COVER_LETTER_GENERATORS = ['template', 'llm', 'edited'] as const;
/** pending: queued for the model (body empty); ready: written; failed: could not be written (see `error`). */
export const COVER_LETTER_STATUSES = ['pending', 'ready', 'failed'] as const;

/** One row per user who stated preferences; absent means "no preferences" (the score then ignores them). */
export const userPreferences = pgTable(
  'user_preferences',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    locations: text('locations').array().notNull().default(sql`'{}'`),
    remote: varchar('remote', { length: 10 }),
    salaryMin: integer('salary_min'),
    salaryCurrency: varchar('salary_currency', { length: 3 }),
    levels: text('levels').array().notNull().default(sql`'{}'`),
    jobTypes: text('job_types').array().notNull().default(sql`'{}'`),
    updatedAt: createdAt('updated_at'),
  },
  (t) => [
    check('user_preferences_remote_valid', inValues(t.remote, REMOTE_PREFERENCES)),
    check('user_preferences_salary_min_valid', sql`${t.salaryMin} IS NULL OR ${t.salaryMin} >= 0`),
    check(
      'user_preferences_salary_currency_valid',
      sql`${t.salaryCurrency} IS NULL OR ${t.salaryCurrency} IN ('USD', 'INR', 'EUR', 'GBP')`,
    ),
  ],
);

/**
 * A letter written for one job from one CV; `facts` records what the letter was allowed to cite. A letter
 * the model writes is stored `pending` first and completed by the cover-letter task.
 */
export const coverLetters = pgTable(
  'cover_letters',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id').references(() => jobs.id, { onDelete: 'set null' }),
    cvId: uuid('cv_id').references(() => cvs.id, { onDelete: 'set null' }),
    applicationId: uuid('application_id').references(() => applications.id, { onDelete: 'set null' }),
    tone: varchar('tone', { length: 20 }).notNull().default('professional'),
    length: varchar('length', { length: 10 }).notNull().default('medium'),
    generator: varchar('generator', { length: 10 }).notNull().default('template'),
    status: varchar('status', { length: 10 }).notNull().default('ready'),
    /** Why a failed letter failed: a stable error code (CV_NOT_FOUND, JOB_NOT_FOUND, COVER_LETTER_FAILED). */
    error: varchar('error', { length: 40 }),
    body: text('body').notNull().default(''),
    facts: jsonb('facts').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: createdAt('updated_at'),
  },
  (t) => [
    check('cover_letters_tone_valid', inValues(t.tone, COVER_LETTER_TONES)),
    check('cover_letters_length_valid', inValues(t.length, COVER_LETTER_LENGTHS)),
    check('cover_letters_generator_valid', inValues(t.generator, COVER_LETTER_GENERATORS)),
    check('cover_letters_status_valid', inValues(t.status, COVER_LETTER_STATUSES)),
    // Only a pending or failed letter may be empty.
    check(
      'cover_letters_body_length',
      sql`LENGTH(${t.body}) <= 20000 AND (LENGTH(${t.body}) >= 1 OR ${t.status} <> 'ready')`,
    ),
    index('idx_cover_letters_user').on(t.userId, t.createdAt.desc()),
    // The sweep of letters whose task gave up reads only pending ones: a few, among every letter written.
    index('idx_cover_letters_pending').on(t.createdAt).where(sql`${t.status} = 'pending'`),
  ],
);
