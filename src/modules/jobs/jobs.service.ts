/**
 * The job catalogue: create, change, delete, read. Writes are for administrators (and system tasks); the
 * catalogue routes never reach a seeker's tracked job (tracked.service.ts, decision 026).
 */
import { type AnyColumn, and, eq, getTableColumns, is, type SQL, sql } from 'drizzle-orm';
import { PgTimestamp } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../../db/client.ts';
import type { Work } from '../../db/context.ts';
import { jobs } from '../../db/schema/index.ts';
import { isUniqueViolation, pgError } from '../../lib/db-errors.ts';
import { AppError } from '../../lib/errors.ts';
import { matchFactsOf } from '../match/job-facts.ts';
import { normalizeSkills, textSkillsOf } from '../skills/skills.ts';
import { type CreateJob, jobDetail, salaryIssues, type UpdateJob } from './jobs.schemas.ts';
import { yearlySalary } from './salary.ts';
import { addWords, vocabularyOf } from './suggest.ts';
import { actorUserId, inCatalogue, readableBy } from './visibility.ts';

/**
 * An imported posting its source has not listed for this long is probably filled or withdrawn: it is
 * flagged `stale` (manually created jobs never are).
 */
export const STALE_AFTER_DAYS = 30;
export const staleSql = (source: SQL, lastSeenAt: SQL) =>
  sql<boolean>`(${source} <> 'manual' and ${lastSeenAt} < now() - make_interval(days => ${STALE_AFTER_DAYS}))`;

/**
 * Every column but the search vector and the import's content key and hash (only the database and the
 * import read them), the match facts (only matching reads them) and the owner, plus the stale flag and
 * whether the job is one a seeker tracks (only ever their own reaches them: visibility.ts).
 */
const {
  searchVector: _searchVector,
  contentKey: _contentKey,
  matchFacts: _matchFacts,
  importHash: _importHash,
  ownerUserId: _owner,
  ...tableColumns
} = getTableColumns(jobs);
export const jobColumns = {
  ...tableColumns,
  stale: staleSql(sql`${jobs.source}`, sql`${jobs.lastSeenAt}`),
  tracked: sql<boolean>`(${jobs.ownerUserId} is not null)`,
};

/**
 * The stored form of a job: defaults applied, requirements in canonical form, the yearly salary derived.
 * `textSkills`: the skills named in the title and description, when the caller has already read them.
 */
export function jobValues(input: CreateJob, textSkills?: string[]) {
  const salaryPeriod = input.salaryPeriod ?? 'yearly';
  const salaryCurrency = input.salaryCurrency ?? 'USD';
  const requirements = [...new Set(input.requirements ?? [])];
  return {
    title: input.title,
    company: input.company,
    location: input.location ?? null,
    remote: input.remote ?? false,
    salaryMin: input.salaryMin ?? null,
    salaryMax: input.salaryMax ?? null,
    salaryCurrency,
    salaryPeriod,
    salaryYearlyMin: yearlySalary(input.salaryMin, salaryPeriod, salaryCurrency),
    salaryYearlyMax: yearlySalary(input.salaryMax, salaryPeriod, salaryCurrency),
    experienceLevel: input.experienceLevel ?? null,
    jobType: input.jobType ?? 'full-time',
    description: input.description,
    requirements,
    skills: normalizeSkills(requirements),
    // The matcher reads the skills a posting names in prose too (issue 13).
    textSkills: textSkills ?? textSkillsOf(input.title, input.description),
    // What the fit score reads from the text, so ranking never reads descriptions (issue 13).
    matchFacts: matchFactsOf({ title: input.title, description: input.description, requirements }),
    categoryId: input.categoryId ?? null,
    source: input.source ?? 'manual',
    externalId: input.externalId ?? null,
    sourceUrl: input.sourceUrl ?? null,
    ...(input.postedDate ? { postedDate: input.postedDate } : {}),
  };
}

/** Turns constraint violations into the 4xx a client can act on. */
export function jobWriteError(err: unknown): unknown {
  if (isUniqueViolation(err, 'jobs_source_external_id_key')) return new AppError('JOB_SOURCE_CONFLICT');
  const e = pgError(err);
  if (e?.code === '23503' && e.constraint?.includes('category')) {
    return new AppError('VALIDATION_FAILED', { details: [{ path: 'body.categoryId', message: 'No such category.' }] });
  }
  return err;
}

export async function createJob(work: Work, input: CreateJob) {
  try {
    const { tx } = work;
    const values = jobValues(input);
    const [row] = await tx.insert(jobs).values(values).returning(jobColumns);
    if (!row) throw new Error('job not created');
    await addWords(tx, vocabularyOf([values.title, values.company, ...values.skills, ...values.textSkills]));
    return row;
  } catch (err) {
    throw jobWriteError(err);
  }
}

export async function updateJob(work: Work, id: string, patch: UpdateJob) {
  try {
    const { tx } = work;
    const current = await getJobForUpdate(tx, id);
    const merged = { ...current, ...patch } as CreateJob;
    const issues = salaryIssues(merged);
    if (issues.length > 0) {
      throw new AppError('VALIDATION_FAILED', {
        details: issues.map((i) => ({ path: `body.${i.field}`, message: i.message })),
      });
    }
    const values = jobValues(merged);
    // A description written through the API is text: the imported HTML (and the import's identity of
    // the posting) no longer describe it. Any edit clears the import's hash, so the next import of the
    // posting compares its columns and writes the feed's version again.
    const edited = patch.description !== undefined ? { descriptionHtml: null, contentKey: null } : {};
    const [row] = await tx
      .update(jobs)
      .set({ ...values, ...edited, importHash: null })
      .where(and(eq(jobs.id, id), inCatalogue('jobs')))
      .returning(jobColumns);
    if (!row) throw new AppError('JOB_NOT_FOUND');
    await addWords(tx, vocabularyOf([values.title, values.company, ...values.skills, ...values.textSkills]));
    return row;
  } catch (err) {
    throw jobWriteError(err);
  }
}

export async function deleteJob(work: Work, id: string): Promise<void> {
  const { tx } = work;
  const deleted = await tx
    .delete(jobs)
    .where(and(eq(jobs.id, id), inCatalogue('jobs')))
    .returning({ id: jobs.id });
  if (deleted.length === 0) throw new AppError('JOB_NOT_FOUND');
}

/** A catalogue job, locked for an update. */
async function getJobForUpdate(tx: Tx, id: string) {
  const [row] = await tx
    .select(jobColumns)
    .from(jobs)
    .where(and(eq(jobs.id, id), inCatalogue('jobs')))
    .for('update');
  if (!row) throw new AppError('JOB_NOT_FOUND');
  return row;
}

/** Applications the job received, withdrawn ones excluded (a SECURITY DEFINER function: no RLS to pass). */
const applicationCount = sql<number>`job_application_count(${jobs.id})`;

/**
 * One job for an anonymous caller, as the API's JSON text, built by PostgreSQL: the public catalogue
 * (no row-level security on jobs, decision 004) and the application count (a SECURITY DEFINER function),
 * in one statement straight on the pool: no transaction, no identity to set. A named prepared statement
 * unless the deployment turns them off. The text is sent as it is: the process neither parses the row
 * nor writes the document, which was most of its work on this, the most frequent read (decision 027).
 * Its fields are JobDetail's, each from the same column expression as `getJob`'s; a test compares the two.
 */
export async function getPublicJobJson(db: Db, preparedStatements: boolean, id: string): Promise<string> {
  const [row] = await jobJsonById(db, preparedStatements).execute({ id });
  if (!row) throw new AppError('JOB_NOT_FOUND');
  return row.json;
}

/**
 * Timestamps as the API writes them everywhere (`Date.prototype.toISOString`: UTC, milliseconds, "Z").
 * The colons are written `\x3a`: pgbench, which the benchmark replays this statement with, takes
 * `:name` anywhere in a statement for one of its variables.
 */
const isoTimestamp = (column: SQL | AnyColumn) =>
  sql`to_char(${column} at time zone 'UTC', E'YYYY-MM-DD"T"HH24\\x3aMI\\x3aSS.MS"Z"')`;

/** JobDetail's fields for an anonymous caller, as `json_build_object` arguments. */
function jobDetailJson(): SQL {
  const columns: Record<string, SQL | AnyColumn> = jobColumns;
  const value = (field: string): SQL | AnyColumn => {
    if (field === 'applicationCount') return applicationCount;
    if (field === 'bookmarked' || field === 'applied') return sql`null`;
    const column = columns[field];
    if (!column) throw new Error(`JobDetail.${field} has no column in jobColumns`);
    return is(column, PgTimestamp) ? isoTimestamp(column) : column;
  };
  const fields = Object.keys(jobDetail.shape).map((field) => sql`${sql.raw(`'${field}'`)}, ${value(field)}`);
  return sql`json_build_object(${sql.join(fields, sql`, `)})::text`;
}

const jobJsonStatements = new WeakMap<Db, ReturnType<typeof prepareJobJsonById>>();
function prepareJobJsonById(db: Db, name: string) {
  return db
    .select({ json: sql<string>`${jobDetailJson()}` })
    .from(jobs)
    .where(and(eq(jobs.id, sql.placeholder('id')), inCatalogue('jobs')))
    .prepare(name);
}
function jobJsonById(db: Db, preparedStatements: boolean) {
  let statement = jobJsonStatements.get(db);
  if (!statement) {
    // An empty name makes `pg` send an unnamed statement: parsed and planned on every call.
    statement = prepareJobJsonById(db, preparedStatements ? 'jobr_job_by_id' : '');
    jobJsonStatements.set(db, statement);
  }
  return statement;
}

/**
 * One job with its application count and, for a signed-in caller, whether they bookmarked or applied: one
 * statement inside the caller's unit of work (row-level security limits bookmarks and applications to
 * the caller's own, and `readableBy` shows their own tracked job and no one else's).
 */
export async function getJob(work: Work, id: string) {
  const { tx, actor } = work;
  const userId = actorUserId(actor);
  const visible = userId ? readableBy('jobs', userId) : inCatalogue('jobs');
  const [row] = await tx
    .select({
      ...jobColumns,
      applicationCount,
      // The requested id, not ${jobs.id}: Drizzle writes a column unqualified, and inside these
      // subqueries "id" would be the bookmark's or the application's own.
      bookmarked: sql<boolean>`exists (select 1 from job_bookmarks b where b.job_id = ${id} and b.user_id = ${userId})`,
      applied: sql<boolean>`exists (select 1 from applications a
        where a.job_id = ${id} and a.user_id = ${userId} and a.deleted_at is null)`,
    })
    .from(jobs)
    .where(and(eq(jobs.id, id), visible));
  if (!row) throw new AppError('JOB_NOT_FOUND');
  const signedIn = userId !== null;
  return {
    ...row,
    bookmarked: signedIn ? row.bookmarked : null,
    applied: signedIn ? row.applied : null,
  };
}
