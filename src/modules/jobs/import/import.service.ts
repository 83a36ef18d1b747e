/**
 * Importing jobs: records from a stream, validated one by one with the same rules as the API,
 * upserted in batches by source identity (source, external id). One bad row is reported and skipped;
 * it never aborts the rest.
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
import { type Db, rowsOf, type Tx } from '../../../db/client.ts';
import { type DbActor, withContext } from '../../../db/context.ts';
import { jobImportIssues, jobImports, jobs } from '../../../db/schema/index.ts';
import { pgError } from '../../../lib/db-errors.ts';
import type { CreateJob } from '../jobs.schemas.ts';
import { jobValues } from '../jobs.service.ts';
import { addWords, vocabularyOf } from '../suggest.ts';
import { type PrepareOptions, prepareRecord, type RowIssue } from './prepare.ts';
import { type ImportFormat, readRecords } from './read.ts';
import type { TextEncoding } from './text.ts';

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

/**
 * An unchanged row's last_seen_at is refreshed only when older than this: the stale flag works in
 * days (30), and skipping the write makes a re-import of an unchanged feed read-only.
 */
export const SEEN_REFRESH_HOURS = 12;

/** The report lists this many rejected rows (and warnings); the counts cover all of them. */
export const MAX_REPORTED_ERRORS = 1000;
const DEFAULT_BATCH = 500;
/** A stored report keeps this many warnings and rejections (the counts cover all of them). */
export const MAX_STORED_ISSUES = 100_000;
export const IMPORT_REPORT_KEEP_DAYS = 30;

type JobRow = ReturnType<typeof jobValues> & { descriptionHtml: string | null; contentKey: string };
type Candidate = { line: number; values: JobRow; merged?: boolean };

/** Content columns: when none of them changed, a re-imported row is "skipped", not "updated". */
const CONTENT = [
  'title',
  'company',
  'location',
  'remote',
  'salaryMin',
  'salaryMax',
  'salaryCurrency',
  'salaryPeriod',
  'salaryYearlyMin',
  'salaryYearlyMax',
  'experienceLevel',
  'jobType',
  'description',
  'descriptionHtml',
  'contentKey',
  'requirements',
  'skills',
  'textSkills',
  'sourceUrl',
] as const satisfies ReadonlyArray<keyof typeof jobs.$inferInsert>;

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

  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    await upsertBatch(db, actor, current, report, reject);
    await stored?.flush();
    options.onProgress?.({ ...report });
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
      const values: JobRow = {
        ...jobValues(job),
        descriptionHtml: prepared.descriptionHtml,
        contentKey: contentKeyOf(job),
      };
      // Skills named in the description count too (the taxonomy's canonical keys), after the listed ones.
      values.skills = [...new Set([...values.skills, ...prepared.skillsFromText])];
      batch.push({ line: record.line, values });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
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
) {
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
  try {
    await withContext(db, actor, (tx) => upsert(tx, unique, report));
  } catch (err) {
    if (!pgError(err)) throw err;
    // Something in the batch was refused: retry row by row so only the culprit is rejected.
    for (const c of unique) {
      try {
        await withContext(db, actor, (tx) => upsert(tx, [c], report));
      } catch (rowErr) {
        const e = pgError(rowErr);
        if (!e) throw rowErr;
        reject(c.line, `The database refused the row (${e.constraint ?? e.code}).`);
      }
    }
  }
}

/** The stored jobs that are the same posting as a candidate under another id (idx_jobs_source_content_key). */
export const storedPostingsSql = (keys: string) =>
  sql`select k.i, j.external_id from json_to_recordset(${keys}::json)
      as k(i int, source text, content_key text, external_id text)
    join jobs j on j.source = k.source and j.content_key = k.content_key
    where j.external_id is distinct from k.external_id`;

/**
 * Candidates that are a posting already stored under another id of their source take that job's id,
 * so the upsert below writes into it. One that would then repeat an id of this batch is merged away.
 */
async function mergeIntoStored(tx: Tx, rows: Candidate[]): Promise<{ rows: Candidate[]; dropped: number }> {
  const keys = JSON.stringify(
    rows.map((r, i) => ({
      i,
      source: r.values.source,
      content_key: r.values.contentKey,
      external_id: r.values.externalId,
    })),
  );
  const stored = rowsOf<{ i: number; external_id: string }>(await tx.execute(storedPostingsSql(keys)));
  if (stored.length === 0) return { rows, dropped: 0 };
  const dropped = new Set<number>();
  const ids = new Set(rows.map((r) => r.values.externalId));
  for (const { i, external_id } of stored) {
    const row = rows[i];
    if (!row) continue;
    row.merged = true;
    if (ids.has(external_id)) dropped.add(i);
    else row.values.externalId = external_id;
    ids.add(external_id);
  }
  return { rows: rows.filter((_, i) => !dropped.has(i)), dropped: dropped.size };
}

async function upsert(tx: Tx, candidates: Candidate[], report: ImportReport) {
  const { rows, dropped } = await mergeIntoStored(tx, candidates);
  await addWords(
    tx,
    vocabularyOf(rows.flatMap((r) => [r.values.title, r.values.company, ...r.values.skills, ...r.values.textSkills])),
  );
  const column = (field: (typeof CONTENT)[number]) => sql.identifier(jobs[field].name);
  const changed = sql.join(
    CONTENT.map((f) => sql`jobs.${column(f)} is distinct from excluded.${column(f)}`),
    sql` or `,
  );
  // A row of the same posting dated earlier moves the date back (the merge rule: earliest posting date).
  const earlier = sql`excluded.posted_date < jobs.posted_date`;
  const set = Object.fromEntries(CONTENT.map((f) => [f, sql`excluded.${column(f)}`]));
  const written = await tx
    .insert(jobs)
    .values(rows.map((r) => r.values))
    .onConflictDoUpdate({
      target: [jobs.source, jobs.externalId],
      set: {
        ...set,
        // Derived from the content columns (jobValues): written with them, never compared (docs/match.md).
        matchFacts: sql`excluded.match_facts`,
        // The earliest date a posting was seen posted; a re-import without a date keeps it.
        postedDate: sql`least(${jobs.postedDate}, excluded.posted_date)`,
        lastSeenAt: sql`now()`,
      },
      setWhere: sql`${changed} or ${earlier}`,
    })
    .returning({ externalId: jobs.externalId, source: jobs.source, inserted: sql<boolean>`xmax = 0` });
  const identity = (r: { source: string; externalId: string | null }) => `${r.source}\u0000${r.externalId}`;
  const mergedIds = new Set(rows.filter((r) => r.merged).map((r) => identity(r.values)));
  const writtenIds = new Set(written.map(identity));
  for (const w of written) {
    if (mergedIds.has(identity(w))) report.merged++;
    else if (w.inserted) report.inserted++;
    else report.updated++;
  }
  const unchanged = rows.filter((r) => !writtenIds.has(identity(r.values)));
  for (const r of unchanged) r.merged ? report.merged++ : report.skipped++;
  report.merged += dropped;
  if (unchanged.length > 0) {
    // One JSON parameter, not a list of row values: PGlite aborts on a few hundred `(a, b)` pairs (issue 11).
    const seen = JSON.stringify(unchanged.map((r) => ({ source: r.values.source, external_id: r.values.externalId })));
    await tx.execute(
      sql`update jobs set last_seen_at = now() from json_to_recordset(${seen}::json) as seen(source text, external_id text) where jobs.source = seen.source and jobs.external_id = seen.external_id and jobs.last_seen_at < now() - make_interval(hours => ${SEEN_REFRESH_HOURS})`,
    );
  }
}
