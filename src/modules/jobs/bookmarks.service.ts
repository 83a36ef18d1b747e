/** A user's saved jobs (`job_bookmarks`). Row-level security keeps each user's list their own. */
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, type Tx } from '../../db/client.ts';
import { jobBookmarks, jobs } from '../../db/schema/index.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { AppError } from '../../lib/errors.ts';
import { jobColumns } from './jobs.service.ts';

/** Idempotent: bookmarking twice keeps the first bookmark. */
export async function addBookmark(tx: Tx, userId: string, jobId: string): Promise<void> {
  const inserted = rowsOf(
    await tx.execute(sql`insert into job_bookmarks (user_id, job_id)
      select ${userId}, id from jobs where id = ${jobId}
      on conflict (user_id, job_id) do nothing returning id`),
  );
  if (inserted.length === 0) await requireJob(tx, jobId);
}

/** Idempotent: removing a bookmark that is not there succeeds; an unknown job is a 404. */
export async function removeBookmark(tx: Tx, userId: string, jobId: string): Promise<void> {
  const deleted = await tx
    .delete(jobBookmarks)
    .where(and(eq(jobBookmarks.userId, userId), eq(jobBookmarks.jobId, jobId)))
    .returning({ id: jobBookmarks.id });
  if (deleted.length === 0) await requireJob(tx, jobId);
}

async function requireJob(tx: Tx, jobId: string) {
  const [job] = await tx.select({ id: jobs.id }).from(jobs).where(eq(jobs.id, jobId));
  if (!job) throw new AppError('JOB_NOT_FOUND');
}

const cursorSchema = z.object({ k: z.string().max(64), id: z.uuid() });

/** Newest first, keyset-paginated on (created_at, id), each with its job. */
export async function listBookmarks(tx: Tx, userId: string, options: { limit: number; cursor?: string | undefined }) {
  const cursor = options.cursor ? decodeCursor(options.cursor, cursorSchema) : null;
  const rows = await tx
    .select({
      id: jobBookmarks.id,
      jobId: jobBookmarks.jobId,
      createdAt: jobBookmarks.createdAt,
      key: sql<string>`${jobBookmarks.createdAt}::text`,
      job: jobColumns,
    })
    .from(jobBookmarks)
    .innerJoin(jobs, eq(jobs.id, jobBookmarks.jobId))
    .where(
      and(
        eq(jobBookmarks.userId, userId),
        cursor
          ? sql`(${jobBookmarks.createdAt}, ${jobBookmarks.id}) < (${cursor.k}::timestamptz, ${cursor.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(jobBookmarks.createdAt), desc(jobBookmarks.id))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    data: page.map(({ jobId, createdAt, job }) => ({ jobId, createdAt, job })),
    nextCursor: rows.length > options.limit && last ? encodeCursor({ k: last.key, id: last.id }) : null,
  };
}
