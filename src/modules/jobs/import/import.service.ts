/**
 * Importing jobs: records from a stream, validated one by one with the same rules as the API,
 * upserted in batches by source identity (source, external id). One bad row is reported and skipped;
 * it never aborts the rest.
 *
 * Outcome per valid row: inserted (new), updated (content changed), skipped (unchanged, or repeated
 * later in the same batch); every row seen has its last_seen_at refreshed (unchanged rows at most
 * once per SEEN_REFRESH_HOURS, so a re-import of an unchanged feed writes nothing), so postings that stop
 * appearing in a feed can be flagged as stale.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client.ts';
import { type DbActor, withContext } from '../../../db/context.ts';
import { jobs } from '../../../db/schema/index.ts';
import { pgError } from '../../../lib/db-errors.ts';
import type { CreateJob } from '../jobs.schemas.ts';
import { jobValues } from '../jobs.service.ts';
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
};

export type ImportProgress = {
  rows: number;
  inserted: number;
  updated: number;
  skipped: number;
  rejected: number;
  /** Rows imported with at least one warning. */
  warned: number;
};
export type RejectedRow = { line: number; reason: string };
export type RowWarning = { line: number; field?: string | undefined; value?: string | undefined; reason: string };
export type ImportReport = ImportProgress & {
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

type Candidate = { line: number; values: ReturnType<typeof jobValues> };

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
    warned: 0,
    encoding: 'utf-8',
    errors: [],
    errorsTruncated: false,
    warnings: [],
    warningsTruncated: false,
  };
  const reject = (line: number, reason: string) => {
    report.rejected++;
    options.onIssue?.({ line, kind: 'rejected', reason });
    if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push({ line, reason });
    else report.errorsTruncated = true;
  };
  const warnAll = (warnings: RowIssue[], imported = true) => {
    if (warnings.length === 0) return;
    if (imported) report.warned++;
    for (const w of warnings) {
      options.onIssue?.(w);
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
      options.onIssue?.(issue);
      report.warnings.push({ line: 1, field: 'encoding', value: encoding, reason });
    }
  };
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
    const values = jobValues(job);
    // Skills named in the description count too (the taxonomy's canonical keys), after the listed ones.
    values.skills = [...new Set([...values.skills, ...prepared.skillsFromText])];
    batch.push({ line: record.line, values });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  report.errors.sort((a, b) => a.line - b.line);
  return report;
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
  const unique = [...byIdentity.values()];
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

async function upsert(tx: Tx, rows: Candidate[], report: ImportReport) {
  const column = (field: (typeof CONTENT)[number]) => sql.identifier(jobs[field].name);
  const changed = sql.join(
    CONTENT.map((f) => sql`jobs.${column(f)} is distinct from excluded.${column(f)}`),
    sql` or `,
  );
  const set = Object.fromEntries(CONTENT.map((f) => [f, sql`excluded.${column(f)}`]));
  const written = await tx
    .insert(jobs)
    .values(rows.map((r) => r.values))
    .onConflictDoUpdate({
      target: [jobs.source, jobs.externalId],
      set: {
        ...set,
        // The earliest date a posting was seen posted; a re-import without a date keeps it.
        postedDate: sql`least(${jobs.postedDate}, excluded.posted_date)`,
        lastSeenAt: sql`now()`,
      },
      setWhere: changed,
    })
    .returning({ externalId: jobs.externalId, source: jobs.source, inserted: sql<boolean>`xmax = 0` });
  const writtenIds = new Set(written.map((w) => `${w.source}\u0000${w.externalId}`));
  for (const w of written) w.inserted ? report.inserted++ : report.updated++;
  const unchanged = rows.filter((r) => !writtenIds.has(`${r.values.source}\u0000${r.values.externalId}`));
  report.skipped += unchanged.length;
  if (unchanged.length > 0) {
    // One JSON parameter, not a list of row values: PGlite aborts on a few hundred `(a, b)` pairs (issue 11).
    const seen = JSON.stringify(unchanged.map((r) => ({ source: r.values.source, external_id: r.values.externalId })));
    await tx.execute(
      sql`update jobs set last_seen_at = now() from json_to_recordset(${seen}::json) as seen(source text, external_id text) where jobs.source = seen.source and jobs.external_id = seen.external_id and jobs.last_seen_at < now() - make_interval(hours => ${SEEN_REFRESH_HOURS})`,
    );
  }
}
