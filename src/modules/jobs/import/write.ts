/**
 * Writing one batch of prepared rows (import.service.ts reads and prepares them): at most three
 * statements, each set-based over one JSON parameter.
 *
 * 1. A SELECT, before any transaction, finds each row's stored job by its identity (source, external
 *    id), and, only for a row that is new or whose text changed, the stored job that is the same posting
 *    under another id (source, content key: the merge). A row whose stored job has the same import hash
 *    (every content column) and no later posting date is unchanged: it goes no further.
 * 2. For the rest, in one transaction: one INSERT … ON CONFLICT DO UPDATE that writes only rows whose
 *    content changed (or whose posting date moves back), after one insert of the words the vocabulary
 *    has not had yet in this import.
 * 3. In the same transaction, only when needed, one UPDATE of unchanged rows: last_seen_at when older
 *    than SEEN_REFRESH_HOURS, and the hash of rows stored without one (before the hash existed, or
 *    edited through the API).
 *
 * So an unchanged re-import within SEEN_REFRESH_HOURS costs one SELECT per batch, opens no transaction
 * and writes nothing.
 */
import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { type Db, rowsOf, type Tx } from '../../../db/client.ts';
import { type DbActor, withContext } from '../../../db/context.ts';
import { jobs } from '../../../db/schema/index.ts';
import type { jobValues } from '../jobs.service.ts';
import { addWords, vocabularyOf } from '../suggest.ts';

export type JobRow = ReturnType<typeof jobValues> & {
  descriptionHtml: string | null;
  contentKey: string;
  importHash: string;
};
export type Candidate = { line: number; values: JobRow; merged?: boolean };

export type WriteCounts = { inserted: number; updated: number; skipped: number; merged: number };

/**
 * An unchanged row's last_seen_at is refreshed only when older than this: the stale flag works in
 * days (30), and skipping the write makes a re-import of an unchanged feed read-only.
 */
export const SEEN_REFRESH_HOURS = 12;

/**
 * Every column an import writes. Content columns are compared, hashed and overwritten: when none of them
 * changed, a re-imported row is "skipped", not "updated". Derived columns are computed from the content
 * and written with it, never compared. (A Record, so a column added to JobRow must be placed here.)
 */
const WRITTEN: Record<keyof JobRow, 'content' | 'derived' | 'identity' | 'other'> = {
  title: 'content',
  company: 'content',
  location: 'content',
  remote: 'content',
  salaryMin: 'content',
  salaryMax: 'content',
  salaryCurrency: 'content',
  salaryPeriod: 'content',
  salaryYearlyMin: 'content',
  salaryYearlyMax: 'content',
  experienceLevel: 'content',
  jobType: 'content',
  description: 'content',
  descriptionHtml: 'content',
  contentKey: 'content',
  requirements: 'content',
  skills: 'content',
  textSkills: 'content',
  sourceUrl: 'content',
  // What the fit score reads from the text (docs/match.md).
  matchFacts: 'derived',
  source: 'identity',
  externalId: 'identity',
  // Set once, by the first import (an import that changes it later does not move a job).
  categoryId: 'other',
  // Moves back only (the merge rule), compared apart from the hash.
  postedDate: 'other',
  importHash: 'other',
};
type Field = keyof JobRow;
const FIELDS = Object.keys(WRITTEN) as Field[];
const CONTENT = FIELDS.filter((f) => WRITTEN[f] === 'content');

/** sha-256 of a row's content columns: equal hashes, equal content (the posting date is compared apart). */
export function importHashOf(values: Partial<JobRow>): string {
  return createHash('sha256')
    .update(JSON.stringify(CONTENT.map((field) => values[field] ?? null)))
    .digest('hex');
}

const column = (field: Field) => sql.identifier(jobs[field].name);
const due = (alias: string) =>
  sql`${sql.identifier(alias)}.last_seen_at < now() - make_interval(hours => ${SEEN_REFRESH_HOURS})`;
/** The stored row `alias` holds what k says: same hash, and k's posting date is not earlier. */
const same = (alias: string) =>
  sql`(${sql.identifier(alias)}.import_hash = k.hash and not coalesce(k.posted < ${sql.identifier(alias)}.posted_date, false))`;

type Found = {
  i: number;
  id: string | null;
  same: boolean | null;
  due: boolean | null;
  stored_id: string | null;
  stored_external_id: string | null;
  stored_same: boolean | null;
  stored_due: boolean | null;
};

/**
 * Step 1's statement: per row `i`, its stored job (`id`, by identity) and, when it is new or its text
 * changed, the stored job that is the same posting under another id (`stored_*`, idx_jobs_source_content_key;
 * the condition on j inside the lateral subquery skips that probe for every other row).
 */
export const lookupSql = (keys: string): SQL =>
  sql`select k.i, j.id, ${same('j')} as same, ${due('j')} as due,
      m.id as stored_id, m.external_id as stored_external_id, ${same('m')} as stored_same, ${due('m')} as stored_due
    from json_to_recordset(${keys}::json)
      as k(i int, source text, external_id text, content_key text, hash text, posted timestamptz)
    left join jobs j on j.source = k.source and j.external_id = k.external_id
    left join lateral (
      select m.id, m.external_id, m.import_hash, m.posted_date, m.last_seen_at from jobs m
      where j.content_key is distinct from k.content_key
        and m.source = k.source and m.content_key = k.content_key and m.external_id is distinct from k.external_id
      -- Kept a subquery (not pulled up into a join), so the condition on j is a one-time filter checked
      -- before the index probe rather than a join filter checked after it.
      offset 0
    ) m on true`;

/**
 * Writes a batch whose rows have distinct identities and distinct content keys (the caller merged
 * repeats). `knownWords` are words the vocabulary has already had in this import. Returns the batch's
 * counts and the words it added, for the caller to take once the transaction has committed (a batch
 * the database refuses is retried row by row: the candidates are not changed).
 */
export async function writeBatch(
  db: Db,
  actor: DbActor,
  batch: readonly Candidate[],
  knownWords: ReadonlySet<string>,
): Promise<{ counts: WriteCounts; words: string[] }> {
  const counts: WriteCounts = { inserted: 0, updated: 0, skipped: 0, merged: 0 };
  const candidates: Candidate[] = batch.map((c) => ({ line: c.line, values: { ...c.values } }));
  const keys = JSON.stringify(
    candidates.map((c, i) => ({
      i,
      source: c.values.source,
      external_id: c.values.externalId,
      content_key: c.values.contentKey,
      hash: c.values.importHash,
      posted: c.values.postedDate ?? null,
    })),
  );
  // Outside the transaction, like any read of the public catalogue (search reads it so too): a batch
  // with nothing to write then costs this one statement, not a transaction with its administrator grant.
  const found = rowsOf<Found>(await db.execute(lookupSql(keys)));
  // Rows to write (with their stored job's id), and unchanged ones that still need a refresh.
  const write: Array<Candidate & { storedId: string | null }> = [];
  const touch: Array<{ id: string; hash: string | null }> = [];
  const ids = new Set(candidates.map((c) => c.values.externalId));
  for (const f of found.sort((a, b) => a.i - b.i)) {
    const c = candidates[f.i] as Candidate;
    if (f.stored_external_id && f.stored_id) {
      // The same posting stored under another id: the row goes into that job, unless that job is itself
      // a row of this batch (then the row is merged away).
      c.merged = true;
      if (ids.has(f.stored_external_id)) {
        counts.merged++;
        continue;
      }
      ids.add(f.stored_external_id);
      c.values.externalId = f.stored_external_id;
      if (f.stored_same) {
        counts.merged++;
        if (f.stored_due) touch.push({ id: f.stored_id, hash: null });
        continue;
      }
      write.push({ ...c, storedId: f.stored_id });
    } else if (f.id && f.same) {
      counts.skipped++;
      if (f.due) touch.push({ id: f.id, hash: null });
    } else {
      write.push({ ...c, storedId: f.id });
    }
  }

  if (write.length === 0 && touch.length === 0) return { counts, words: [] };

  const words = vocabularyOf(
    write.flatMap((r) => [r.values.title, r.values.company, ...r.values.skills, ...r.values.textSkills]),
  ).filter((w) => !knownWords.has(w));
  await withContext(db, actor, async (tx) => {
    await addWords(tx, words);
    if (write.length > 0) {
      const written = await upsert(tx, write);
      for (const r of write) {
        const inserted = written.get(identity(r.values));
        if (inserted === undefined) {
          // Stored with these columns already, but without this hash: keep the hash for next time.
          if (r.merged) counts.merged++;
          else counts.skipped++;
          if (r.storedId) touch.push({ id: r.storedId, hash: r.values.importHash });
        } else if (r.merged) counts.merged++;
        else if (inserted) counts.inserted++;
        else counts.updated++;
      }
    }
    if (touch.length > 0) {
      // One JSON parameter, not a list of row values: PGlite aborts on a few hundred `(a, b)` pairs (issue 11).
      await tx.execute(sql`update jobs set import_hash = coalesce(t.hash, jobs.import_hash),
          last_seen_at = case when ${due('jobs')} then now() else jobs.last_seen_at end
        from json_to_recordset(${JSON.stringify(touch)}::json) as t(id uuid, hash text) where jobs.id = t.id`);
    }
  });
  return { counts, words };
}

const identity = (r: { source: string; externalId: string | null }) => `${r.source}\u0000${r.externalId}`;

/**
 * One INSERT … ON CONFLICT for the rows, from one JSON parameter read by json_populate_recordset (no
 * per-value parameters to build and parse). Returns the rows it wrote: identity → inserted (else updated).
 */
async function upsert(tx: Tx, rows: Candidate[]): Promise<Map<string, boolean>> {
  const json = JSON.stringify(
    rows.map((r) => Object.fromEntries(FIELDS.map((field) => [jobs[field].name, r.values[field] ?? null]))),
  );
  const columns = sql.join(FIELDS.map(column), sql`, `);
  // A row without a posting date gets the column's default (now()), as a plain insert would.
  const selected = sql.join(
    FIELDS.map((f) => (f === 'postedDate' ? sql`coalesce(r.posted_date, now())` : sql`r.${column(f)}`)),
    sql`, `,
  );
  const changed = sql.join(
    CONTENT.map((f) => sql`jobs.${column(f)} is distinct from excluded.${column(f)}`),
    sql` or `,
  );
  const set = sql.join(
    FIELDS.filter((f) => WRITTEN[f] === 'content' || WRITTEN[f] === 'derived').map(
      (f) => sql`${column(f)} = excluded.${column(f)}`,
    ),
    sql`, `,
  );
  const written = rowsOf<{ source: string; external_id: string; inserted: boolean }>(
    await tx.execute(sql`insert into jobs (${columns})
      select ${selected} from json_populate_recordset(null::jobs, ${json}::json) as r
      on conflict (source, external_id) do update set ${set},
        -- The earliest date a posting was seen posted (the merge rule); a re-import without a date keeps it.
        posted_date = least(jobs.posted_date, excluded.posted_date),
        import_hash = excluded.import_hash,
        last_seen_at = now()
      where ${changed} or excluded.posted_date < jobs.posted_date
      returning source, external_id, xmax = 0 as inserted`),
  );
  return new Map(written.map((w) => [identity({ source: w.source, externalId: w.external_id }), w.inserted]));
}
