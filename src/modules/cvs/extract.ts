/**
 * Text from an uploaded CV, extracted off the request's event loop: each file is parsed in a worker
 * thread with a memory cap, killed if it runs past the time limit, so a hostile PDF cannot stall the
 * server. At most EXTRACT_CONCURRENCY files are parsed at once; the others wait their turn.
 */
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../lib/errors.ts';
import type { CvKind } from './file-type.ts';

export const EXTRACT_TIMEOUT_MS = 10_000;
const EXTRACT_CONCURRENCY = 2;
const workerUrl = new URL('./extract-worker.mjs', import.meta.url);

export type Extracted = { text: string; pages: number | null };

let running = 0;
const waiting: Array<() => void> = [];

async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= EXTRACT_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const REFUSALS: Record<string, ErrorCode> = {
  CV_TOO_MANY_PAGES: 'CV_TOO_MANY_PAGES',
  CV_UNSAFE_ARCHIVE: 'CV_UNSAFE_ARCHIVE',
  CV_UNSAFE_XML: 'CV_UNSAFE_XML',
  CV_TYPE_MISMATCH: 'CV_TYPE_MISMATCH',
  CV_UNREADABLE: 'CV_UNREADABLE',
};

export function extractText(kind: CvKind, bytes: Uint8Array, timeoutMs = EXTRACT_TIMEOUT_MS): Promise<Extracted> {
  return slot(
    () =>
      new Promise<Extracted>((resolve, reject) => {
        const worker = new Worker(workerUrl, { resourceLimits: { maxOldGenerationSizeMb: 256 } });
        const timer = setTimeout(() => {
          void worker.terminate();
          reject(new AppError('CV_PARSE_TIMEOUT'));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          void worker.terminate();
        };
        worker.once(
          'message',
          (m: { ok: true; text: string; pages: number | null } | { ok: false; code: string; message: string }) => {
            finish();
            if (m.ok) resolve({ text: m.text, pages: m.pages });
            else reject(new AppError(REFUSALS[m.code] ?? 'CV_UNREADABLE', { message: m.message }));
          },
        );
        worker.once('error', () => {
          // Out of memory or a crash inside the parser: the file is the problem, not the server.
          finish();
          reject(new AppError('CV_UNREADABLE'));
        });
        // A copy of exactly these bytes (a Buffer may be a view into a larger shared pool), handed over.
        const copy = new Uint8Array(bytes);
        worker.postMessage({ kind, bytes: copy.buffer }, [copy.buffer]);
      }),
  );
}
