/**
 * GET /api/v1/jobs: full-text search with filters, three sort orders, keyset pagination and facets.
 *
 * Text: `websearch_to_tsquery` over the stored, weighted `search_vector` (GIN-indexed), after
 * `search_text()` has rewritten symbol-named skills (C#, C++, .NET, Node.js) the same way as in the
 * documents. Relevance blends the text rank with freshness as an absolute function of posted_date, so
 * a row's sort key never changes between two page requests and keyset pagination stays exact.
 */
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { type Database, type Db, rowsOf, type Tx } from '../../db/client.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { AppError } from '../../lib/errors.ts';
import { Gate } from '../../lib/gate.ts';
import { headlineOptions, renderSnippet } from '../../lib/snippet.ts';
import { normalizeSkills } from '../skills/skills.ts';
import type { JobSearchQuery } from './jobs.schemas.ts';
import { staleSql } from './jobs.service.ts';
import { locationMatchers } from './location.ts';
import { suggestQuery } from './suggest.ts';
import { inCatalogue } from './visibility.ts';

/**
 * Relevance rankings. `current`: text first. The rank weighs the title far above the description
 * (D, C, B, A = 0.02, 0.1, 0.3, 1) and a title match adds its own title-only rank again; freshness
 * adds 0.1 per year of posting date (absolute, so a row's key never changes between pages), enough to
 * order equal matches newest first but never to lift a passing mention over an exact-title match
 * from months ago. `previous`: the ranking before issue 15 (default weights, +1 per year), kept for
 * `npm run eval:search`.
 */
export const RANKINGS = ['current', 'previous'] as const;
export type Ranking = (typeof RANKINGS)[number];
const FRESHNESS_SECONDS: Record<Ranking, number> = { current: 10 * 365 * 86_400, previous: 365 * 86_400 };
/** Relevance ranks at most this many of the newest matches (see relevanceKeys). */
export const RELEVANCE_WINDOW = 1000;
/**
 * Collecting M matches through the GIN bitmap reads M rows spread over the whole table; walking the
 * posting-date index for the newest K of them reads about K x W / M rows, W being the jobs its index
 * range holds (the catalogue; the remote jobs; a posting-date range: see walkedRange), and tests the text
 * of each, which the bitmap's exact GIN matches never do. So the bitmap wins while its rows (M, and the
 * TIDs of the bitmaps it ANDs: see bitmapRows) x ratio <= K x W / M, the ratio being what a bitmap row
 * costs in walked rows. Measured at 1,000,000 jobs (decision 020): about 4 when the table is in posting order and the cache small (the
 * walk's rows are recent and cached), about 0.3-0.5 when rows are not in posting order and the catalogue
 * is in shared_buffers. 1 keeps either plan within ~2x of the other in both settings: for the 1,000-row
 * relevance window of a million jobs the bitmap is used up to ~32,000 matches; for a 21-row page, ~4,600.
 */
const BITMAP_ROW_COST = 1;
/**
 * A bitmap collection of many matches for a page that needs only the newest few (the relevance window,
 * a first page newest first) first collects the matches posted since the date that, by the catalogue's
 * posting-date histogram, leaves SLICE_MARGIN times as many as it needs (see matchSource): the posting
 * dates' range is one more bitmap ANDed with the others, so only those rows are visited. Used when that
 * slice is at most SLICE_MAX_SHARE of the catalogue; the margin covers the estimate's error (a third of
 * the matches estimated is still enough).
 */
const SLICE_MARGIN = 3;
const SLICE_MAX_SHARE = 0.5;
/** The slice is taken when the cost model (slicePays) expects it to cost at most this share of the whole. */
const SLICE_GAIN = 0.9;
/** How long a process keeps the posting-date histogram it read (pg_stats; it changes with ANALYZE). */
const HISTOGRAM_MAX_AGE_MS = 5 * 60_000;
/** Facets are counted exactly when the planner expects at most this many matches, else sampled. */
export const FACET_EXACT_LIMIT = 5000;
export const FACET_SAMPLE_ROWS = 20_000;
/** Fewer matching rows than this in the sample make too rough an estimate: count instead. */
const FACET_MIN_SAMPLE_HITS = 100;
/** Filters whose facet counts are kept (per process), least recently used dropped first. */
const FACET_CACHE_ENTRIES = 500;
const SNIPPET_WORDS = 'MaxWords=35, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "';

type Sort = 'relevance' | 'newest' | 'salary';

const cursorSchema = z.object({
  s: z.enum(['relevance', 'newest', 'salary']),
  k: z.string().max(100),
  id: z.uuid(),
  /** Relevance only: the first page's time, which fixes the ranked window. */
  t: z.iso.datetime().optional(),
  /** Relevance only: 1 once the pages have passed the ranked window (k is then a posted_date). */
  p: z.literal(1).optional(),
});
type Cursor = z.infer<typeof cursorSchema>;

type Hit = Record<string, unknown> & { id: string; sort_key: string; snippet: string };

const textArray = (values: string[]) =>
  sql`ARRAY[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

/** LIKE pattern for "contains", with the user's own % and _ taken literally. */
const containsPattern = (s: string) => `%${s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The user's text as a tsquery expression, parsed by the database inside the statement that uses it
 * (no round trip of its own). The planner folds it to a constant, so its estimates see the real words.
 */
export function tsqueryOf(q: string | undefined): SQL | null {
  return q?.trim() ? sql`websearch_to_tsquery('english', search_text(${q}))` : null;
}

/** A tsquery as text (from toTsquery) or as an expression (from tsqueryOf). */
const asTsquery = (tsquery: SQL | string) => (typeof tsquery === 'string' ? sql`${tsquery}::tsquery` : tsquery);

/**
 * Text of stop words or punctuation alone parses to an empty tsquery: then there is no text filter.
 * For a constant text the planner folds the `numnode` test away, leaving the GIN-indexable match.
 */
const textMatch = (tsquery: SQL | string) =>
  typeof tsquery === 'string'
    ? sql`j.search_vector @@ ${tsquery}::tsquery`
    : sql`(j.search_vector @@ ${tsquery} or numnode(${tsquery}) = 0)`;

/** Conditions a search can answer through an index, or test on each row the other indexes return. */
export type Indexable = 'text' | 'level' | 'type' | 'posted' | 'salary';
const INDEXES: Record<string, Indexable> = {
  // The text's index (with the location, skills, level and type: a scan of it holds the text's
  // condition whenever the search has one; a level or a type has no bitmap of its own to weigh).
  idx_jobs_search: 'text',
  idx_jobs_search_remote: 'text',
  idx_jobs_posted_date_id: 'posted',
  idx_jobs_salary_sort: 'salary',
};

/**
 * The search's conditions. Those of the kinds in `onRows` are wrapped in `coalesce(…, false)`, which no
 * index answers (the same truth in a WHERE clause): they are tested on the rows the other conditions'
 * indexes find (see rowTested), or on the rows a walk visits. The planner also gives up its estimate of
 * them (it takes an expression it cannot analyse as true for half the rows): trusting a low estimate of
 * several words, it would sort a sequential scan rather than walk the newest jobs.
 */
export function filters(
  query: JobSearchQuery,
  tsquery: SQL | string | null,
  { onRows = [] }: { onRows?: readonly Indexable[] } = {},
): SQL[] {
  const as = (kind: Indexable, condition: SQL) =>
    onRows.includes(kind) ? sql`coalesce(${condition}, false)` : condition;
  // The catalogue only: seekers' tracked jobs are theirs (visibility.ts). Estimated from the column's
  // null fraction (about 1), so it changes no plan; checked on the rows the indexes return.
  const where: SQL[] = [inCatalogue('j')];
  if (tsquery) where.push(as('text', textMatch(tsquery)));
  if (query.location) {
    // "New York" also finds "Brooklyn, NY"; "CA" finds "California" (src/modules/jobs/location.ts).
    const { contains, stateCodes } = locationMatchers(query.location);
    const options = [
      ...contains.map((c) => sql`lower(j.location) like ${containsPattern(c)}`),
      ...stateCodes.map((code) => sql`lower(j.location) ~ ${`, ${code}\\M`}`),
    ];
    where.push(sql`(${sql.join(options, sql` or `)})`);
  }
  if (query.remote !== undefined) where.push(remoteIs(query.remote));
  if (query.currency && (query.salaryMin !== undefined || query.salaryMax !== undefined || query.sort === 'salary')) {
    where.push(as('salary', sql`j.salary_currency = ${query.currency}`));
  }
  // Ranges overlap: the job's range reaches the wanted minimum and starts below the wanted maximum.
  if (query.salaryMin !== undefined) {
    // idx_jobs_salary_sort's expression (-1 for no salary never passes a floor >= 0): with the currency
    // it is an index range, which a text search combines with its GIN matches instead of testing each.
    where.push(as('salary', sql`coalesce(j.salary_yearly_max, j.salary_yearly_min, -1) >= ${query.salaryMin}`));
  }
  if (query.salaryMax !== undefined) {
    where.push(sql`coalesce(j.salary_yearly_min, j.salary_yearly_max) <= ${query.salaryMax}`);
  }
  if (query.experienceLevel) where.push(as('level', sql`j.experience_level in ${query.experienceLevel}`));
  if (query.jobType) where.push(as('type', sql`j.job_type in ${query.jobType}`));
  if (query.requirements) {
    const skills = normalizeSkills(query.requirements);
    if (skills.length > 0) {
      where.push(
        query.requirementsMode === 'any'
          ? sql`j.skills && ${textArray(skills)}`
          : sql`j.skills @> ${textArray(skills)}`,
      );
    }
  }
  if (query.categoryId) where.push(sql`j.category_id = ${query.categoryId}`);
  if (query.postedSince) where.push(as('posted', postedSince(query.postedSince)));
  return where;
}

const remoteIs = (remote: boolean) => sql`j.remote = ${remote}`;
const postedSince = (since: Date) => sql`j.posted_date >= ${since.toISOString()}::timestamptz`;

/**
 * The conditions the newest-first walk reads through its index rather than testing: the posting-date
 * range (idx_jobs_posted_date_id) and remote (idx_jobs_remote, the remote rows newest first). The walk
 * visits only the rows they leave, so those are what it must look through to find its matches.
 */
function walkedRange(query: JobSearchQuery): SQL[] {
  return [
    ...(query.remote === true ? [remoteIs(true)] : []),
    ...(query.postedSince ? [postedSince(query.postedSince)] : []),
  ];
}

function relevanceExpr(text: SQL | string, ranking: Ranking): SQL {
  const tsquery = asTsquery(text);
  const freshness = sql`extract(epoch from j.posted_date)::float8 / ${FRESHNESS_SECONDS[ranking]}`;
  if (ranking === 'previous') return sql`(ts_rank(j.search_vector, ${tsquery}, 32)::float8 + ${freshness})`;
  return sql`(ts_rank('{0.02,0.1,0.3,1}'::float4[], j.search_vector, ${tsquery}, 32)::float8
    + 0.5 * ts_rank('{0,0,0,1}'::float4[], j.search_vector, ${tsquery}, 32)::float8 + ${freshness})`;
}

function sortKey(sort: 'newest' | 'salary'): { expr: SQL; cast: SQL } {
  switch (sort) {
    case 'salary':
      // Matches idx_jobs_salary_sort, so a salary-sorted page is read in index order.
      return { expr: sql`coalesce(j.salary_yearly_max, j.salary_yearly_min, -1)`, cast: sql`integer` };
    case 'newest':
      return { expr: sql`j.posted_date`, cast: sql`timestamptz` };
  }
}

const and = (conditions: SQL[]) => (conditions.length > 0 ? sql.join(conditions, sql` and `) : sql`true`);

/** The user's text as a tsquery's text, or null when nothing in it is searchable (matching, alerts). */
export async function toTsquery(exec: Tx | Db, q: string | undefined): Promise<string | null> {
  if (!q?.trim()) return null;
  const [row] = rowsOf<{ q: string }>(
    await exec.execute(sql`select websearch_to_tsquery('english', search_text(${q}))::text as q`),
  );
  // Only stop words or punctuation: nothing to search for, so no text filter at all.
  return row?.q ? row.q : null;
}

/** How a text search collects its matches (see decision 020). */
export type Plan = 'bitmap' | 'walk';

type PlanNode = {
  'Node Type': string;
  'Plan Rows': number;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Parent Relationship'?: string;
  Plans?: PlanNode[];
};
const findNode = (node: PlanNode | undefined, type: string): PlanNode | undefined =>
  node?.['Node Type'] === type ? node : node?.Plans?.map((n) => findNode(n, type)).find(Boolean);

export type Estimates = {
  /** Jobs the search matches. */
  matches: number;
  /** Jobs in the catalogue. */
  catalogue: number;
  /** Jobs the newest-first walk looks through (see walkedRange): the catalogue when nothing narrows it. */
  walked: number;
  /**
   * When the planner would AND several index bitmaps: each one's TIDs, and what it answers (null: an
   * index whose condition is always read through it, e.g. the location's trigrams or remote).
   */
  bitmaps: Array<{ index: string; kind: Indexable | null; tids: number }>;
};

/** The indexes a newest-first walk reads (see walkedRange). */
const WALK_INDEXES = new Set(['idx_jobs_posted_date_id', 'idx_jobs_remote']);

/** About this many jobs are sampled to estimate the share of a text of several words. */
const TEXT_SAMPLE_ROWS = 1000;
/** With fewer matches than this in the sample, it only bounds the share from above. */
const TEXT_SAMPLE_MIN_HITS = 10;

/**
 * The planner's estimates (see Estimates), in one statement. Each branch of the EXPLAIN is planned but,
 * behind `(select false)`, never run; only the text sample is: the planner assumes the words of a text
 * are independent, and the words people search together are not (`problem solving`: 20,000 estimated,
 * 101,704 found at 1,000,000 jobs), which flips the choice between bitmap and walk exactly where it
 * matters. So for a text of more than one word, about TEXT_SAMPLE_ROWS jobs (a block sample, ~1.5 ms)
 * are tested, and the text's share found there replaces the planner's in the estimates.
 */
async function estimates(exec: Tx | Db, query: JobSearchQuery, where: SQL, tsquery: SQL | null): Promise<Estimates> {
  const never = sql`(select false)`;
  const walked = walkedRange(query);
  // Before its first ANALYZE the table's reltuples is -1: its size at ~4 jobs a page stands in, so a
  // large table never gets sampled whole.
  const samplePercent = sql`(select least(100, ${100 * TEXT_SAMPLE_ROWS}::float8 / greatest(1,
      case when reltuples >= 0 then reltuples else pg_relation_size(oid) / 8192 * 4 end))
    from pg_class where oid = 'jobs'::regclass)`;
  // Named, so each plan below is read by what it estimates whatever branches the search leaves out.
  const branches: Partial<Record<'matched' | 'all' | 'walked' | 'text' | 'sample', SQL>> = {
    matched: sql`select 1 from jobs j where ${where} and ${never}`,
    all: sql`select 1 from jobs j where ${never}`,
    ...(walked.length > 0 && { walked: sql`select 1 from jobs j where ${and(walked)} and ${never}` }),
    ...(tsquery && {
      text: sql`select 1 from jobs j where j.search_vector @@ ${tsquery} and ${never}`,
      sample: sql`select 1 from jobs j tablesample system (${samplePercent}) repeatable (7)
          where j.search_vector @@ ${tsquery} and numnode(${tsquery}) > 1`,
    }),
  };
  const [row] = rowsOf<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
    await exec.execute(
      sql`explain (analyze, timing off, summary off, format json) ${sql.join(Object.values(branches), sql` union all `)}`,
    ),
  );
  // The branches, in order (an InitPlan the planner hoisted to the top would not be one).
  const plans = (row?.['QUERY PLAN'][0]?.Plan.Plans ?? []).filter((p) => p['Parent Relationship'] === 'Member');
  const plan = Object.fromEntries(Object.keys(branches).map((name, i) => [name, plans[i]]));
  const catalogue = Math.max(1, plan.all?.['Plan Rows'] ?? 1);
  const walkedRows = plan.walked?.['Plan Rows'] ?? catalogue;
  // The text's sampled share over the planner's: what the words' correlation does to every estimate.
  const textEstimate = Math.max(1, plan.text?.['Plan Rows'] ?? 1);
  const sample = findNode(plan.sample, 'Sample Scan');
  const hits = sample?.['Actual Rows'] ?? 0;
  const seen = hits + (sample?.['Rows Removed by Filter'] ?? 0);
  let scale = 1;
  if (sample?.['Actual Loops'] && seen > 0) {
    const sampled = (catalogue * Math.max(hits, TEXT_SAMPLE_MIN_HITS)) / seen;
    scale = (hits >= TEXT_SAMPLE_MIN_HITS ? sampled : Math.min(textEstimate, sampled)) / textEstimate;
  }
  const bitmaps = (findNode(plan.matched, 'BitmapAnd')?.Plans ?? []).map((n) => {
    const index = n['Index Name'] ?? '';
    const kind = INDEXES[index] ?? null;
    return { index, kind, tids: kind === 'text' ? n['Plan Rows'] * scale : n['Plan Rows'] };
  });
  return { matches: (plan.matched?.['Plan Rows'] ?? 0) * scale, catalogue, walked: walkedRows, bitmaps };
}

/**
 * A TID put into a bitmap costs about a tenth of visiting and testing one row: 0.07-0.15 us against
 * 1.5-2 us at 1,000,000 jobs (`data science`: 293,000 TIDs from the posting lists in 45 ms; a salary
 * floor: 333,000 TIDs in 33 ms). The planner prices TIDs far lower, so it ANDs bitmaps of common words
 * (data, scientist: 30-90% of the jobs), common levels and wide date or salary ranges with a filter that
 * leaves a few thousand rows.
 */
const TID_COST = 0.1;
/**
 * The rows the other bitmaps leave are estimated as independent conditions, which correlated ones are
 * not (a salary floor in rupees: 395 estimated, 11,026 found): a bitmap is dropped only with this margin.
 */
const ROWS_MARGIN = 2;

/**
 * The conditions a bitmap collection tests on the rows rather than through their index: greedily, the
 * bitmap whose TIDs cost most against the rows the other bitmaps leave, while that ratio exceeds the
 * margin and another bitmap remains (decision 020, 9). `data science` in London, remote: 84 -> 46 ms.
 */
function rowTested(e: Estimates | null): Indexable[] {
  const onRows: Indexable[] = [];
  let kept = e?.bitmaps ?? [];
  const catalogue = e?.catalogue ?? 1;
  while (kept.length > 1) {
    const left = (b: (typeof kept)[number]) =>
      kept.filter((o) => o !== b).reduce((rows, o) => (rows * o.tids) / catalogue, catalogue);
    const [worst] = kept
      .flatMap((b) =>
        b.kind === null ? [] : [{ b, kind: b.kind, excess: (b.tids * TID_COST) / (ROWS_MARGIN * left(b)) }],
      )
      .sort((x, y) => y.excess - x.excess);
    if (!worst || worst.excess <= 1) break;
    onRows.push(worst.kind);
    kept = kept.filter((b) => b !== worst.b);
  }
  return onRows;
}

/**
 * What a bitmap collection costs, in visited rows: the TIDs of the bitmaps it ANDs (TID_COST each) and
 * the rows they leave (as independent conditions; at least the matches). Those of `onRows` are tested on
 * the rows instead. A plan that reads one index lists no bitmap: its TIDs are about the matches.
 */
function collectionCost(e: Estimates, onRows: readonly Indexable[]): number {
  const kept = e.bitmaps.filter((b) => !(b.kind && onRows.includes(b.kind)));
  const left = kept.reduce((rows, b) => (rows * b.tids) / e.catalogue, e.catalogue);
  return kept.reduce((tids, b) => tids + b.tids * TID_COST, 0) + Math.max(e.matches, left);
}

/** The bitmaps the planner would AND for `e` (a plan that reads one index lists none: its TIDs are about the matches). */
const bitmapsOf = (e: Estimates) => (e.bitmaps.length > 0 ? e.bitmaps : [{ index: '', kind: null, tids: e.matches }]);

/**
 * What collecting the newest `share` of the catalogue costs (collectionCost): its posting-date range is one
 * more bitmap of share x catalogue TIDs, and with it the other bitmaps leave fewer rows, so one that cost
 * more than it spared may be tested on the rows instead (rowTested). Infinite when the range itself would
 * be: it costs more than it spares.
 */
function slicedCost(e: Estimates, share: number): number {
  const range = { index: 'idx_jobs_posted_date_id', kind: 'posted' as const, tids: share * e.catalogue };
  const sliced = { ...e, matches: e.matches * share, bitmaps: [...bitmapsOf(e), range] };
  const tested = rowTested(sliced);
  return tested.includes('posted') ? Number.POSITIVE_INFINITY : collectionCost(sliced, tested);
}

/**
 * Whether collecting the newest `share` first costs less than collecting every match. A common word with
 * a location gains (`reporting` in New York); three selective bitmaps (a word, a skill, a salary floor)
 * do not, as the range costs more than it spares.
 */
function slicePays(e: Estimates, onRows: readonly Indexable[], share: number): boolean {
  return slicedCost(e, share) < SLICE_GAIN * collectionCost({ ...e, bitmaps: bitmapsOf(e) }, onRows);
}

/**
 * What collecting every match through bitmaps costs, in walked rows: each match visited, and the TIDs
 * of the bitmaps ANDed for the conditions the walk reads through its own index (remote, a posting-date
 * range) at TID_COST each. Those are free to the walk, while the bitmap pays for all their TIDs:
 * `engineer business development`, remote (11,600 matches of 122,000 remote jobs), 110-145 ms through
 * the bitmaps, 50 walking. Other bitmaps (the text's, a location's) cost the walk a test on each row it
 * visits instead, so they are left out of the comparison.
 */
export function bitmapRows(e: Estimates, onRows: Indexable[]): number {
  const anded = e.bitmaps.filter((b) => WALK_INDEXES.has(b.index) && !(b.kind && onRows.includes(b.kind)));
  return e.matches + TID_COST * anded.reduce((tids, b) => tids + b.tids, 0);
}

/** Newest first out of `source` (`jobs j`, or `m j`: matches already collected), at most `limit` rows. */
const newestOf = (source: SQL, conditions: SQL[], limit: number, columns = sql`j.id, j.posted_date`) =>
  sql`select ${columns} from ${source} where ${and(conditions)}
    order by j.posted_date desc nulls last, j.id desc nulls last limit ${limit}`;

/**
 * Where the matches of `where` come from, and the page's own `conditions` on top (cursor, time).
 * `walk` reads idx_jobs_posted_date_id newest first and tests each row: it stops early when matches are
 * common. `bitmap` first collects every match of `where` through the GIN index into a MATERIALIZED CTE
 * `m` (so the planner cannot turn it back into the walk), then takes the newest: cheap when matches are
 * few, however far back they lie. The walk on a query matching 1% of the catalogue read 100,000 rows to
 * find 1,000. `m` holds exactly the search's matches with the facet columns, so the facets are counted
 * from it rather than by collecting the same rows a second time.
 */
function matchSource(
  { plan, recent }: Collection,
  where: SQL[],
  conditions: SQL[],
): { ctes: SQL[]; from: SQL; conditions: SQL[] } {
  if (plan === 'walk') return { ctes: [], from: sql`jobs j`, conditions: [...where, ...conditions] };
  const collect = (range: SQL[]) =>
    sql`select j.id, j.ctid, j.posted_date, j.job_type, j.experience_level, j.remote from jobs j where ${and([...where, ...range])}`;
  if (!recent) return { ctes: [sql`m as materialized (${collect([])})`], from: sql`m j`, conditions };
  // The newest slice first; the older matches only when it holds fewer than the page needs, so `m` holds
  // the newest matches the page reads either way (every row left out is older than every row in it).
  const since = sql`${recent.since}::timestamptz`;
  const enough = sql`(select count(*) from (select 1 from recent j where ${and(conditions)} limit ${recent.needed}) r)`;
  return {
    ctes: [
      sql`recent as materialized (${collect([sql`j.posted_date >= ${since}`])})`,
      sql`m as materialized (select * from recent
        union all ${collect([sql`j.posted_date < ${since}`, sql`${enough} < ${recent.needed}`])})`,
    ],
    from: sql`m j`,
    conditions,
  };
}

/**
 * The statement part that picks a page: `select` gives its rows' id, sort_key (for the cursor), phase
 * (relevance: 0 ranked, 1 past the window) and n (order), reading the named subqueries `ctes`, which the
 * page statement places first; `collected` says whether one of them is `m` (see matchSource).
 */
type PageKeys = { ctes: SQL[]; select: SQL; collected: boolean };
const keysFrom = (ctes: SQL[], select: SQL, collection: Collection | null): PageKeys => ({
  ctes,
  select,
  // A slice holds only the newest matches: the facets count them all elsewhere.
  collected: collection?.plan === 'bitmap' && !collection.recent,
});

/**
 * The relevance window: the newest `window` matches with their relevance `key` (which reads the job's
 * search_vector and posted_date as `j`). A walk reads the rows anyway, so it keeps their vectors for the
 * ranking; the collected matches (`m`) hold no vector and are joined back to the jobs for it by their
 * row address (ctid: one heap page each, where the primary key costs four; the statement's one snapshot
 * sees the same row versions the collection found). Either way the key is computed for the window's rows
 * only, after the limit.
 */
function rankedWindow(plan: Plan, from: SQL, conditions: SQL[], window: number, key: SQL): SQL {
  if (plan === 'walk')
    return sql`select j.id, j.posted_date, ${key} as key
      from (${newestOf(from, conditions, window, sql`j.id, j.posted_date, j.search_vector`)}) j`;
  return sql`select j.id, j.posted_date, ${key} as key
    from (${newestOf(from, conditions, window, sql`j.id, j.ctid, j.posted_date`)}) w join jobs j on j.ctid = w.ctid`;
}

/**
 * Relevance: the newest `window` matches posted up to the first page's time are ranked (so later pages
 * see the same window while new jobs arrive); after them, so that every match a facet counts can be
 * reached, the older matches follow newest first (phase 1). Both phases are keyset-paginated.
 */
function relevanceKeys(
  collection: Collection,
  tsquery: SQL,
  where: SQL[],
  cursor: Cursor | null,
  asOf: string,
  pageSize: number,
  window: number,
  ranking: Ranking,
): PageKeys {
  if (cursor?.p === 1) {
    const after = sql`(j.posted_date, j.id) < (${cursor.k}::timestamptz, ${cursor.id}::uuid)`;
    const { ctes, from, conditions } = matchSource(collection, where, [after]);
    return keysFrom(
      ctes,
      sql`select x.id, x.posted_date::text as sort_key, 1 as phase,
      row_number() over (order by x.posted_date desc nulls last, x.id desc nulls last) as n
      from (${newestOf(from, conditions, pageSize)}) x`,
      collection,
    );
  }
  const { ctes, from, conditions } = matchSource(collection, where, [sql`j.posted_date <= ${asOf}::timestamptz`]);
  const ranked = cursor ? sql`(w.key, w.id) < (${cursor.k}::float8, ${cursor.id}::uuid)` : sql`true`;
  // The rest starts below the window's oldest row, and only when the window is full.
  const rest = [
    ...conditions,
    sql`(select count(*) from win) >= ${window}`,
    sql`(j.posted_date, j.id) < ((select posted_date from edge), (select id from edge))`,
  ];
  return keysFrom(
    [
      ...ctes,
      sql`win as materialized (${rankedWindow(collection.plan, from, conditions, window, relevanceExpr(tsquery, ranking))})`,
      sql`edge as (select posted_date, id from win order by posted_date asc, id asc limit 1)`,
      sql`pages as (
      select w.id, 0 as phase, w.key, null::timestamptz as pd from win w where ${ranked}
      union all
      select x.id, 1, null::float8, x.posted_date from (${newestOf(from, rest, pageSize)}) x)`,
    ],
    sql`select id, case phase when 0 then key::text else pd::text end as sort_key, phase,
      row_number() over (order by phase, key desc, pd desc, id desc) as n
    from pages order by phase, key desc, pd desc, id desc limit ${pageSize}`,
    collection,
  );
}

/** Newest and salary orders: the index in order (or, newest with text, the collected matches). */
function orderedKeys(
  sort: 'newest' | 'salary',
  collection: Collection,
  where: SQL[],
  cursor: Cursor | null,
  pageSize: number,
): PageKeys {
  const { expr, cast } = sortKey(sort);
  const keyset = cursor ? [sql`(${expr}, j.id) < (${cursor.k}::${cast}, ${cursor.id}::uuid)`] : [];
  if (sort === 'newest') {
    const { ctes, from, conditions } = matchSource(collection, where, keyset);
    return keysFrom(
      ctes,
      sql`select x.id, x.posted_date::text as sort_key, 0 as phase,
      row_number() over (order by x.posted_date desc nulls last, x.id desc nulls last) as n
      from (${newestOf(from, conditions, pageSize)}) x`,
      collection,
    );
  }
  return keysFrom(
    [],
    sql`select j.id, (${expr})::text as sort_key, 0 as phase,
      row_number() over (order by ${expr} desc nulls last, j.id desc nulls last) as n
    from jobs j where ${and([...where, ...keyset])}
    order by ${expr} desc nulls last, j.id desc nulls last limit ${pageSize}`,
    null,
  );
}

export type SearchOptions = {
  ranking?: Ranking;
  /** How many of the newest matches relevance ranks (tests make it small). */
  window?: number;
  /** Forces how text matches are collected (tests and benchmarks compare the two). */
  plan?: Plan;
  /** Forces which conditions are tested on the rows instead of through their index (see rowTested). */
  onRows?: Indexable[];
  /** Forces the newest share of the catalogue a bitmap collection tries first (tests; 0: none). */
  recentShare?: number;
};

/** How a page's matches are collected: the plan, and for a bitmap the newest slice tried first. */
type Collection = { plan: Plan; recent: { since: string; needed: number } | null };

/** What a search needs to know before its page statement: the plan, and how facets are counted. */
type Prepared = {
  sort: Sort;
  cursor: Cursor | null;
  asOf: string;
  tsquery: SQL | null;
  where: SQL[];
  collection: Collection;
  facets: { key: string; cached: CachedFacets | undefined; samplePercent: number | null } | null;
  /** The page statement reads the posting-date histogram for the next searches (see keptHistogram). */
  readHistogram: boolean;
};

async function prepare(exec: Tx | Db, query: JobSearchQuery, options: SearchOptions): Promise<Prepared> {
  const tsquery = tsqueryOf(query.q);
  const requested: Sort = query.sort ?? (tsquery ? 'relevance' : 'newest');
  const sort: Sort = requested === 'relevance' && !tsquery ? 'newest' : requested;
  const cursor = query.cursor ? decodeCursor(query.cursor, cursorSchema) : null;
  if (cursor && (cursor.s !== sort || (cursor.p === 1 && sort !== 'relevance'))) throw new AppError('INVALID_CURSOR');
  const asOf = cursor?.t ?? new Date().toISOString();
  let where = filters(query, tsquery);
  const key = query.facets && !cursor ? facetKey(where) : null;
  const cached = key ? facetCache(exec).get(key) : undefined;
  // One planning pass (no rows read) decides how text matches are collected and, when no cached
  // facets say so already, whether facets are counted or sampled.
  const needsPlan = tsquery !== null && sort !== 'salary';
  const needsFacetPlan = key !== null && !cached;
  const estimate = needsPlan || needsFacetPlan ? await estimates(exec, query, and(where), tsquery) : null;
  // How many newest matches the page needs: the ranked window, or (newest, past the window) one page.
  const needed = sort === 'relevance' && cursor?.p !== 1 ? (options.window ?? RELEVANCE_WINDOW) : query.limit + 1;
  // Collecting through bitmaps, unselective conditions are better tested on the rows the others find.
  const tested = rowTested(estimate);
  const histogram = keptHistogram(exec);
  const slice = histogram ? sliceFor(query, sort, cursor, estimate, histogram, options) : null;
  const chosen = estimate && needsPlan ? chooseCollection(estimate, tested, needed, slice?.share ?? null) : null;
  const plan: Plan = options.plan ?? chosen?.plan ?? 'walk';
  // Walking, the text is tested on the rows walked: else the planner, trusting its low estimate of
  // several words, may AND their posting lists with a date range and sort (`problem solving` in 90 days:
  // 280 ms against 35 walking).
  const onRows = options.onRows ?? (plan === 'bitmap' ? tested : needsPlan ? (['text'] as const) : []);
  if (onRows.length > 0) where = filters(query, tsquery, { onRows });
  const sliced = plan === 'bitmap' && (options.recentShare !== undefined || chosen?.sliced === true);
  const recent = sliced && slice ? { since: slice.since, needed: slice.needed } : null;
  let samplePercent = cached?.samplePercent ?? null;
  if (estimate && needsFacetPlan && estimate.matches > FACET_EXACT_LIMIT) {
    const percent = (100 * FACET_SAMPLE_ROWS) / estimate.catalogue;
    samplePercent = percent < 100 ? percent : null;
  }
  return {
    sort,
    cursor,
    asOf,
    tsquery,
    where,
    collection: { plan, recent },
    facets: key ? { key, cached, samplePercent } : null,
    readHistogram: histogram === undefined,
  };
}

/**
 * How a text search collects its matches: walking, or a bitmap collection (of every match, or of the
 * newest `share` of the catalogue first when a slice applies), whichever the estimates price lowest in
 * walked rows. The walk reads `needed` matches in about needed x walked / matches rows; the whole bitmap
 * costs bitmapRows; the slice is priced with every bitmap's TIDs (slicedCost), as a common word's posting
 * list costs more than the rows its slice spares walking. A bitmap chosen over the walk anyway takes the
 * slice when it costs less than the whole (slicePays).
 */
export function chooseCollection(
  e: Estimates,
  tested: Indexable[],
  needed: number,
  share: number | null,
): { plan: Plan; sliced: boolean } {
  const walkRows = (needed * e.walked) / Math.max(1, e.matches);
  const whole = bitmapRows(e, tested) * BITMAP_ROW_COST <= walkRows;
  const slice = share !== null && slicedCost(e, share) * BITMAP_ROW_COST <= walkRows;
  if (!whole && !slice) return { plan: 'walk', sliced: false };
  return { plan: 'bitmap', sliced: share !== null && (!whole || slicePays(e, tested, share)) };
}

/**
 * The newest share of the catalogue a bitmap collection would try first (see SLICE_MARGIN), how many
 * matches the page needs from it, and the posting date it starts at: the histogram's bound below which
 * about 1 - share of the jobs lie, rounded to the older (a larger slice). Null where no slice applies.
 * Only a page that needs the newest matches: the relevance window (and, as its page may end with the
 * matches after the window, one page more), or the first page newest first; a later page newest first,
 * or past the window, starts below its cursor.
 */
function sliceFor(
  query: JobSearchQuery,
  sort: Sort,
  cursor: Cursor | null,
  estimate: Estimates | null,
  histogram: string[],
  options: SearchOptions,
): { share: number; needed: number; since: string } | null {
  const pageSize = query.limit + 1;
  let needed: number;
  if (sort === 'relevance' && cursor?.p !== 1) needed = (options.window ?? RELEVANCE_WINDOW) + pageSize;
  else if (sort === 'newest' && !cursor) needed = pageSize;
  else return null;
  const share = options.recentShare ?? (estimate ? (SLICE_MARGIN * needed) / Math.max(1, estimate.matches) : 0);
  if (!(share > 0 && share <= SLICE_MAX_SHARE) || histogram.length < 2) return null;
  const since = histogram[Math.floor((1 - share) * (histogram.length - 1))];
  return since ? { share, needed, since } : null;
}

/** The page's ids and sort keys, for the prepared search. */
function pageKeys(p: Prepared, pageSize: number, options: SearchOptions): PageKeys {
  if (p.sort === 'relevance' && p.tsquery) {
    const window = options.window ?? RELEVANCE_WINDOW;
    return relevanceKeys(
      p.collection,
      p.tsquery,
      p.where,
      p.cursor,
      p.asOf,
      pageSize,
      window,
      options.ranking ?? 'current',
    );
  }
  return orderedKeys(p.sort === 'salary' ? 'salary' : 'newest', p.collection, p.where, p.cursor, pageSize);
}

const hitColumns = sql`j.id, j.title, j.company, j.location, j.remote, j.salary_min, j.salary_max,
  j.salary_currency, j.salary_period, j.salary_yearly_min, j.salary_yearly_max, j.experience_level,
  j.job_type, j.requirements, j.skills, j.category_id, j.source, j.source_url, j.posted_date,
  j.last_seen_at, ${staleSql(sql`j.source`, sql`j.last_seen_at`)} as stale`;

/**
 * The one statement of a search page: the catalogue version, the facets (unless the cache holds them
 * for that version: the CASE then never runs their subquery), and the page's rows with snippets.
 * It always returns at least one row (the rows side is a LEFT JOIN), so the version arrives with an
 * empty page too.
 */
function pageStatementOf(p: Prepared, pageSize: number, options: SearchOptions) {
  const snippet = p.tsquery
    ? sql`ts_headline('english', j.description, ${p.tsquery}, ${headlineOptions(SNIPPET_WORDS)})`
    : sql`left(j.description, 240)`;
  const keys = pageKeys(p, pageSize, options);
  const facets = p.facets
    ? facetSql(and(p.where), keys.collected, p.facets.samplePercent, p.facets.cached?.version)
    : sql`null::json`;
  return sql`with ${sql.join([...keys.ctes, sql`page as (${keys.select})`], sql`, `)}
    select c.version, c.facets, c.histogram, r.* from
      (select ${catalogueVersionSql} as version, ${facets} as facets,
        ${p.readHistogram ? histogramSql : sql`null`} as histogram) c
      left join (select ${hitColumns}, p.sort_key, p.phase, p.n, ${snippet} as snippet
        from page p join jobs j on j.id = p.id) r on true
    order by r.n`;
}

/** The statement that reads one page (for EXPLAIN in the benchmark): decides its plan first. */
export async function pageStatement(exec: Tx | Db, query: JobSearchQuery, options: SearchOptions = {}) {
  const p = await prepare(exec, { ...query, facets: false }, options);
  return { statement: pageStatementOf(p, query.limit + 1, options), plan: p.collection.plan };
}

type PageRow = Hit & {
  version: string;
  facets: FacetJson | null;
  histogram: string[] | null;
  phase: number | null;
  n: number | null;
};
type FacetJson = { sampled: boolean; rows: FacetRow[] | null };

/**
 * A search in at most two round trips: an EXPLAIN (only when the plan or the facet method depends on
 * how many jobs match), then the page statement. Runs on the pool: the catalogue is public and has no
 * row-level security (decision 004), so a search needs no transaction or identity.
 */
export async function runSearch(exec: Tx | Db, query: JobSearchQuery, options: SearchOptions = {}) {
  return (await versionedSearch(exec, query, options)).page;
}

/** runSearch, with the catalogue version the page was read at. */
async function versionedSearch(exec: Tx | Db, query: JobSearchQuery, options: SearchOptions) {
  const p = await prepare(exec, query, options);
  const rows = rowsOf<PageRow>(await exec.execute(pageStatementOf(p, query.limit + 1, options)));
  if (p.readHistogram && rows[0]) keepHistogram(exec, rows[0].histogram);
  const hits = rows.filter((r) => r.id !== null);
  const page = hits.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    hits.length > query.limit && last
      ? encodeCursor({
          s: p.sort,
          k: last.sort_key,
          id: last.id,
          ...(p.sort === 'relevance' ? { t: p.asOf, ...(last.phase === 1 ? { p: 1 } : {}) } : {}),
        })
      : null;
  const facets = p.facets ? facetsFrom(exec, p.facets, rows[0]) : undefined;
  return {
    page: { data: page.map((r) => toHit(r, query.q)), nextCursor, ...(facets ? { facets } : {}) },
    version: rows[0]?.version ?? null,
  };
}

type SearchPage = Awaited<ReturnType<typeof runSearch>> & { suggestion?: { query: string } };

/**
 * GET /api/v1/jobs. The actor is checked by the route; the catalogue read itself needs no identity.
 *
 * The pages served are kept, all of one catalogue version: at most `cachePages` of them
 * (SEARCH_CACHE_PAGES; least recently used dropped first; 0: none), each for at most PAGE_MAX_AGE_MS.
 * A repeated search costs one statement, which reads the version: the kept page is served while nothing
 * in `jobs` has changed (every write bumps the version in its own transaction, as for the facets). The
 * first search after a write finds the version moved, drops every page and searches (three round
 * trips, once per write and process). Decision 020, 8.
 */
export async function searchJobs(
  db: Db,
  query: JobSearchQuery,
  { cachePages, gate, signal }: { cachePages: number; gate: Gate | null; signal?: AbortSignal },
) {
  const cache = cachePages > 0 ? pageCache(db, cachePages) : null;
  const key = JSON.stringify(query);
  const kept = cache?.pages.get(key);
  if (cache && kept && Date.now() - kept.at <= PAGE_MAX_AGE_MS) {
    const version = await catalogueVersion(db);
    if (version === cache.version) return kept.page;
    cache.pages.clear();
    cache.version = version;
  }
  const compute = async () => {
    const { page, version } = await versionedSearch(db, query, {});
    return { result: await withSuggestion(db, query, page), version };
  };
  const { result, version } = gate ? await gate.run(compute, searchBusy, signal) : await compute();
  if (cache && version !== null) {
    if (version !== cache.version) {
      cache.pages.clear();
      cache.version = version;
    }
    cache.pages.set(key, { page: result, at: Date.now() });
  }
  return result;
}

/**
 * Computed searches wait their turn for one of SEARCH_CONCURRENCY places (per server process, whichever
 * of the primary and its replicas answers), so that PostgreSQL runs about as many searches as it has
 * cores instead of sharing them among every request at once (decision 020, 10). Kept pages need no place;
 * a search whose client has gone leaves the line (`signal`).
 */
const gates = new WeakMap<Database, Gate>();
export function searchGate(database: Database, concurrency: number): Gate | null {
  if (concurrency === 0) return null;
  let gate = gates.get(database);
  if (!gate) {
    gate = new Gate(concurrency, concurrency * SEARCH_QUEUE_PER_PLACE);
    gates.set(database, gate);
  }
  return gate;
}
/** Searches waiting for a place now (the jobr_search_waiting metric). */
export const searchesWaiting = (database: Database) => gates.get(database)?.waiting ?? 0;

/** Past this many waiting searches per place, a search is refused rather than queued for seconds. */
const SEARCH_QUEUE_PER_PLACE = 25;
const searchBusy = () =>
  new AppError('SERVICE_UNAVAILABLE', {
    message: 'Too many searches are running right now. Try again in a second.',
    headers: { 'retry-after': '1' },
  });

/** "Did you mean": only for a first page of text search that found nothing. */
async function withSuggestion(db: Db, query: JobSearchQuery, page: SearchPage): Promise<SearchPage> {
  if (page.data.length > 0 || !query.q?.trim() || query.cursor) return page;
  const suggestion = await suggestQuery(db, query.q);
  return suggestion ? { ...page, suggestion: { query: suggestion } } : page;
}

/**
 * The catalogue version: every write to `jobs` bumps it in its own transaction (a statement trigger), so
 * what was read at one version is current while the version is.
 */
const catalogueVersionSql = sql`(select version::text from job_catalogue)`;

async function catalogueVersion(db: Db): Promise<string | null> {
  const [row] = rowsOf<{ version: string | null }>(await db.execute(sql`select ${catalogueVersionSql} as version`));
  return row?.version ?? null;
}

/**
 * A kept page is served for at most this long: what depends on the time rather than on the catalogue (a
 * job turning stale, the relevance window's "posted up to now") lags by at most this much.
 */
const PAGE_MAX_AGE_MS = 60_000;
type PageCache = { version: string | null; pages: Lru<{ page: SearchPage; at: number }> };
/** One page cache per database handle (the primary, each replica): each knows only its own versions. */
const pageCaches = new WeakMap<object, PageCache>();
function pageCache(db: Db, capacity: number): PageCache {
  let cache = pageCaches.get(db);
  if (!cache) {
    cache = { version: null, pages: new Lru(capacity) };
    pageCaches.set(db, cache);
  }
  return cache;
}

type FacetRow = {
  job_type: string | null;
  experience_level: string | null;
  remote: boolean | null;
  g: number;
  n: number;
};
type Facets = ReturnType<typeof toFacets> & { approximate: boolean };

const facetColumns = sql`job_type, experience_level, remote, grouping(job_type, experience_level, remote) as g`;
const facetGroups = sql`group by grouping sets ((job_type), (experience_level), (remote))`;
const facetRows = (from: SQL, where: SQL) =>
  sql`select ${facetColumns}, count(*)::int as n from ${from} where ${where} ${facetGroups}`;

/**
 * Facet counts: exact when few jobs match; when many do, estimated from a fixed block sample of about
 * FACET_SAMPLE_ROWS jobs (and marked approximate), because counting every match of a broad query reads
 * a large part of the table. A sample with too few matches to be trusted falls back to counting: from
 * `m` when the page collected the matches there (`collected`), else by reading them again.
 * Either way they run only when the cache has no counts for this filter at the current catalogue version.
 */
function facetSql(where: SQL, collected: boolean, samplePercent: number | null, cachedVersion: string | undefined) {
  const counted = collected ? facetRows(sql`m j`, sql`true`) : facetRows(sql`jobs j`, where);
  const exact = sql`json_build_object('sampled', false, 'rows', (select json_agg(f) from (${counted}) f))`;
  const computed =
    samplePercent === null
      ? exact
      : sql`(select case when coalesce(sum(f.n) filter (where f.g = 3), 0) >= ${FACET_MIN_SAMPLE_HITS}
            then json_build_object('sampled', true, 'rows', json_agg(f)) else ${exact} end
          from (${facetRows(sql`jobs j tablesample system (${samplePercent}) repeatable (7)`, where)}) f)`;
  return cachedVersion === undefined
    ? computed
    : sql`case when ${catalogueVersionSql} = ${cachedVersion} then null else ${computed} end`;
}

function facetsFrom(
  exec: Tx | Db,
  wanted: NonNullable<Prepared['facets']>,
  row: PageRow | undefined,
): Facets | undefined {
  if (!row) return undefined;
  if (!row.facets) return wanted.cached?.facets;
  const { sampled, rows } = row.facets;
  const scale = sampled && wanted.samplePercent ? 100 / wanted.samplePercent : 1;
  const facets = { ...toFacets(rows ?? [], scale), approximate: sampled };
  facetCache(exec).set(wanted.key, { version: row.version, facets, samplePercent: wanted.samplePercent });
  return facets;
}

/**
 * Facet counts by filter, for the catalogue version they were counted at: every write to `jobs` bumps
 * `job_catalogue.version` (a trigger, in the writing transaction), and the page statement reads the
 * version in the same snapshot as the counts, so a cached entry is used only while nothing changed.
 */
type CachedFacets = { version: string; facets: Facets; samplePercent: number | null };

/** At most `capacity` entries; the least recently used one goes first. */
class Lru<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly capacity: number) {}
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      // Most recently used last: the first entry is the one to evict.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }
  set(key: string, entry: V) {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
  clear() {
    this.entries.clear();
  }
}

/**
 * The catalogue's posting-date histogram (pg_stats: about 100 equal shares of the jobs, oldest first),
 * which places the newest slice of a collection (sliceFor). Read by a page statement when this process
 * has none or it is older than HISTOGRAM_MAX_AGE_MS, so a search stays at two round trips; null while the
 * table has no statistics (no slice then). A stale one only misplaces the slice: every page reads the
 * older matches too when the slice holds too few.
 */
const histogramSql = sql`(select histogram_bounds::text::text[] from pg_stats
  where schemaname = current_schema() and tablename = 'jobs' and attname = 'posted_date')`;
const histograms = new WeakMap<object, { bounds: string[] | null; at: number }>();
/**
 * Reads the histogram for `db` before its first search (at server start), so that search does not pay
 * for it; later reads ride in the page statement as above.
 */
export async function readHistogram(db: Db): Promise<void> {
  const [row] = rowsOf<{ bounds: string[] | null }>(await db.execute(sql`select ${histogramSql} as bounds`));
  keepHistogram(db, row?.bounds ?? null);
}
const keepHistogram = (exec: Tx | Db, bounds: string[] | null) => histograms.set(exec, { bounds, at: Date.now() });
/** The histogram this process keeps for `exec`; undefined when it has none or it is too old (read it). */
function keptHistogram(exec: Tx | Db): string[] | null | undefined {
  const kept = histograms.get(exec);
  return kept && Date.now() - kept.at < HISTOGRAM_MAX_AGE_MS ? kept.bounds : undefined;
}

/** One cache per database handle: two databases in one process never share counts. */
const facetCaches = new WeakMap<object, Lru<CachedFacets>>();
function facetCache(exec: Tx | Db): Lru<CachedFacets> {
  let cache = facetCaches.get(exec);
  if (!cache) {
    cache = new Lru<CachedFacets>(FACET_CACHE_ENTRIES);
    facetCaches.set(exec, cache);
  }
  return cache;
}

const dialect = new PgDialect();
/** The filter exactly as the database sees it: its SQL text and parameters. */
function facetKey(where: SQL[]): string {
  const { sql: text, params } = dialect.sqlToQuery(and(where));
  return `${text}\u0000${JSON.stringify(params)}`;
}

function toFacets(rows: FacetRow[], scale: number) {
  const facets = {
    total: 0,
    jobType: {} as Record<string, number>,
    experienceLevel: {} as Record<string, number>,
    remote: { true: 0, false: 0 },
  };
  for (const r of rows) {
    const n = Math.round(r.n * scale);
    // grouping() bits, left to right: job_type 4, experience_level 2, remote 1; 0 marks the grouped column.
    if (r.g === 0b011) {
      facets.jobType[r.job_type ?? 'none'] = n;
      facets.total += n;
    } else if (r.g === 0b101) facets.experienceLevel[r.experience_level ?? 'none'] = n;
    else if (r.g === 0b110) facets.remote[r.remote ? 'true' : 'false'] = n;
  }
  return facets;
}

function toHit(r: Hit, q?: string) {
  return {
    id: r.id,
    title: r.title as string,
    company: r.company as string,
    location: r.location as string | null,
    remote: r.remote as boolean,
    salaryMin: r.salary_min as number | null,
    salaryMax: r.salary_max as number | null,
    salaryCurrency: r.salary_currency as string,
    salaryPeriod: r.salary_period as string,
    salaryYearlyMin: r.salary_yearly_min as number | null,
    salaryYearlyMax: r.salary_yearly_max as number | null,
    experienceLevel: r.experience_level as string | null,
    jobType: r.job_type as string,
    requirements: r.requirements as string[],
    skills: r.skills as string[],
    categoryId: r.category_id as string | null,
    source: r.source as string,
    sourceUrl: r.source_url as string | null,
    postedDate: new Date(r.posted_date as string),
    lastSeenAt: new Date(r.last_seen_at as string),
    stale: r.stale as boolean,
    snippet: renderSnippet(r.snippet, q),
  };
}
