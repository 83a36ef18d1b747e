/**
 * Importing jobs: records from a stream, validated one by one with the same rules as the API,
 * upserted in batches by source identity (source, external id). One bad row is reported and skipped;
 * it never aborts the rest. While one batch is written (write.ts), the next is read and prepared.
 *
 * Outcome per valid row: inserted (new), updated (content changed), skipped (unchanged, or repeated
 * later in the same batch), merged (the same posting as another row of its source under another id:
 * same normalised title, company, location and description; it goes into the job imported first, which
 * keeps its external id and the earliest posted date). Every row seen has its last_seen_at refreshed
 * (unchanged rows at most once per SEEN_REFRESH_HOURS, so a re-import of an unchanged feed writes
 * nothing), so postings that stop appearing in a feed can be flagged as stale.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { type DbActor, withContext } from '../../../db/context.ts';
import { jobImportIssues, jobImports } from '../../../db/schema/index.ts';
import { pgError } from '../../../lib/db-errors.ts';
import type { CreateJob } from '../jobs.schemas.ts';
import { jobValues } from '../jobs.service.ts';
import { type PrepareOptions, prepareRecord, type RowIssue } from './prepare.ts';
import { type ImportFormat, readRecords } from './read.ts';
import type { TextEncoding } from './text.ts';
import { type Candidate, importHashOf, type JobRow, type WriteCounts, writeBatch } from './write.ts';

export type ImportOptions = PrepareOptions & {
  format: ImportFormat;
  /** CSV: job field -> column header (an empty column ignores what would match the field). */
  mapping?: Record<string, string> | undefined;
  batchSize?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Every warning and rejection, as it happens (the CLI's `--report` file); the report keeps the first 1,000. */
  onIssue?: (issue: RowIssue) => void;
  /**
   * Keep the full report in the database (job_imports, job_import_issues) for download; the report's
   * `id` names it. Deleted after IMPORT_REPORT_KEEP_DAYS by the retention task.
   */
  keepReport?: { createdBy: string | null } | undefined;
};

export type ImportProgress = {
  rows: number;
  inserted: number;
  updated: number;
  skipped: number;
  rejected: number;
  /** Rows that were the same posting as another of their source under another id: merged into it. */
  merged: number;
  /** Rows imported with at least one warning. */
  warned: number;
};
export type RejectedRow = { line: number; reason: string };
export type RowWarning = { line: number; field?: string | undefined; value?: string | undefined; reason: string };
export type ImportReport = ImportProgress & {
  /** The stored full report (with `keepReport`). */
  id?: string;
  /** The text encoding the file was read in (utf-8 unless detected otherwise). */
  encoding: string;
  errors: RejectedRow[];
  errorsTruncated: boolean;
  warnings: RowWarning[];
  warningsTruncated: boolean;
};

/** The report lists this many rejected rows (and warnings); the counts cover all of them. */
export const MAX_REPORTED_ERRORS = 1000;
const DEFAULT_BATCH = 500;
/** Rows read and prepared between two turns of the event loop (see readAll). */
const YIELD_EVERY_ROWS = 20;
/** Words this import has added to the vocabulary are remembered up to this many (not sent again). */
const MAX_KNOWN_WORDS = 200_000;
/** A stored report keeps this many warnings and rejections (the counts cover all of them). */
export const MAX_STORED_ISSUES = 100_000;
export const IMPORT_REPORT_KEEP_DAYS = 30;

/** A URL without its fragment and tracking parameters, so one posting shared two ways is one posting. */
export function canonicalUrl(raw: string): string {
  const url = new URL(raw);
  url.hash = '';
  for (const param of [...url.searchParams.keys()])
    if (/^utm_|^ref$|^source$/i.test(param)) url.searchParams.delete(param);
  return url.toString();
}

/** The identity of a row within its source: its own id, else its URL, else what it says. */
function externalIdOf(job: CreateJob): string {
  if (job.externalId) return job.externalId;
  if (job.sourceUrl && job.sourceUrl.length <= 255) return job.sourceUrl;
  const fingerprint = [job.title, job.company, job.location ?? ''].map((s) => s.trim().toLowerCase()).join('\n');
  return `sha256:${createHash('sha256').update(fingerprint).digest('hex')}`;
}

const normalised = (s: string | null | undefined) => (s ?? '').toLowerCase().replace(/\s+/g, ' ').trim();

/** What makes two rows of one source the same posting, whatever their ids: sha-256 of the normalised text. */
export function contentKeyOf(job: Pick<CreateJob, 'title' | 'company' | 'location' | 'description'>): string {
  const text = [job.title, job.company, job.location, job.description].map(normalised).join('\n');
  return createHash('sha256').update(text).digest('hex');
}

const earliest = (a: Date | undefined, b: Date | undefined) => (a && b ? (a <= b ? a : b) : (a ?? b));

export async function importJobs(
  db: Db,
  actor: DbActor,
  stream: Readable,
  options: ImportOptions,
): Promise<ImportReport> {
  const report: ImportReport = {
    rows: 0,
    inserted: 0,
    updated: 0,
    skipped: 0,
    rejected: 0,
    merged: 0,
    warned: 0,
    encoding: 'utf-8',
    errors: [],
    errorsTruncated: false,
    warnings: [],
    warningsTruncated: false,
  };
  const stored = options.keepReport ? await startStoredReport(db, actor, options) : undefined;
  const onIssue = (issue: RowIssue) => {
    options.onIssue?.(issue);
    stored?.add(issue);
  };
  const reject = (line: number, reason: string) => {
    report.rejected++;
    onIssue({ line, kind: 'rejected', reason });
    if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push({ line, reason });
    else report.errorsTruncated = true;
  };
  const warnAll = (warnings: RowIssue[], imported = true) => {
    if (warnings.length === 0) return;
    if (imported) report.warned++;
    for (const w of warnings) {
      onIssue(w);
      const { kind: _kind, ...warning } = w;
      if (report.warnings.length < MAX_REPORTED_ERRORS) report.warnings.push(warning);
      else report.warningsTruncated = true;
    }
  };
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  let batch: Candidate[] = [];

  const knownWords = new Set<string>();
  // The batch being written, while the next one is read and prepared (Node and the database work at
  // once). One at a time, in order: a batch's merge lookups see every earlier batch committed.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    await writing;
    writing = (async () => {
      const words = await upsertBatch(db, actor, current, report, reject, knownWords);
      for (const word of words) if (knownWords.size < MAX_KNOWN_WORDS) knownWords.add(word);
      await stored?.flush();
      options.onProgress?.({ ...report });
    })();
    // Its failure is thrown where it is awaited (the next flush, or the end), not as an unhandled rejection.
    writing.catch(() => {});
  };

  const onEncoding = (encoding: TextEncoding, sure: boolean) => {
    report.encoding = encoding;
    if (!sure && !report.warnings.some((w) => w.field === 'encoding')) {
      const reason =
        encoding === 'windows-1252'
          ? 'The file is not UTF-8: read as Windows-1252 (Latin-1). Check accented letters.'
          : `No byte-order mark: read as ${encoding.toUpperCase()}.`;
      const issue: RowIssue = { line: 1, kind: 'warning', field: 'encoding', value: encoding, reason };
      onIssue(issue);
      report.warnings.push({ line: 1, field: 'encoding', value: encoding, reason });
    }
  };
  let failed = false;
  try {
    await readAll();
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    // A reading error can leave a batch being written: it ends before the report is closed.
    await writing.catch(() => {});
    // Whatever stopped the import, what it wrote and reported so far stays downloadable (a failure to
    // record it never hides the error that stopped the import).
    await stored?.finish(report).catch((err: unknown) => {
      if (!failed) throw err;
    });
  }
  if (stored) report.id = stored.id;
  report.errors.sort((a, b) => a.line - b.line);
  return report;

  async function readAll() {
    for await (const record of readRecords(stream, options.format, { mapping: options.mapping, onEncoding })) {
      report.rows++;
      // Reading buffered records never waits for I/O: let the batch being written take its answers
      // from the database now and then, rather than only when the next chunk of the file is read.
      if (report.rows % YIELD_EVERY_ROWS === 0) await new Promise((resolve) => setImmediate(resolve));
      if (record.kind === 'error') {
        reject(record.line, record.reason);
        continue;
      }
      const prepared = prepareRecord(record, options);
      if (!prepared.ok) {
        warnAll(prepared.warnings, false);
        reject(record.line, prepared.rejection.reason);
        continue;
      }
      warnAll(prepared.warnings);
      const job = {
        ...prepared.job,
        ...(prepared.job.sourceUrl ? { sourceUrl: canonicalUrl(prepared.job.sourceUrl) } : {}),
      };
      job.externalId = externalIdOf(job);
      const stored = jobValues(job, prepared.textSkills);
      const values: JobRow = {
        ...stored,
        // Skills named in the description count too (the taxonomy's canonical keys), after the listed ones.
        skills: [...new Set([...stored.skills, ...prepared.skillsFromText])],
        descriptionHtml: prepared.descriptionHtml,
        contentKey: contentKeyOf(job),
        importHash: '',
      };
      values.importHash = importHashOf(values);
      batch.push({ line: record.line, values });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    await writing;
  }
}

/**
 * The stored report: a job_imports row made before the first row is read, its issues written after
 * each batch (up to MAX_STORED_ISSUES), its counts at the end.
 */
async function startStoredReport(db: Db, actor: DbActor, options: ImportOptions) {
  const [row] = await withContext(db, actor, (tx) =>
    tx
      .insert(jobImports)
      .values({ createdBy: options.keepReport?.createdBy ?? null, source: options.source ?? 'import' })
      .returning({ id: jobImports.id }),
  );
  if (!row) throw new Error('import report not created');
  const id = row.id;
  let pending: RowIssue[] = [];
  let seq = 0;
  let truncated = false;
  const flush = async () => {
    if (pending.length === 0) return;
    const issues = pending;
    pending = [];
    await withContext(db, actor, (tx) =>
      tx.insert(jobImportIssues).values(
        issues.map((issue) => ({
          importId: id,
          seq: ++seq,
          line: issue.line,
          kind: issue.kind,
          field: issue.field?.slice(0, 50) ?? null,
          value: issue.value ?? null,
          reason: issue.reason,
        })),
      ),
    );
  };
  return {
    id,
    add(issue: RowIssue) {
      if (seq + pending.length < MAX_STORED_ISSUES) pending.push(issue);
      else truncated = true;
    },
    flush,
    async finish(report: ImportProgress) {
      const { rows, inserted, updated, skipped, rejected, merged, warned } = report;
      await flush();
      await withContext(db, actor, (tx) =>
        tx
          .update(jobImports)
          .set({ counts: { rows, inserted, updated, skipped, rejected, merged, warned }, issuesTruncated: truncated })
          .where(sql`${jobImports.id} = ${id}`),
      );
    },
  };
}

async function upsertBatch(
  db: Db,
  actor: DbActor,
  candidates: Candidate[],
  report: ImportReport,
  reject: (line: number, reason: string) => void,
  knownWords: ReadonlySet<string>,
): Promise<string[]> {
  // The same identity twice in one statement is an error in PostgreSQL: the later row wins.
  const byIdentity = new Map<string, Candidate>();
  for (const c of candidates) {
    const identity = `${c.values.source}\u0000${c.values.externalId}`;
    if (byIdentity.has(identity)) report.skipped++;
    byIdentity.set(identity, c);
  }
  // The same posting under another id: the first row stays, with the earliest posted date of the two.
  const byContent = new Map<string, Candidate>();
  for (const c of byIdentity.values()) {
    const key = `${c.values.source}\u0000${c.values.contentKey}`;
    const first = byContent.get(key);
    if (!first) {
      byContent.set(key, c);
      continue;
    }
    report.merged++;
    const posted = earliest(first.values.postedDate, c.values.postedDate);
    if (posted) first.values.postedDate = posted;
  }
  const unique = [...byContent.values()];
  const written = (result: { counts: WriteCounts; words: string[] }) => {
    for (const [count, n] of Object.entries(result.counts)) report[count as keyof WriteCounts] += n;
    return result.words;
  };
  try {
    return written(await writeBatch(db, actor, unique, knownWords));
  } catch (err) {
    if (!pgError(err)) throw err;
    // Something in the batch was refused: retry row by row so only the culprit is rejected.
    const words: string[] = [];
    for (const c of unique) {
      try {
        words.push(...written(await writeBatch(db, actor, [c], knownWords)));
      } catch (rowErr) {
        const e = pgError(rowErr);
        if (!e) throw rowErr;
        reject(c.line, `The database refused the row (${e.constraint ?? e.code}).`);
      }
    }
    return words;
  }
}
