/**
 * Applications: apply, move through the workflow (every change recorded in the status history by a
 * database trigger), list, read with the timeline, statistics, soft delete. Soft-deleted applications
 * never appear; archived ones (moved by the archive task) are still readable with their history.
 */

import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../../db/client.ts';
import { type DbActor, setStatusNotes, type Work } from '../../db/context.ts';
import { applicationNotes, applications, applicationsArchive, cvs, jobs } from '../../db/schema/index.ts';
import { isUniqueViolation } from '../../lib/db-errors.ts';
import { AppError } from '../../lib/errors.ts';
import { newestFirst, pageOf } from '../../lib/keyset.ts';
import { readableBy } from '../jobs/visibility.ts';
import { notify, settingsOf } from '../notifications/notifications.service.ts';
import type { PlanRules } from '../plans/plans.ts';
import { consumeQuota } from '../plans/quota.ts';
import { type ApplicationStatus, allowedMoves, NEXT_STATUSES } from './workflow.ts';

const columns = {
  id: applications.id,
  jobId: applications.jobId,
  userId: applications.userId,
  cvId: applications.cvId,
  status: applications.status,
  coverLetter: applications.coverLetter,
  customMessage: applications.customMessage,
  submittedAt: applications.submittedAt,
  updatedAt: applications.updatedAt,
  nextStep: applications.nextStep,
  nextStepAt: applications.nextStepAt,
  remindAt: applications.remindAt,
};
const jobSummary = {
  id: jobs.id,
  title: jobs.title,
  company: jobs.company,
  location: jobs.location,
  // A job the seeker tracks (found elsewhere): only their own can be applied to (visibility.ts).
  tracked: sql<boolean>`(${jobs.ownerUserId} is not null)`,
};

export type Apply = {
  jobId: string;
  cvId: string;
  coverLetter?: string | undefined;
  customMessage?: string | undefined;
};

/** One transaction: the application, its first history row (by trigger) and the usage row. */
export async function apply({ tx }: Work, plans: PlanRules, userId: string, input: Apply) {
  try {
    const [job] = await tx
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.id, input.jobId), readableBy('jobs', userId)));
    if (!job) throw new AppError('JOB_NOT_FOUND');
    // Row-level security hides other users' CVs: someone else's CV is simply not found.
    const [cv] = await tx
      .select({ id: cvs.id })
      .from(cvs)
      .where(and(eq(cvs.id, input.cvId), eq(cvs.userId, userId)));
    if (!cv) throw new AppError('CV_NOT_FOUND');
    await archiveDeleted(tx, userId, input.jobId);
    const [row] = await tx
      .insert(applications)
      .values({
        userId,
        jobId: input.jobId,
        cvId: input.cvId,
        coverLetter: input.coverLetter ?? null,
        customMessage: input.customMessage ?? null,
      })
      .returning({ id: applications.id });
    if (!row) throw new Error('application not created');
    // The plan's monthly allowance (429 QUOTA_EXCEEDED when spent); rolled back with the application.
    await consumeQuota(tx, plans, userId, 'job_application', {
      metadata: { applicationId: row.id, jobId: input.jobId },
    });
    return await readApplication(tx, row.id);
  } catch (err) {
    // Also when two requests race: the document's UNIQUE (job_id, user_id) decides.
    if (isUniqueViolation(err, 'applications_job_id_user_id_key')) throw new AppError('APPLICATION_EXISTS');
    throw err;
  }
}

/**
 * Applying again after deleting an application: the deleted one moves to the archive with its history
 * and notes (still invisible to its owner, kept for the record), which frees the job for a new one.
 */
async function archiveDeleted(tx: Tx, userId: string, jobId: string): Promise<void> {
  // Three statements, not one: row-level security checks the history rows against the archive, and a
  // statement does not see rows its own CTEs inserted.
  const moved = rowsOf<{ id: string }>(
    await tx.execute(sql`
      insert into applications_archive (id, job_id, user_id, cv_id, status, cover_letter, custom_message,
        submitted_at, updated_at, deleted_at, next_step, next_step_at)
      select id, job_id, user_id, cv_id, status, cover_letter, custom_message, submitted_at, updated_at,
        deleted_at, next_step, next_step_at
      from applications
      where user_id = ${userId} and job_id = ${jobId} and deleted_at is not null
      for update
      returning id`),
  ).map((r) => r.id);
  if (moved.length === 0) return;
  const ids = sql.join(
    moved.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  await tx.execute(sql`
    insert into application_status_history_archive (id, application_id, status, notes, created_at)
    select id, application_id, status, notes, created_at from application_status_history
    where application_id in (${ids})`);
  await tx.execute(sql`delete from applications where id in (${ids})`);
}

/** Every status an application has had, oldest first, from the live or the archived history. */
async function timeline(
  tx: Tx,
  table: 'application_status_history' | 'application_status_history_archive',
  id: string,
) {
  const rows = rowsOf<{ status: ApplicationStatus; notes: string | null; at: string | Date }>(
    await tx.execute(
      sql`select status, notes, created_at as at from ${sql.identifier(table)} where application_id = ${id} order by created_at, id`,
    ),
  );
  return rows.map((r) => ({ ...r, at: new Date(r.at) }));
}

async function readApplication(tx: Tx, id: string) {
  const [row] = await tx
    .select({ ...columns, job: jobSummary })
    .from(applications)
    .leftJoin(jobs, eq(jobs.id, applications.jobId))
    .where(and(eq(applications.id, id), isNull(applications.deletedAt)));
  if (row) {
    const history = await timeline(tx, 'application_status_history', id);
    return { ...row, archived: false, history, notes: await notesOf(tx, id) };
  }
  const [archived] = await tx
    .select({
      id: applicationsArchive.id,
      jobId: applicationsArchive.jobId,
      userId: applicationsArchive.userId,
      cvId: applicationsArchive.cvId,
      status: applicationsArchive.status,
      coverLetter: applicationsArchive.coverLetter,
      customMessage: applicationsArchive.customMessage,
      submittedAt: applicationsArchive.submittedAt,
      updatedAt: applicationsArchive.updatedAt,
      nextStep: applicationsArchive.nextStep,
      nextStepAt: applicationsArchive.nextStepAt,
      remindAt: sql<Date | null>`null`,
      job: jobSummary,
    })
    .from(applicationsArchive)
    .leftJoin(jobs, eq(jobs.id, applicationsArchive.jobId))
    .where(and(eq(applicationsArchive.id, id), isNull(applicationsArchive.deletedAt)));
  if (!archived) throw new AppError('APPLICATION_NOT_FOUND');
  const history = await timeline(tx, 'application_status_history_archive', id);
  return { ...archived, archived: true, history, notes: await notesOf(tx, id) };
}

function notesOf(tx: Tx, applicationId: string) {
  return tx
    .select({
      id: applicationNotes.id,
      body: applicationNotes.body,
      authorId: applicationNotes.authorId,
      createdAt: applicationNotes.createdAt,
    })
    .from(applicationNotes)
    .where(eq(applicationNotes.applicationId, applicationId))
    .orderBy(applicationNotes.createdAt, applicationNotes.id);
}

export async function getApplication({ tx }: Work, id: string) {
  return readApplication(tx, id);
}

export type ChangeStatus = {
  status: ApplicationStatus;
  notes?: string | undefined;
  /** Who asks: when it is not the applicant at their own keyboard, the applicant is notified. */
  by: { userId: string; viaApiKey: boolean };
  publicUrl: string;
};

/**
 * Moves an application along the workflow. The owner may record any valid change (a job seeker tracks
 * their own pipeline); administrators may change anyone's. Others do not see the application (404).
 */
export async function changeStatus({ tx }: Work, id: string, change: ChangeStatus) {
  const [current] = await tx
    .select({ status: applications.status, userId: applications.userId })
    .from(applications)
    .where(and(eq(applications.id, id), isNull(applications.deletedAt)))
    .for('update');
  if (!current) throw new AppError('APPLICATION_NOT_FOUND');
  const from = current.status as ApplicationStatus;
  const history = from === 'withdrawn' ? await timeline(tx, 'application_status_history', id) : [];
  const allowed = allowedMoves(from, history, new Date());
  if (!allowed.includes(change.status)) {
    throw new AppError('INVALID_STATUS_TRANSITION', { details: { from, to: change.status, allowed } });
  }
  // The history row is written by the record_application_status trigger, with these notes.
  await setStatusNotes(tx, change.notes ?? '');
  await tx.update(applications).set({ status: change.status }).where(eq(applications.id, id));
  const application = await readApplication(tx, id);
  if (change.by.viaApiKey || change.by.userId !== current.userId) {
    await notifyStatusChange(tx, application, change.notes, change.publicUrl);
  }
  return application;
}

export type UpdateApplication = {
  nextStep?: string | null | undefined;
  nextStepAt?: Date | null | undefined;
  remindAt?: Date | null | undefined;
  coverLetter?: string | null | undefined;
  customMessage?: string | null | undefined;
};

/** The seeker's own bookkeeping on an application: the next step and its date, the letter and message. */
export async function updateApplication(work: Work, id: string, changes: UpdateApplication) {
  const { tx } = work;
  const updated = await tx
    .update(applications)
    .set(changes)
    .where(and(eq(applications.id, id), isNull(applications.deletedAt)))
    .returning({ id: applications.id });
  if (updated.length === 0) throw new AppError('APPLICATION_NOT_FOUND');
  return readApplication(tx, id);
}

const authorOf = (actor: DbActor) => (actor.kind === 'anonymous' ? null : actor.userId);

/** A note on an application (live or archived) that is not a status change. */
export async function addNote(work: Work, id: string, body: string) {
  const { tx, actor } = work;
  const application = await readApplication(tx, id);
  const [note] = await tx
    .insert(applicationNotes)
    .values({ applicationId: id, userId: application.userId, authorId: authorOf(actor), body })
    .returning({
      id: applicationNotes.id,
      body: applicationNotes.body,
      authorId: applicationNotes.authorId,
      createdAt: applicationNotes.createdAt,
    });
  if (!note) throw new Error('note not created');
  return note;
}

export async function deleteNote(work: Work, id: string, noteId: string): Promise<void> {
  const { tx } = work;
  const deleted = await tx
    .delete(applicationNotes)
    .where(and(eq(applicationNotes.id, noteId), eq(applicationNotes.applicationId, id)))
    .returning({ id: applicationNotes.id });
  if (deleted.length === 0) throw new AppError('NOTE_NOT_FOUND');
}

const STATUS_WORDS: Record<ApplicationStatus, string> = {
  submitted: 'submitted',
  reviewing: 'under review',
  interview: 'at the interview stage',
  offer: 'at the offer stage',
  accepted: 'accepted',
  rejected: 'not successful',
  withdrawn: 'withdrawn',
};

async function notifyStatusChange(
  tx: Tx,
  application: Awaited<ReturnType<typeof readApplication>>,
  notes: string | undefined,
  publicUrl: string,
) {
  const settings = await settingsOf(tx, application.userId);
  const role = application.job ? `${application.job.title} at ${application.job.company}` : 'a job';
  await notify(
    tx,
    application.userId,
    {
      kind: 'application_status',
      title: `Your application for ${role} is ${STATUS_WORDS[application.status]}`,
      body: `Your application for ${role} moved to "${application.status}".${notes ? `\n\nNote: ${notes}` : ''}`,
      link: `/applications/${application.id}`,
    },
    { inApp: settings.statusChangeInApp, email: settings.statusChangeEmail, publicUrl },
  );
}

/** Soft delete: the row stays (the document's strategy) but never appears again. */
export async function deleteApplication(work: Work, id: string): Promise<void> {
  const { tx } = work;
  const deleted = await tx
    .update(applications)
    .set({ deletedAt: sql`now()` })
    .where(and(eq(applications.id, id), isNull(applications.deletedAt)))
    .returning({ id: applications.id });
  if (deleted.length === 0) throw new AppError('APPLICATION_NOT_FOUND');
}

/** Whose applications a query covers: a user's own, always; an administrator's choice (or everyone's). */
const ownerFilter = (actor: DbActor, requested: string | undefined) =>
  actor.kind === 'user' ? actor.userId : requested;

export type ListApplications = {
  statuses?: ApplicationStatus[] | undefined;
  jobId?: string | undefined;
  userId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
};

/** Newest first, keyset-paginated on (submitted_at, id) as in the document's "Pagination Strategy". */
export async function listApplications(work: Work, query: ListApplications) {
  const keyset = newestFirst(applications.submittedAt, applications.id, query.cursor);
  const { tx, actor } = work;
  const owner = ownerFilter(actor, query.userId);
  const conditions = [
    isNull(applications.deletedAt),
    owner ? eq(applications.userId, owner) : undefined,
    query.jobId ? eq(applications.jobId, query.jobId) : undefined,
    query.statuses?.length ? inArray(applications.status, query.statuses) : undefined,
    keyset.after,
  ];
  const rows = await tx
    .select({ ...columns, key: keyset.key, job: jobSummary })
    .from(applications)
    .leftJoin(jobs, eq(jobs.id, applications.jobId))
    .where(and(...conditions))
    .orderBy(...keyset.orderBy)
    .limit(query.limit + 1);
  const { page, nextCursor } = pageOf(rows, query.limit);
  return { data: page.map(({ key: _key, ...row }) => row), nextCursor };
}

/**
 * Counts per status, the response rate (applications that heard back: moved past "submitted" by
 * anything but the applicant's own withdrawal) and the median days from applying to the first response.
 */
export async function applicationStats(work: Work, userId?: string) {
  const { tx, actor } = work;
  const owner = ownerFilter(actor, userId);
  const filter = owner ? sql`and a.user_id = ${owner}` : sql``;
  const [row] = rowsOf<{
    counts: Record<string, number> | null;
    total: number;
    responded: number;
    median_days: number | null;
  }>(
    await tx.execute(sql`
      with live as (select a.id, a.status, a.submitted_at from applications a where a.deleted_at is null ${filter}),
      first_response as (
        select l.id, min(h.created_at) - l.submitted_at as wait
        from live l join application_status_history h on h.application_id = l.id
        where h.status not in ('submitted', 'withdrawn')
        group by l.id, l.submitted_at
      )
      select (select jsonb_object_agg(status, n) from (select status, count(*)::int as n from live group by status) s) as counts,
        (select count(*)::int from live) as total,
        (select count(*)::int from first_response) as responded,
        (select percentile_cont(0.5) within group (order by extract(epoch from wait) / 86400) from first_response) as median_days`),
  );
  const total = row?.total ?? 0;
  const byStatus = Object.fromEntries(Object.keys(NEXT_STATUSES).map((s) => [s, row?.counts?.[s] ?? 0]));
  return {
    total,
    byStatus,
    responseRate: total > 0 ? (row?.responded ?? 0) / total : null,
    medianDaysToFirstResponse:
      row?.median_days === null || row?.median_days === undefined ? null : Number(row.median_days),
  };
}
