import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, unique, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id, timestamptz } from './columns.ts';
import { cvs } from './cvs.ts';
import { jobs } from './jobs.ts';
import { users } from './users.ts';

/** The statuses an application moves through; `offer` is ours (docs/schema-notes.md). One list feeds the CHECKs. */
export const APPLICATION_STATUSES = [
  'submitted',
  'reviewing',
  'interview',
  'offer',
  'rejected',
  'accepted',
  'withdrawn',
] as const;
type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
const statusCheck = (col: unknown) => sql`${col} IN (${sql.raw(APPLICATION_STATUSES.map((s) => `'${s}'`).join(', '))})`;

export const applications = pgTable(
  'applications',
  {
    id: id(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    cvId: uuid('cv_id')
      .notNull()
      .references(() => cvs.id, { onDelete: 'cascade' }),
    status: varchar('status', { length: 20 }).$type<ApplicationStatus>().notNull().default('submitted'),
    coverLetter: text('cover_letter'),
    customMessage: text('custom_message'),
    submittedAt: createdAt('submitted_at'),
    updatedAt: createdAt('updated_at'),
    // The doc's soft-delete column ("Soft Delete Strategy").
    deletedAt: timestamptz('deleted_at'),
    /** What happens next and when ("Interview with the team", 2026-12-03 10:00), set by the seeker. */
    nextStep: varchar('next_step', { length: 200 }),
    nextStepAt: timestamptz('next_step_at'),
    /** When to e-mail the seeker a reminder of the next step; cleared to null once sent. */
    remindAt: timestamptz('remind_at'),
  },
  (t) => [
    unique('applications_job_id_user_id_key').on(t.jobId, t.userId),
    check('applications_status_valid', statusCheck(t.status)),
    index('idx_applications_user_id').on(t.userId),
    index('idx_applications_job_id').on(t.jobId),
    index('idx_applications_cv_id').on(t.cvId),
    index('idx_applications_status').on(t.status),
    index('idx_applications_user_status').on(t.userId, t.status),
    index('idx_applications_submitted_at').on(t.submittedAt.desc()),
    index('idx_applications_job_submitted').on(t.jobId).where(sql`${t.status} != 'withdrawn'`),
    index('idx_applications_remind_at').on(t.remindAt).where(sql`${t.remindAt} IS NOT NULL`),
  ],
);

export const applicationStatusHistory = pgTable(
  'application_status_history',
  {
    id: id(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    status: varchar('status', { length: 20 }).$type<ApplicationStatus>().notNull(),
    notes: text('notes'),
    createdAt: createdAt(),
  },
  (t) => [
    check('ash_status_valid', statusCheck(t.status)),
    index('idx_ash_application_id').on(t.applicationId),
    index('idx_ash_created_at').on(t.createdAt.desc()),
    index('idx_ash_app_created').on(t.applicationId, t.createdAt.desc()),
  ],
);

/**
 * `CREATE TABLE applications_archive (LIKE applications INCLUDING ALL)` from the doc, spelled out so
 * Drizzle knows it. LIKE copies no foreign keys: job and CV may be gone by the time a row is archived,
 * but the owner's account deletion must still remove it, so user_id keeps its cascade.
 */
export const applicationsArchive = pgTable(
  'applications_archive',
  {
    id: uuid('id').primaryKey(),
    jobId: uuid('job_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    cvId: uuid('cv_id').notNull(),
    status: varchar('status', { length: 20 }).$type<ApplicationStatus>().notNull().default('submitted'),
    coverLetter: text('cover_letter'),
    customMessage: text('custom_message'),
    submittedAt: createdAt('submitted_at'),
    updatedAt: createdAt('updated_at'),
    deletedAt: timestamptz('deleted_at'),
    nextStep: varchar('next_step', { length: 200 }),
    nextStepAt: timestamptz('next_step_at'),
    archivedAt: createdAt('archived_at'),
  },
  (t) => [
    // Not unique: a seeker who deleted an application and applied again has both archived in time.
    index('idx_applications_archive_job_user').on(t.jobId, t.userId),
    check('applications_archive_status_valid', statusCheck(t.status)),
    index('idx_applications_archive_user_id').on(t.userId, t.submittedAt.desc()),
  ],
);

/** History of archived applications: moving an application must not lose its timeline (the FK would cascade). */
export const applicationStatusHistoryArchive = pgTable(
  'application_status_history_archive',
  {
    id: uuid('id').primaryKey(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applicationsArchive.id, { onDelete: 'cascade' }),
    status: varchar('status', { length: 20 }).$type<ApplicationStatus>().notNull(),
    notes: text('notes'),
    createdAt: createdAt(),
  },
  (t) => [
    check('ash_archive_status_valid', statusCheck(t.status)),
    index('idx_ash_archive_app_created').on(t.applicationId, t.createdAt.desc()),
  ],
);

/**
 * Notes on an application that are not a status change ("called the recruiter, they answer Friday").
 * No foreign key to applications: notes follow an application into the archive. A trigger removes them
 * when the application itself is deleted (not archived); the owner's account deletion cascades.
 */
export const applicationNotes = pgTable(
  'application_notes',
  {
    id: id(),
    applicationId: uuid('application_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('application_notes_body_length', sql`length(${t.body}) between 1 and 5000`),
    index('idx_application_notes_app_created').on(t.applicationId, t.createdAt),
    index('idx_application_notes_user_id').on(t.userId),
  ],
);
