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

/** A letter written for one job from one CV; `facts` records what the letter was allowed to cite. */
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
    body: text('body').notNull(),
    facts: jsonb('facts').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: createdAt('updated_at'),
  },
  (t) => [
    check('cover_letters_tone_valid', inValues(t.tone, COVER_LETTER_TONES)),
    check('cover_letters_length_valid', inValues(t.length, COVER_LETTER_LENGTHS)),
    check('cover_letters_generator_valid', inValues(t.generator, COVER_LETTER_GENERATORS)),
    check('cover_letters_body_length', sql`LENGTH(${t.body}) BETWEEN 1 AND 20000`),
    index('idx_cover_letters_user').on(t.userId, t.createdAt.desc()),
  ],
);
