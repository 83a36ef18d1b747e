/**
 * Jobs a seeker found elsewhere and tracks (issue 15, decision 026): rows of `jobs` with
 * `owner_user_id` set, outside the catalogue, visible to their owner only (visibility.ts). They are
 * applied to, counted and exported like any job, and go with the account (ON DELETE CASCADE).
 */
import { Readable } from 'node:stream';
import { and, eq, sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.ts';
import { systemActor, type Work } from '../../db/context.ts';
import { jobs } from '../../db/schema/index.ts';
import { isUniqueViolation } from '../../lib/db-errors.ts';
import { AppError } from '../../lib/errors.ts';
import { newestFirst, pageOf } from '../../lib/keyset.ts';
import { safeFetch } from '../../lib/safe-fetch.ts';
import { canonicalUrl } from './import/import.service.ts';
import { prepareRecord } from './import/prepare.ts';
import { readRecords } from './import/read.ts';
import { type CreateJob, salaryIssues } from './jobs.schemas.ts';
import { jobColumns, jobValues } from './jobs.service.ts';
import type { TrackJobForm, UpdateTrackedJob } from './tracked.schemas.ts';

/** Per seeker: enough for any search, and a bound on what one account can add to the jobs table. */
export const MAX_TRACKED_JOBS = 500;

/** A job to store: its fields and the skills its text names (as the import finds them). */
export type TrackedInput = { job: CreateJob; skillsFromText: string[] };

const ownedBy = (userId: string, id: string) => and(eq(jobs.id, id), eq(jobs.ownerUserId, userId));

/**
 * The job a web page posts, read as the URL import reads one (safe fetch, then the schema.org
 * JobPosting in its JSON-LD). A network call: run it before the unit of work, never inside.
 */
export async function readJobPage(url: string, allow: string[]): Promise<TrackedInput> {
  const page = await safeFetch(url, { allow });
  const format = /json/i.test(page.contentType) ? 'jsonld' : 'html';
  for await (const record of readRecords(Readable.from([page.body]), format)) {
    if (record.kind === 'error') continue;
    const prepared = prepareRecord(record, { pageUrl: page.url });
    if (prepared.ok) return { job: prepared.job, skillsFromText: prepared.skillsFromText };
  }
  throw new AppError('JOB_POSTING_NOT_FOUND');
}

/** The form's fields as a job (the same defaults as a catalogue job; an empty description when none). */
export function formJob(form: TrackJobForm): TrackedInput {
  const { url, description, ...fields } = form;
  return { job: { ...fields, description: description ?? '', sourceUrl: url ?? null }, skillsFromText: [] };
}

/**
 * The stored form of a tracked job: its page address in canonical form (the key that makes one URL one
 * tracked job per seeker) and none of a source's identity, which would collide with the catalogue's
 * import key (source, external_id) and with other seekers tracking the same posting.
 */
function trackedValues(userId: string, input: TrackedInput) {
  const values = jobValues({
    ...input.job,
    source: 'manual',
    externalId: null,
    sourceUrl: input.job.sourceUrl ? canonicalUrl(input.job.sourceUrl) : null,
    categoryId: null,
  });
  values.skills = [...new Set([...values.skills, ...input.skillsFromText])];
  return { ...values, ownerUserId: userId };
}

/**
 * The catalogue's write guard (migration 0008) lets only the administrator context change `jobs`, so SQL
 * injected into a seeker's session can write no job at all. A seeker's own tracked job is written in
 * that context for one statement, which names the owner in its values or its WHERE clause; the seeker's
 * identity is restored right after. (A failing statement aborts the whole unit of work: nothing to
 * restore then.)
 */
async function asJobsWriter<T>(work: Work, write: () => Promise<T>): Promise<T> {
  const seeker = work.actor;
  await work.actAs(systemActor);
  const result = await write();
  await work.actAs(seeker);
  return result;
}

/** The seeker's tracked job with this page address, if any (checked before fetching the page again). */
export async function findTrackedByUrl({ tx }: Work, userId: string, url: string) {
  const [row] = await tx
    .select(jobColumns)
    .from(jobs)
    .where(and(eq(jobs.ownerUserId, userId), eq(jobs.sourceUrl, canonicalUrl(url))));
  return row ?? null;
}

/**
 * Tracks a job. The same page address twice is the same tracked job (`created: false`), also when two
 * requests race (the partial unique index `jobs_owner_source_url_key` decides).
 */
export async function trackJob(work: Work, userId: string, input: TrackedInput) {
  const { tx } = work;
  const values = trackedValues(userId, input);
  if (values.sourceUrl) {
    const existing = await findTrackedByUrl(work, userId, values.sourceUrl);
    if (existing) return { job: existing, created: false };
  }
  const [{ n } = { n: 0 }] = rowsOf<{ n: number }>(
    await tx.execute(sql`select count(*)::int as n from jobs where owner_user_id = ${userId}`),
  );
  if (n >= MAX_TRACKED_JOBS) throw new AppError('TRACKED_JOB_LIMIT');
  const [row] = await asJobsWriter(work, () =>
    tx
      .insert(jobs)
      .values(values)
      .onConflictDoNothing({
        target: [jobs.ownerUserId, jobs.sourceUrl],
        where: sql`owner_user_id IS NOT NULL AND source_url IS NOT NULL`,
      })
      .returning(jobColumns),
  );
  if (row) return { job: row, created: true };
  const raced = values.sourceUrl ? await findTrackedByUrl(work, userId, values.sourceUrl) : null;
  if (!raced) throw new Error('tracked job neither created nor found');
  return { job: raced, created: false };
}

/** The seeker's tracked jobs, the latest added first, keyset-paginated on (first_seen_at, id). */
export async function listTrackedJobs(
  { tx }: Work,
  userId: string,
  options: { limit: number; cursor?: string | undefined },
) {
  const keyset = newestFirst(jobs.firstSeenAt, jobs.id, options.cursor);
  const rows = await tx
    .select({ ...jobColumns, key: keyset.key })
    .from(jobs)
    .where(and(eq(jobs.ownerUserId, userId), keyset.after))
    .orderBy(...keyset.orderBy)
    .limit(options.limit + 1);
  const { page, nextCursor } = pageOf(rows, options.limit);
  return { data: page.map(({ key: _key, ...job }) => job), nextCursor };
}

/** One of the seeker's tracked jobs; anyone else's (or a catalogue job) is JOB_NOT_FOUND. */
export async function getTrackedJob({ tx }: Work, userId: string, id: string) {
  const [row] = await tx.select(jobColumns).from(jobs).where(ownedBy(userId, id));
  if (!row) throw new AppError('JOB_NOT_FOUND');
  return row;
}

export async function updateTrackedJob(work: Work, userId: string, id: string, patch: UpdateTrackedJob) {
  const current = await getTrackedJob(work, userId, id);
  const { url, ...fields } = patch;
  const merged: CreateJob = {
    ...current,
    ...fields,
    ...(url !== undefined ? { sourceUrl: url } : {}),
  } as CreateJob;
  const issues = salaryIssues(merged);
  if (issues.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      details: issues.map((i) => ({ path: `body.${i.field}`, message: i.message })),
    });
  }
  const { ownerUserId: _owner, ...values } = trackedValues(userId, { job: merged, skillsFromText: [] });
  try {
    const [row] = await asJobsWriter(work, () =>
      work.tx.update(jobs).set(values).where(ownedBy(userId, id)).returning(jobColumns),
    );
    if (!row) throw new AppError('JOB_NOT_FOUND');
    return row;
  } catch (err) {
    if (isUniqueViolation(err, 'jobs_owner_source_url_key')) throw new AppError('TRACKED_JOB_EXISTS');
    throw err;
  }
}

/** Deletes the tracked job and, like deleting any job, its applications and bookmarks (ON DELETE CASCADE). */
export async function deleteTrackedJob(work: Work, userId: string, id: string): Promise<void> {
  const deleted = await asJobsWriter(work, () =>
    work.tx.delete(jobs).where(ownedBy(userId, id)).returning({ id: jobs.id }),
  );
  if (deleted.length === 0) throw new AppError('JOB_NOT_FOUND');
}
