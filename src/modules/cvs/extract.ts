/**
 * Text and profile from an uploaded CV, read off the request's event loop: files are parsed in a small pool
 * of worker threads with a memory cap, and a worker that runs past the time limit is killed and
 * replaced, so a hostile PDF, or text that makes a pattern slow, cannot stall the server. The time limit
 * covers the whole read: extraction and the profile rules. Workers are started once and reused (starting
 * one, with its PDF and DOCX libraries, costs ~100 ms); extra files wait for a free worker.
 */
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../lib/errors.ts';
import { startCvParseTimer } from '../ops/metrics.ts';
import type { CvKind, TextEncoding } from './file-type.ts';
import type { Profile } from './profile.ts';

export const EXTRACT_TIMEOUT_MS = 10_000;
/** A read that needs OCR (a scanned PDF) may take this long in all; 0 turns OCR off. CV_OCR_TIMEOUT_MS. */
export const OCR_TIMEOUT_MS = 60_000;
const POOL_SIZE = 2;
const workerUrl = new URL('./extract-worker.mjs', import.meta.url);

/** The file's text, cleaned, and the profile read from it (null when there is too little text for one). */
export type Extracted = {
  text: string;
  pages: number | null;
  profile: Profile | null;
  /** How a text file was decoded (`sure` false: a guess, worth a warning); null for PDF and DOCX. */
  encoding: { name: TextEncoding; sure: boolean } | null;
  /** Pages of a scanned PDF read by OCR, and Tesseract's mean confidence (0–100); null when none was. */
  ocr: { pages: number[]; confidence: number } | null;
};
type Reply = ({ ok: true } & Extracted) | { ok: false; code: string; message: string } | { progress: 'ocr' };

/** The codes a worker may answer with; anything else it says is treated as an unreadable file. */
const REFUSALS = new Set<string>([
  'CV_TOO_MANY_PAGES',
  'CV_UNSAFE_ARCHIVE',
  'CV_UNSAFE_XML',
  'CV_TYPE_MISMATCH',
  'CV_UNREADABLE',
]);

const idle: Worker[] = [];
let started = 0;
const waiting: Array<(worker: Worker) => void> = [];
/**
 * A worker idle this long is stopped: each holds its own heap with pdf.js (and Tesseract once OCR ran),
 * tens of megabytes that an embedded server would otherwise keep for ever after one upload.
 */
const IDLE_WORKER_MS = 60_000;
const retireTimers = new WeakMap<Worker, NodeJS.Timeout>();

function startWorker(): Worker {
  const worker = new Worker(workerUrl, { resourceLimits: { maxOldGenerationSizeMb: 256 } });
  worker.unref(); // an idle pool never keeps the process alive
  started++;
  return worker;
}

/** Files waiting for a worker: past `maxQueue` the server is busy, and says so rather than queueing forever. */
async function acquire(maxQueue: number): Promise<Worker> {
  const free = idle.pop();
  if (free) {
    clearTimeout(retireTimers.get(free));
    return free;
  }
  if (started < POOL_SIZE) return startWorker();
  if (waiting.length >= maxQueue) {
    throw new AppError('SERVICE_UNAVAILABLE', {
      message: 'Too many CVs are being read right now. Try again in a few seconds.',
      headers: { 'retry-after': String(Math.ceil(EXTRACT_TIMEOUT_MS / 1000)) },
    });
  }
  return new Promise((resolve) => waiting.push(resolve));
}

/** How many files wait for a worker now (for tests and metrics). */
export const queuedExtractions = () => waiting.length;

function release(worker: Worker) {
  const next = waiting.shift();
  if (next) return next(worker);
  idle.push(worker);
  const retire = setTimeout(() => {
    const at = idle.indexOf(worker);
    if (at === -1) return;
    idle.splice(at, 1);
    started--;
    void worker.terminate();
  }, IDLE_WORKER_MS);
  retire.unref();
  retireTimers.set(worker, retire);
}

/** A worker that timed out or crashed is gone: start another in its place for whoever waits. */
function discard(worker: Worker) {
  void worker.terminate();
  started--;
  const next = waiting.shift();
  if (next) next(startWorker());
}

export type ExtractOptions = { timeoutMs?: number; ocrTimeoutMs?: number; maxQueue?: number };

export async function extractText(
  kind: CvKind,
  bytes: Uint8Array,
  {
    timeoutMs = EXTRACT_TIMEOUT_MS,
    ocrTimeoutMs = OCR_TIMEOUT_MS,
    maxQueue = Number.POSITIVE_INFINITY,
  }: ExtractOptions = {},
): Promise<Extracted> {
  const started = Date.now();
  const worker = await acquire(maxQueue);
  const timed = startCvParseTimer();
  const extracted = new Promise<Extracted>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
    };
    const onMessage = (m: Reply) => {
      if ('progress' in m) {
        // OCR is starting: the read may now run until the OCR limit, counted from its start.
        clearTimeout(timer);
        timer = setTimeout(onTimeout, Math.max(0, started + Math.max(ocrTimeoutMs, timeoutMs) - Date.now()));
        return;
      }
      done();
      release(worker);
      if (m.ok) resolve({ text: m.text, pages: m.pages, profile: m.profile, encoding: m.encoding, ocr: m.ocr });
      else reject(new AppError(REFUSALS.has(m.code) ? (m.code as ErrorCode) : 'CV_UNREADABLE', { message: m.message }));
    };
    const onError = () => {
      // Out of memory or a crash inside the parser: the file is the problem, not the server.
      done();
      discard(worker);
      reject(new AppError('CV_UNREADABLE'));
    };
    const onTimeout = () => {
      done();
      discard(worker);
      reject(new AppError('CV_PARSE_TIMEOUT'));
    };
    let timer = setTimeout(onTimeout, timeoutMs);
    worker.on('message', onMessage);
    worker.once('error', onError);
    // A copy of exactly these bytes (a Buffer may be a view into a larger shared pool), handed over.
    const copy = new Uint8Array(bytes);
    worker.postMessage({ kind, bytes: copy.buffer, ocr: ocrTimeoutMs > 0 }, [copy.buffer]);
  });
  extracted.then(
    () => timed('ok'),
    (err: unknown) =>
      timed(err instanceof AppError ? (err.code === 'CV_PARSE_TIMEOUT' ? 'timeout' : 'refused') : 'error'),
  );
  return extracted;
}
