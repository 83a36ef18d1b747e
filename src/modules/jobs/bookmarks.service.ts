/** A user's saved jobs (`job_bookmarks`). Row-level security keeps each user's list their own. */

import { and, eq, sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../../db/client.ts';
import { jobBookmarks, jobs } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { newestFirst, pageOf } from '../../lib/keyset.ts';
import { jobColumns } from './jobs.service.ts';
import { readableBy } from './visibility.ts';

/** Idempotent: bookmarking twice keeps the first bookmark. */
export async function addBookmark(tx: Tx, userId: string, jobId: string): Promise<void> {
  const inserted = rowsOf(
    await tx.execute(sql`insert into job_bookmarks (user_id, job_id)
      select ${userId}, id from jobs where id = ${jobId} and ${readableBy('jobs', userId)}
      on conflict (user_id, job_id) do nothing returning id`),
  );
  if (inserted.length === 0) await requireJob(tx, userId, jobId);
}

/** Idempotent: removing a bookmark that is not there succeeds; an unknown job is a 404. */
export async function removeBookmark(tx: Tx, userId: string, jobId: string): Promise<void> {
  const deleted = await tx
    .delete(jobBookmarks)
    .where(and(eq(jobBookmarks.userId, userId), eq(jobBookmarks.jobId, jobId)))
    .returning({ id: jobBookmarks.id });
  if (deleted.length === 0) await requireJob(tx, userId, jobId);
}

async function requireJob(tx: Tx, userId: string, jobId: string) {
  const [job] = await tx
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.id, jobId), readableBy('jobs', userId)));
  if (!job) throw new AppError('JOB_NOT_FOUND');
}

/** Newest first, keyset-paginated on (created_at, id), each with its job. */
export async function listBookmarks(tx: Tx, userId: string, options: { limit: number; cursor?: string | undefined }) {
  const keyset = newestFirst(jobBookmarks.createdAt, jobBookmarks.id, options.cursor);
  const rows = await tx
    .select({
      id: jobBookmarks.id,
      jobId: jobBookmarks.jobId,
      createdAt: jobBookmarks.createdAt,
      key: keyset.key,
      job: jobColumns,
    })
    .from(jobBookmarks)
    .innerJoin(jobs, eq(jobs.id, jobBookmarks.jobId))
    .where(and(eq(jobBookmarks.userId, userId), keyset.after))
    .orderBy(...keyset.orderBy)
    .limit(options.limit + 1);
  const { page, nextCursor } = pageOf(rows, options.limit);
  return { data: page.map(({ jobId, createdAt, job }) => ({ jobId, createdAt, job })), nextCursor };
}
