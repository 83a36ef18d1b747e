/**
 * Per-user limits on reading CVs (issue 11 item 6): one user's uploads cannot take both parse workers
 * or fill the queue in front of them. In memory, per process; behind several processes each enforces
 * its own share.
 */
import { AppError } from '../../lib/errors.ts';

export type CvLimits = {
  queueMax: number;
  parsesPerUser: number;
  uploadsPerMinute: number;
  /** Time a scanned PDF's OCR may take in all; 0: no OCR. Default OCR_TIMEOUT_MS (extract.ts). */
  ocrTimeoutMs?: number;
};
export const DEFAULT_CV_LIMITS: CvLimits = { queueMax: 8, parsesPerUser: 2, uploadsPerMinute: 20 };

const WINDOW_MS = 60_000;
const active = new Map<string, number>();
const recent = new Map<string, number[]>();

/**
 * Admits one upload of `userId` or answers 429 (with Retry-After). Call the returned function when
 * the file has been read, whatever the outcome.
 */
export function admitCvParse(userId: string, limits: CvLimits, now = Date.now()): () => void {
  const started = (recent.get(userId) ?? []).filter((t) => t > now - WINDOW_MS);
  if (started.length >= limits.uploadsPerMinute) {
    const wait = Math.max(1, Math.ceil(((started[0] ?? now) + WINDOW_MS - now) / 1000));
    throw new AppError('RATE_LIMITED', {
      message: `At most ${limits.uploadsPerMinute} CV uploads a minute. Try again in ${wait} s.`,
      headers: { 'retry-after': String(wait) },
    });
  }
  const running = active.get(userId) ?? 0;
  if (running >= limits.parsesPerUser) {
    throw new AppError('RATE_LIMITED', {
      message: `${running} of your CVs are being read; wait for them to finish.`,
      headers: { 'retry-after': '5' },
    });
  }
  started.push(now);
  recent.set(userId, started);
  active.set(userId, running + 1);
  // Forget users whose window has passed, so the map stays as small as the last minute's uploaders.
  if (recent.size > 1000) for (const [u, ts] of recent) if ((ts.at(-1) ?? 0) <= now - WINDOW_MS) recent.delete(u);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (active.get(userId) ?? 1) - 1;
    if (left > 0) active.set(userId, left);
    else active.delete(userId);
  };
}
