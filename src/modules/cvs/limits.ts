/**
 * Per-user limits on reading CVs (issue 11 item 6): one user's uploads cannot take the parse workers or
 * fill the queue in front of them. The counts live in the database (cv_parses), so they hold across every
 * API node (docs/decisions/024-shared-state-for-many-nodes.md). The bound on the queue in front of a
 * node's own parse workers (CV_PARSE_QUEUE_MAX, extract.ts) stays per process: it protects that
 * process's memory and workers, which are not shared.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../../db/client.ts';
import { AppError } from '../../lib/errors.ts';

export type CvLimits = {
  queueMax: number;
  parsesPerUser: number;
  uploadsPerMinute: number;
  /** Time a scanned PDF's OCR may take in all; 0: no OCR. Default OCR_TIMEOUT_MS (extract.ts). */
  ocrTimeoutMs?: number;
};
export const DEFAULT_CV_LIMITS: CvLimits = { queueMax: 8, parsesPerUser: 2, uploadsPerMinute: 20 };

/**
 * A read that never reports its end (its node died mid-parse) stops counting as running after this long:
 * well past the longest a read can take (the queue in front of the workers, the 10 s extraction limit and
 * an OCR budget of up to a minute).
 */
export const PARSE_LEASE_SECONDS = 180;

/**
 * Admits one CV read of `userId` in the caller's unit of work (as that user), or answers 429 with
 * Retry-After. Returns the admission's id: pass it to `finishCvParse` when the file has been read,
 * whatever the outcome.
 */
export async function admitCvParse(tx: Tx, userId: string, limits: CvLimits): Promise<string> {
  // One admission at a time per user on every node, so two uploads cannot both see the last free slot.
  // A transaction-level lock: released at commit, safe behind PgBouncer's transaction pooling.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`cv_parse:${userId}`}, 0))`);
  const [counts] = rowsOf<{ recent: number; running: number; wait_s: number | null }>(
    await tx.execute(sql`select
        count(*) filter (where started_at > now() - interval '1 minute')::int as recent,
        count(*) filter (where finished_at is null
          and started_at > now() - ${PARSE_LEASE_SECONDS} * interval '1 second')::int as running,
        ceil(extract(epoch from min(started_at) filter (where started_at > now() - interval '1 minute')
          + interval '1 minute' - now()))::int as wait_s
      from cv_parses where user_id = ${userId}`),
  );
  if (Number(counts?.recent ?? 0) >= limits.uploadsPerMinute) {
    const wait = Math.max(1, Number(counts?.wait_s ?? 1));
    throw new AppError('RATE_LIMITED', {
      message: `At most ${limits.uploadsPerMinute} CV uploads a minute. Try again in ${wait} s.`,
      headers: { 'retry-after': String(wait) },
    });
  }
  const running = Number(counts?.running ?? 0);
  if (running >= limits.parsesPerUser) {
    throw new AppError('RATE_LIMITED', {
      message: `${running} of your CVs are being read; wait for them to finish.`,
      headers: { 'retry-after': '5' },
    });
  }
  const [row] = rowsOf<{ id: string }>(
    await tx.execute(sql`insert into cv_parses (user_id) values (${userId}) returning id`),
  );
  if (!row) throw new Error('cv parse not admitted');
  return row.id;
}

/** The read admitted as `admissionId` has ended: it no longer counts as running. */
export async function finishCvParse(tx: Tx, admissionId: string): Promise<void> {
  await tx.execute(sql`update cv_parses set finished_at = now() where id = ${admissionId} and finished_at is null`);
}
