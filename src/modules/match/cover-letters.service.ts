/**
 * Cover letters: written from grounded facts, checked sentence by sentence, stored, listed, edited,
 * attached to an application, deleted. Writing one is one `cover_letter_generated` of the plan.
 *
 * - No model configured: the built-in writer answers at once, in the request's one unit of work.
 * - A model configured (LLM_BASE_URL): the request stores the letter `pending`, records the usage and
 *   enqueues the cover-letter task in the same transaction (so the allowance is exact under concurrency
 *   and a retried task never counts twice). The task calls the model with no transaction open and
 *   completes the letter (`ready`, from the model or, when its output is unusable, from the built-in
 *   writer), or marks it `failed` and gives the use back when the CV or job has gone. A letter whose
 *   task gave up (every retry threw) is finished by the cover-letter-sweep task the same way.
 */
import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import { type Db, rowsOf, type Tx } from '../../db/client.ts';
import { type DbActor, systemActor, type Work, withContext } from '../../db/context.ts';
import { applications, coverLetters, cvs } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { enqueue } from '../../tasks/queue.ts';
import type { TaskResult } from '../../tasks/task.ts';
import { withCorrections } from '../cvs/corrections.ts';
import { readableBy } from '../jobs/visibility.ts';
import { consumeQuota, refundQuota } from '../plans/quota.ts';
import { coverLetterTask } from './cover-letter.task.ts';
import { groundedFacts, groundLetter, type LetterFacts, templateLetter } from './cover-letter.ts';
import type { CoverLetterLength, CoverLetterTone } from './cover-letter.types.ts';
import { cvFactsFrom } from './facts.ts';
import { llmLetter } from './llm-writer.ts';
import { prepareCv, scoreMatch } from './score.ts';

export const letterColumns = {
  id: coverLetters.id,
  jobId: coverLetters.jobId,
  cvId: coverLetters.cvId,
  applicationId: coverLetters.applicationId,
  tone: coverLetters.tone,
  length: coverLetters.length,
  generator: coverLetters.generator,
  status: coverLetters.status,
  error: coverLetters.error,
  body: coverLetters.body,
  facts: coverLetters.facts,
  createdAt: coverLetters.createdAt,
  updatedAt: coverLetters.updatedAt,
};

type Sources = { cvText: string; jobText: string; cvSkills: Set<string>; jobNames: string[]; derivedNumbers: number[] };

/** The CV and the job (404 when either is not the caller's to see), and what a letter may say about them. */
async function gather(tx: Tx, userId: string, jobId: string, cvId: string) {
  const [cv] = await tx
    .select({
      text: cvs.parsedContent,
      profile: cvs.profile,
      profileCorrections: cvs.profileCorrections,
      skills: cvs.skills,
    })
    .from(cvs)
    .where(eq(cvs.id, cvId));
  if (!cv) throw new AppError('CV_NOT_FOUND');
  // The effective profile: the seeker's corrections count as they are shown.
  const profile = withCorrections(cv).profile;
  const [job] = rowsOf<{
    id: string;
    title: string;
    company: string;
    description: string;
    requirements: string[];
    location: string | null;
    remote: boolean;
    experience_level: string | null;
  }>(
    await tx.execute(
      sql`select id, title, company, description, requirements, location, remote, experience_level from jobs where id = ${jobId} and ${readableBy('jobs', userId)}`,
    ),
  );
  if (!job) throw new AppError('JOB_NOT_FOUND');
  const prepared = prepareCv(cvFactsFrom(cv.text, profile, cv.skills));
  const jobFacts = {
    title: job.title,
    company: job.company,
    description: job.description,
    requirements: job.requirements,
    experienceLevel: job.experience_level,
    location: job.location,
    remote: job.remote,
    salaryCurrency: 'USD',
    salaryYearlyMin: null,
    salaryYearlyMax: null,
  };
  const match = scoreMatch(prepared, jobFacts);
  const facts = groundedFacts(prepared, profile, jobFacts, match);
  const sources: Sources = {
    cvText: cv.text,
    jobText: [job.title, job.company, job.location ?? '', job.description, ...job.requirements].join('\n'),
    cvSkills: new Set(prepared.evidence.keys()),
    jobNames: [job.title, job.company],
    derivedNumbers: facts.years === null ? [] : [facts.years],
  };
  return { facts, sources };
}

/** A grounded model letter still worth sending: two sentences or more, and every required skill named. */
function hasSubstance(text: string, facts: LetterFacts) {
  const sentences = text.split(/[.!?]\s/).filter((s) => /\w/.test(s)).length;
  const lower = text.toLowerCase();
  return sentences >= 2 && facts.skills.filter((s) => s.required).every((s) => lower.includes(s.name.toLowerCase()));
}

export type CreateLetterOptions = {
  userId: string;
  jobId: string;
  cvId: string;
  tone: CoverLetterTone;
  length: CoverLetterLength;
};

/**
 * Writes the letter now with the built-in writer (`queued: false`), or, with a model configured, stores it
 * pending and enqueues the task that writes it (`queued: true`). Either way the use is recorded here.
 */
export async function createCoverLetter(
  { tx }: Work,
  config: Pick<Config, 'llm' | 'plans'>,
  options: CreateLetterOptions,
): Promise<{ letter: LetterRow; queued: boolean }> {
  // Read first even when queued: a CV or job that is not the caller's is a 404 now, not a failed letter later.
  const { facts, sources } = await gather(tx, options.userId, options.jobId, options.cvId);
  const queued = Boolean(config.llm);
  const written = queued ? null : writtenByTemplate(facts, sources, options, null);
  const [row] = await tx
    .insert(coverLetters)
    .values({
      userId: options.userId,
      jobId: options.jobId,
      cvId: options.cvId,
      tone: options.tone,
      length: options.length,
      ...(written ?? { generator: 'llm', status: 'pending', body: '' }),
    })
    .returning(letterColumns);
  if (!row) throw new Error('cover letter not created');
  await consumeQuota(tx, config.plans, options.userId, 'cover_letter_generated', {
    metadata: { coverLetterId: row.id, jobId: options.jobId, cvId: options.cvId, generator: row.generator },
  });
  if (queued) await enqueue(tx, coverLetterTask, { letterId: row.id, userId: options.userId });
  return { letter: row, queued };
}

export type LetterRow = Awaited<ReturnType<typeof getCoverLetter>>;

type Written = { generator: 'template' | 'llm'; status: 'ready'; body: string; facts: Record<string, unknown> };

/** A finished letter as stored: its grounded text, the skills it drew on, and what the writing noted. */
const finishedLetter = (
  generator: Written['generator'],
  letter: { text: string; removed: unknown[] },
  facts: LetterFacts,
  notes: Record<string, unknown>,
): Written => ({
  generator,
  status: 'ready',
  body: letter.text,
  facts: { skills: facts.skills.map((s) => s.name), removedSentences: letter.removed.length, ...notes },
});

function writtenByTemplate(
  facts: LetterFacts,
  sources: Sources,
  options: { tone: CoverLetterTone; length: CoverLetterLength },
  fallbackReason: string | null,
): Written {
  const letter = groundLetter(templateLetter(facts, options.tone, options.length), sources);
  return finishedLetter('template', letter, facts, fallbackReason ? { fallbackReason } : {});
}

/**
 * The model's letter, grounded. When the check finds invented facts the model is asked once more with
 * those facts named; sentences still ungrounded after that are dropped. What happened is recorded in
 * `facts.regeneration`. A letter that loses a required skill or most of its substance is replaced by the
 * template's (`facts.fallbackReason`).
 */
async function writtenByModel(
  llm: NonNullable<Config['llm']>,
  facts: LetterFacts,
  sources: Sources,
  options: { tone: CoverLetterTone; length: CoverLetterLength },
): Promise<Written> {
  const first = await llmLetter(llm, facts, options.tone, options.length);
  if (!first.ok) return writtenByTemplate(facts, sources, options, first.reason);
  let grounded = groundLetter(first.text, sources);
  let regeneration: Record<string, unknown> | null = null;
  if (grounded.removed.length > 0) {
    const ungrounded = [...new Set(grounded.removed.flatMap((r) => r.terms))];
    const again = await llmLetter(llm, facts, options.tone, options.length, ungrounded);
    if (again.ok) grounded = groundLetter(again.text, sources);
    regeneration = {
      ungrounded,
      outcome: !again.ok
        ? `retry failed (${again.reason}): sentences dropped`
        : grounded.removed.length > 0
          ? 'still ungrounded: sentences dropped'
          : 'grounded',
    };
  }
  const letter = hasSubstance(grounded.text, facts) ? grounded : null;
  if (!letter) return writtenByTemplate(facts, sources, options, 'model letter failed the grounding check');
  return finishedLetter('llm', letter, facts, regeneration ? { regeneration } : {});
}

export type QueuedLetter = { letterId: string; userId: string };

/**
 * The cover-letter task's work, idempotent: only a letter still pending is written, and the final update
 * is conditional on that, so a retry or a second worker changes nothing once one has finished. Three
 * steps: read (one short transaction as the letter's owner), ask the model (no transaction), store.
 * Without a model the built-in writer completes the letter, recording `withoutModel` as the reason.
 */
export async function writeQueuedLetter(
  db: Db,
  config: Pick<Config, 'llm'>,
  job: QueuedLetter,
  withoutModel = 'no model configured',
): Promise<TaskResult> {
  const owner: DbActor = { kind: 'user', userId: job.userId };
  const start = await withContext(db, owner, async (tx) => {
    const [letter] = await tx
      .select(letterColumns)
      .from(coverLetters)
      .where(and(eq(coverLetters.id, job.letterId), eq(coverLetters.status, 'pending')));
    if (!letter) return null;
    try {
      if (!letter.cvId) throw new AppError('CV_NOT_FOUND');
      if (!letter.jobId) throw new AppError('JOB_NOT_FOUND');
      return { letter, ...(await gather(tx, job.userId, letter.jobId, letter.cvId)) };
    } catch (err) {
      if (err instanceof AppError && (err.code === 'CV_NOT_FOUND' || err.code === 'JOB_NOT_FOUND')) {
        return { letter, missing: err.code };
      }
      throw err;
    }
  });
  if (!start) return { skipped: 1 };
  // Nothing to write from: the letter fails with a stable code and the use is given back.
  if (start.missing) return failLetter(db, job, start.missing);
  const { letter, facts, sources } = start;
  const options = { tone: letter.tone as CoverLetterTone, length: letter.length as CoverLetterLength };
  // The model call happens outside any transaction: no connection is held while it thinks.
  const written = config.llm
    ? await writtenByModel(config.llm, facts, sources, options)
    : writtenByTemplate(facts, sources, options, withoutModel);
  return withContext(db, owner, async (tx): Promise<TaskResult> => {
    const stored = await tx
      .update(coverLetters)
      .set({ ...written, error: null, updatedAt: new Date() })
      .where(and(eq(coverLetters.id, job.letterId), eq(coverLetters.status, 'pending')))
      .returning({ id: coverLetters.id });
    if (stored.length === 0) return { skipped: 1 };
    if (written.generator === 'llm') return { written: 1, fallback: 0 };
    // The model failed (time-out, error, invalid or ungrounded output): the rule is that a failed
    // or timed-out model call is not billed, so the built-in letter that replaced it is free.
    const refunded = await refundQuota(tx, job.userId, 'cover_letter_generated', { coverLetterId: job.letterId });
    return { written: 1, fallback: 1, refunded };
  });
}

/** A pending letter ends `failed` with a stable code, and its use is given back (once: only if still pending). */
async function failLetter(db: Db, job: QueuedLetter, error: string): Promise<TaskResult> {
  return withContext(db, { kind: 'user', userId: job.userId }, async (tx): Promise<TaskResult> => {
    const failed = await tx
      .update(coverLetters)
      .set({ status: 'failed', error, updatedAt: new Date() })
      .where(and(eq(coverLetters.id, job.letterId), eq(coverLetters.status, 'pending')))
      .returning({ id: coverLetters.id });
    if (failed.length === 0) return { skipped: 1 };
    const refunded = await refundQuota(tx, job.userId, 'cover_letter_generated', { coverLetterId: job.letterId });
    return { failed: 1, refunded };
  });
}

/** `facts.fallbackReason` of a letter the built-in writer completed because its task gave up. */
export const TASK_GAVE_UP = 'the writing task failed on every retry';
/** Letters finished per sweep run; the rest wait for the next run. */
const SWEEP_BATCH = 100;

/**
 * Finishes pending letters whose cover-letter task will never run again: every retry failed, or its
 * last run expired, or the job was cancelled or removed. Such a letter has no job of its own left in a
 * live state (created, retry, active) — decided by pg-boss's own record, not by a guess at how long the
 * retries take, so a letter still waiting in a long queue or between retries is left alone. The built-in
 * writer completes it as it does after a failed model call (`facts.fallbackReason`, the use given back);
 * if even that throws, the letter is `failed` with COVER_LETTER_FAILED (the use given back too). Every
 * write is conditional on the letter being pending, so overlapping sweeps on two nodes, or a sweep racing
 * a late task run, finish a letter and refund its use once.
 */
export async function finishAbandonedLetters(db: Db): Promise<TaskResult> {
  const abandoned = await withContext(db, systemActor, async (tx) =>
    rowsOf<{ id: string; user_id: string }>(
      await tx.execute(sql`
        select l.id, l.user_id from cover_letters l
        where l.status = 'pending'
          and not exists (
            select 1 from pgboss.job j
            where j.name = ${coverLetterTask.name} and j.state < 'completed' and j.data ->> 'letterId' = l.id::text)
        order by l.created_at
        limit ${SWEEP_BATCH}`),
    ),
  );
  const total: TaskResult = { abandoned: abandoned.length, written: 0, failed: 0, refunded: 0 };
  for (const { id, user_id } of abandoned) {
    const job = { letterId: id, userId: user_id };
    let result: TaskResult;
    try {
      result = await writeQueuedLetter(db, {}, job, TASK_GAVE_UP);
    } catch {
      result = await failLetter(db, job, 'COVER_LETTER_FAILED');
    }
    for (const key of ['written', 'failed', 'refunded'] as const) total[key] = (total[key] ?? 0) + (result[key] ?? 0);
  }
  return total;
}

export async function listCoverLetters(tx: Tx, userId: string) {
  return tx
    .select(letterColumns)
    .from(coverLetters)
    .where(eq(coverLetters.userId, userId))
    .orderBy(desc(coverLetters.createdAt), desc(coverLetters.id))
    .limit(200);
}

export async function getCoverLetter(tx: Tx, id: string) {
  const [row] = await tx.select(letterColumns).from(coverLetters).where(eq(coverLetters.id, id));
  if (!row) throw new AppError('COVER_LETTER_NOT_FOUND');
  return row;
}

/**
 * The seeker's own words: stored as written (generator "edited"; a failed letter becomes ready). Refused
 * while the model is still writing it (the task would overwrite the edit).
 */
export async function editCoverLetter(tx: Tx, id: string, body: string) {
  const [row] = await tx
    .update(coverLetters)
    .set({ body, generator: 'edited', status: 'ready', error: null, updatedAt: new Date() })
    .where(and(eq(coverLetters.id, id), ne(coverLetters.status, 'pending')))
    .returning(letterColumns);
  if (row) return row;
  await getCoverLetter(tx, id); // COVER_LETTER_NOT_FOUND when it is not there at all
  throw new AppError('COVER_LETTER_NOT_READY');
}

/** Copies the letter into the application's cover_letter (the design document's column) and links them. */
export async function attachCoverLetter(tx: Tx, id: string, applicationId: string) {
  const letter = await getCoverLetter(tx, id);
  if (letter.status !== 'ready') throw new AppError('COVER_LETTER_NOT_READY');
  const [app] = await tx
    .update(applications)
    .set({ coverLetter: letter.body })
    .where(and(eq(applications.id, applicationId), sql`${applications.deletedAt} is null`))
    .returning({ id: applications.id });
  if (!app) throw new AppError('APPLICATION_NOT_FOUND');
  const [row] = await tx
    .update(coverLetters)
    .set({ applicationId, updatedAt: new Date() })
    .where(eq(coverLetters.id, id))
    .returning(letterColumns);
  return row ?? letter;
}

export async function deleteCoverLetter(tx: Tx, id: string) {
  const deleted = await tx.delete(coverLetters).where(eq(coverLetters.id, id)).returning({ id: coverLetters.id });
  if (deleted.length === 0) throw new AppError('COVER_LETTER_NOT_FOUND');
}
