import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { CURRENCIES } from './billing.ts';
import { createdAt, id, inValues } from './columns.ts';
import { users } from './users.ts';

export const EXPERIENCE_LEVELS = ['junior', 'mid', 'senior', 'executive'] as const;
export const JOB_TYPES = ['full-time', 'part-time', 'contract', 'internship', 'freelance'] as const;

export const SALARY_PERIODS = ['hourly', 'daily', 'monthly', 'yearly'] as const;
export { CURRENCIES as SALARY_CURRENCIES };

/** jobs.match_facts (src/modules/match/job-facts.ts computes and reads it). */
export type StoredMatchFacts = {
  /** md5 of title, description and requirements joined by newlines: the same expression as the trigger's. */
  of: string;
  /** The years of experience the description asks for. */
  years: number | null;
  /**
   * Each skill as `<importance letter><times named> <skill key>`, joined by `|` ("t1 rust|r2 postgresql"):
   * a third of the size of an array of arrays in jsonb. Weights and names come from the taxonomy when read.
   */
  skills: string;
};

/** Written only by the `jobs_search_vector` trigger (drizzle/0003); never selected by default code paths. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const jobs = pgTable(
  'jobs',
  {
    id: id(),
    title: varchar('title', { length: 255 }).notNull(),
    company: varchar('company', { length: 255 }).notNull(),
    location: varchar('location', { length: 255 }),
    remote: boolean('remote').notNull().default(false),
    salaryMin: integer('salary_min'),
    salaryMax: integer('salary_max'),
    experienceLevel: varchar('experience_level', { length: 20 }),
    jobType: varchar('job_type', { length: 20 }).notNull().default('full-time'),
    description: text('description').notNull(),
    /**
     * Additive (issue 15): an imported HTML description, sanitised to a small allow-list
     * (src/modules/jobs/import/html.ts). `description` stays the plain text that search and snippets read.
     */
    descriptionHtml: text('description_html'),
    requirements: text('requirements').array().notNull().default(sql`'{}'`),
    postedDate: createdAt('posted_date'),
    updatedAt: createdAt('updated_at'),
    // Additive: the category a job is filed under (the doc seeds job_categories but never links it).
    categoryId: uuid('category_id').references(() => jobCategories.id, { onDelete: 'set null' }),
    // Additive (issue "Jobs"): provenance, for de-duplicating imports. (source, external_id) is unique.
    source: varchar('source', { length: 50 }).notNull().default('manual'),
    externalId: varchar('external_id', { length: 255 }),
    sourceUrl: text('source_url'),
    // Salary as posted (currency, period) and normalised to a yearly figure in that currency for filtering.
    salaryCurrency: varchar('salary_currency', { length: 3 }).notNull().default('USD'),
    salaryPeriod: varchar('salary_period', { length: 10 }).notNull().default('yearly'),
    salaryYearlyMin: integer('salary_yearly_min'),
    salaryYearlyMax: integer('salary_yearly_max'),
    firstSeenAt: createdAt('first_seen_at'),
    lastSeenAt: createdAt('last_seen_at'),
    /** Canonical skill names from the skills taxonomy (lower-case: 'c#', 'c++', '.net', 'node.js'). */
    skills: text('skills').array().notNull().default(sql`'{}'`),
    /** Additive (issue 13): canonical skills mentioned in the title and description, for matching. */
    textSkills: text('text_skills').array().notNull().default(sql`'{}'`),
    /**
     * Additive (issue 13): what the fit score reads from the title, description and requirements (skills
     * by importance, years asked), so ranking never reads descriptions. NULL until computed; cleared by
     * the jobs_match_facts_current trigger when the text changes without it (src/modules/match/job-facts.ts).
     */
    matchFacts: jsonb('match_facts').$type<StoredMatchFacts>(),
    /**
     * Additive (issue 15): sha-256 of the normalised title, company, location and description of an
     * imported posting. One source listing the same posting under two ids is one job (the first id kept).
     */
    contentKey: varchar('content_key', { length: 64 }),
    /**
     * Additive (issue 15): sha-256 of every content column an import last wrote. A re-imported row with
     * the same hash (and no earlier posting date) is unchanged and is not written. NULL for jobs not
     * written by an import, and cleared by an edit through the API, so the next import compares columns.
     */
    importHash: varchar('import_hash', { length: 64 }),
    /** Weighted: title A; company and requirements B; description C. Maintained by trigger. */
    searchVector: tsvector('search_vector'),
    /**
     * Issue 15: a job a seeker tracks (found elsewhere) belongs to them and is outside the catalogue;
     * NULL for every catalogue job. Readers go through src/modules/jobs/visibility.ts (decision 026).
     */
    ownerUserId: uuid('owner_user_id').references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [
    // Both of the doc's versions accept NULLs (a CHECK passes on NULL); this is the explicit one.
    check(
      'jobs_salary_valid',
      sql`${t.salaryMax} IS NULL OR ${t.salaryMin} IS NULL OR ${t.salaryMax} >= ${t.salaryMin}`,
    ),
    check('jobs_experience_level_valid', inValues(t.experienceLevel, EXPERIENCE_LEVELS)),
    check('jobs_job_type_valid', inValues(t.jobType, JOB_TYPES)),
    // Every index here is used by a query named in test/jobs/indexes.test.ts. The design document's
    // other jobs indexes were dropped (issue 19, docs/schema-notes.md 30 and 34): no query used them, or
    // idx_jobs_search answers them; each one slowed every write of the catalogue.
    index('idx_jobs_category_id').on(t.categoryId),
    unique('jobs_source_external_id_key').on(t.source, t.externalId),
    check('jobs_salary_currency_valid', sql`${t.salaryCurrency} IN ('USD', 'INR', 'EUR', 'GBP')`),
    check('jobs_salary_period_valid', inValues(t.salaryPeriod, SALARY_PERIODS)),
    check(
      'jobs_salary_yearly_valid',
      sql`${t.salaryYearlyMax} IS NULL OR ${t.salaryYearlyMin} IS NULL OR ${t.salaryYearlyMax} >= ${t.salaryYearlyMin}`,
    ),
    // The search's text, location (trigrams of lower(location)), skills, level and job type (btree_gin)
    // in ONE GIN index: a search with two of them intersects their posting lists inside the index,
    // skipping through the longer list, instead of building a bitmap of each and ANDing them (`position`
    // in Chicago at 1,000,000 jobs: 7 ms against 60; `linux`, senior: 4 against 38). Each column alone
    // reads only its own entries, as its own index would (docs/schema-notes.md 34).
    index('idx_jobs_search').using(
      'gin',
      t.searchVector,
      sql`lower(${t.location}) gin_trgm_ops`,
      t.skills,
      t.experienceLevel,
      t.jobType,
    ),
    // The same for remote jobs alone (an eighth to a fifth of a catalogue): a remote search reads only
    // the remote jobs' posting lists instead of ANDing a word's whole list with every remote job.
    index('idx_jobs_search_remote')
      .using('gin', t.searchVector, sql`lower(${t.location}) gin_trgm_ops`, t.skills, t.experienceLevel, t.jobType)
      .where(sql`${t.remote}`),
    index('idx_jobs_text_skills').using('gin', t.textSkills),
    index('idx_jobs_posted_date_id').on(t.postedDate.desc(), t.id.desc()),
    // Remote jobs, newest first: the remote filter's rows without reading the table (a fifth of a catalogue).
    index('idx_jobs_remote').on(t.postedDate.desc(), t.id.desc()).where(sql`${t.remote}`),
    // Partial: the rows whose match facts are still to compute (fillMatchFacts); empty once filled.
    index('idx_jobs_match_facts_missing').on(t.id).where(sql`${t.matchFacts} IS NULL`),
    // Import merges a posting listed under a second id into the first (import.service.ts).
    uniqueIndex('idx_jobs_source_content_key').on(t.source, t.contentKey).where(sql`${t.contentKey} is not null`),
    // Saved-search alerts read the jobs that arrived since their last run.
    index('idx_jobs_first_seen_at').on(t.firstSeenAt),
    // Partial: catalogue rows (owner NULL) are not in them, so imports never write them. The first serves
    // GET /me/jobs (newest tracked first) and the cascade of an account deletion; the second makes the
    // same URL tracked twice by one seeker the same job (decision 026).
    index('idx_jobs_owner_user_id')
      .on(t.ownerUserId, t.firstSeenAt.desc(), t.id.desc())
      .where(sql`${t.ownerUserId} IS NOT NULL`),
    uniqueIndex('jobs_owner_source_url_key')
      .on(t.ownerUserId, t.sourceUrl)
      .where(sql`${t.ownerUserId} IS NOT NULL AND ${t.sourceUrl} IS NOT NULL`),
    // Search's salary sort: within one currency, highest yearly figure first (src/modules/jobs/search.ts).
    index('idx_jobs_salary_sort').on(
      t.salaryCurrency,
      sql`(coalesce(${t.salaryYearlyMax}, ${t.salaryYearlyMin}, -1)) desc nulls last`,
      t.id.desc(),
    ),
  ],
);

/**
 * One row: the catalogue's version, bumped by the `job_catalogue_bump` triggers on every statement
 * that changes `jobs`, in the writing transaction. Search caches facet counts under it
 * (src/modules/jobs/search.ts, decision 020).
 */
export const jobCatalogue = pgTable(
  'job_catalogue',
  {
    id: boolean('id').primaryKey().default(true),
    version: bigint('version', { mode: 'number' }).notNull().default(0),
  },
  (t) => [check('job_catalogue_one_row', sql`${t.id}`)],
);

/** Used by the doc's seeding section but never defined there. */
export const jobCategories = pgTable(
  'job_categories',
  {
    id: id(),
    name: varchar('name', { length: 100 }).notNull().unique('job_categories_name_key'),
    description: text('description'),
    createdAt: createdAt(),
  },
  (t) => [check('job_categories_name_length', sql`LENGTH(${t.name}) > 0`)],
);

export const jobBookmarks = pgTable(
  'job_bookmarks',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    unique('job_bookmarks_user_id_job_id_key').on(t.userId, t.jobId),
    index('idx_job_bookmarks_user_id').on(t.userId),
    index('idx_job_bookmarks_job_id').on(t.jobId),
    index('idx_job_bookmarks_created_at').on(t.createdAt.desc()),
  ],
);

/**
 * Additive (issue 15): the catalogue's vocabulary, for "did you mean" when a search finds nothing
 * (src/modules/jobs/suggest.ts). Words are added by imports and job writes and never removed.
 */
export const jobWords = pgTable('job_words', { word: varchar('word', { length: 40 }).primaryKey() }, (t) => [
  index('idx_job_words_trgm').using('gin', sql`${t.word} gin_trgm_ops`),
]);

export const IMPORT_ISSUE_KINDS = ['warning', 'rejected'] as const;

/** Additive (issue 15): one row per file import, with its counts; its issues are kept for download. */
export const jobImports = pgTable('job_imports', {
  id: id(),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  source: varchar('source', { length: 50 }).notNull(),
  counts: jsonb('counts').notNull().default(sql`'{}'`),
  /** More issues than are kept (MAX_STORED_ISSUES): the counts still cover all of them. */
  issuesTruncated: boolean('issues_truncated').notNull().default(false),
  createdAt: createdAt(),
});

/** Every warning and rejection of an import (line, field, value, reason), deleted with it after 30 days. */
export const jobImportIssues = pgTable(
  'job_import_issues',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => jobImports.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    line: integer('line').notNull(),
    kind: varchar('kind', { length: 10 }).$type<(typeof IMPORT_ISSUE_KINDS)[number]>().notNull(),
    field: varchar('field', { length: 50 }),
    value: text('value'),
    reason: text('reason').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.importId, t.seq] }),
    check('job_import_issues_kind_valid', inValues(t.kind, IMPORT_ISSUE_KINDS)),
  ],
);
