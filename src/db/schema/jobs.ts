import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, unique, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';
import { users } from './users.ts';

export const EXPERIENCE_LEVELS = ['junior', 'mid', 'senior', 'executive'] as const;
export const JOB_TYPES = ['full-time', 'part-time', 'contract', 'internship', 'freelance'] as const;

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
    requirements: text('requirements').array().notNull().default(sql`'{}'`),
    postedDate: createdAt('posted_date'),
    updatedAt: createdAt('updated_at'),
    // Additive: the category a job is filed under (the doc seeds job_categories but never links it).
    categoryId: uuid('category_id').references(() => jobCategories.id, { onDelete: 'set null' }),
  },
  (t) => [
    // Both of the doc's versions accept NULLs (a CHECK passes on NULL); this is the explicit one.
    check(
      'jobs_salary_valid',
      sql`${t.salaryMax} IS NULL OR ${t.salaryMin} IS NULL OR ${t.salaryMax} >= ${t.salaryMin}`,
    ),
    check('jobs_experience_level_valid', sql`${t.experienceLevel} IN ('junior', 'mid', 'senior', 'executive')`),
    check(
      'jobs_job_type_valid',
      sql`${t.jobType} IN ('full-time', 'part-time', 'contract', 'internship', 'freelance')`,
    ),
    index('idx_jobs_title_company').on(t.title, t.company),
    index('idx_jobs_location').on(t.location).where(sql`${t.location} IS NOT NULL`),
    index('idx_jobs_remote').on(t.remote).where(sql`${t.remote} = TRUE`),
    index('idx_jobs_salary').on(t.salaryMin, t.salaryMax),
    index('idx_jobs_experience_level').on(t.experienceLevel),
    index('idx_jobs_job_type').on(t.jobType),
    index('idx_jobs_posted_date').on(t.postedDate.desc()),
    index('idx_jobs_search_fts').using(
      'gin',
      sql`to_tsvector('english', ${t.title} || ' ' || ${t.company} || ' ' || COALESCE(${t.description}, ''))`,
    ),
    index('idx_jobs_location_remote').on(t.location, t.remote),
    index('idx_jobs_salary_range').on(t.salaryMin, t.salaryMax).where(sql`${t.salaryMin} IS NOT NULL`),
    index('idx_jobs_remote_only').on(t.remote).where(sql`${t.remote} = TRUE`),
    index('idx_jobs_requirements').using('gin', t.requirements),
    index('idx_jobs_category_id').on(t.categoryId),
  ],
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
