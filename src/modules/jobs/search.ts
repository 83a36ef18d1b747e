/**
 * GET /api/v1/jobs: full-text search with filters, three sort orders, keyset pagination and facets.
 *
 * Text: `websearch_to_tsquery` over the stored, weighted `search_vector` (GIN-indexed), after
 * `search_text()` has rewritten symbol-named skills (C#, C++, .NET, Node.js) the same way as in the
 * documents. Relevance blends the text rank with freshness as an absolute function of posted_date, so
 * a row's sort key never changes between two page requests and keyset pagination stays exact.
 */
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, rowsOf, type Tx } from '../../db/client.ts';
import { type DbActor, withContext } from '../../db/context.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { AppError } from '../../lib/errors.ts';
import { headlineOptions, renderSnippet } from '../../lib/snippet.ts';
import { normalizeSkills } from '../skills/skills.ts';
import type { JobSearchQuery } from './jobs.schemas.ts';
import { staleSql } from './jobs.service.ts';
import { locationMatchers } from './location.ts';

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
/** Relevance ranks at most this many of the newest matches (see pageKeys). */
export const RELEVANCE_WINDOW = 1000;
/** Facets are counted exactly when the planner expects at most this many matches, else sampled. */
export const FACET_EXACT_LIMIT = 5000;
export const FACET_SAMPLE_ROWS = 20_000;
/** Fewer matching rows than this in the sample make too rough an estimate: count instead. */
const FACET_MIN_SAMPLE_HITS = 100;
const SNIPPET_WORDS = 'MaxWords=35, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "';

type Sort = 'relevance' | 'newest' | 'salary';

const cursorSchema = z.object({
  s: z.enum(['relevance', 'newest', 'salary']),
  k: z.string().max(100),
  id: z.uuid(),
  /** Relevance only: the first page's time, which fixes the ranked window. */
  t: z.iso.datetime().optional(),
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

export function filters(query: JobSearchQuery, tsquery: string | null): SQL[] {
  const where: SQL[] = [];
  if (tsquery) where.push(sql`j.search_vector @@ ${tsquery}::tsquery`);
  if (query.location) {
    // "New York" also finds "Brooklyn, NY"; "CA" finds "California" (src/modules/jobs/location.ts).
    const { contains, stateCodes } = locationMatchers(query.location);
    const options = [
      ...contains.map((c) => sql`lower(j.location) like ${containsPattern(c)}`),
      ...stateCodes.map((code) => sql`lower(j.location) ~ ${`, ${code}\\M`}`),
    ];
    where.push(sql`(${sql.join(options, sql` or `)})`);
  }
  if (query.remote !== undefined) where.push(sql`j.remote = ${query.remote}`);
  if (query.currency && (query.salaryMin !== undefined || query.salaryMax !== undefined || query.sort === 'salary')) {
    where.push(sql`j.salary_currency = ${query.currency}`);
  }
  // Ranges overlap: the job's range reaches the wanted minimum and starts below the wanted maximum.
  if (query.salaryMin !== undefined) {
    where.push(sql`coalesce(j.salary_yearly_max, j.salary_yearly_min) >= ${query.salaryMin}`);
  }
  if (query.salaryMax !== undefined) {
    where.push(sql`coalesce(j.salary_yearly_min, j.salary_yearly_max) <= ${query.salaryMax}`);
  }
  if (query.experienceLevel) where.push(sql`j.experience_level in ${query.experienceLevel}`);
  if (query.jobType) where.push(sql`j.job_type in ${query.jobType}`);
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
  if (query.postedSince) where.push(sql`j.posted_date >= ${query.postedSince.toISOString()}::timestamptz`);
  return where;
}

function relevanceExpr(tsquery: string | null, ranking: Ranking): SQL {
  const freshness = sql`extract(epoch from j.posted_date)::float8 / ${FRESHNESS_SECONDS[ranking]}`;
  if (ranking === 'previous') return sql`(ts_rank(j.search_vector, ${tsquery}::tsquery, 32)::float8 + ${freshness})`;
  return sql`(ts_rank('{0.02,0.1,0.3,1}'::float4[], j.search_vector, ${tsquery}::tsquery, 32)::float8
    + 0.5 * ts_rank('{0,0,0,1}'::float4[], j.search_vector, ${tsquery}::tsquery, 32)::float8 + ${freshness})`;
}

function sortKey(sort: Sort, tsquery: string | null, ranking: Ranking = 'current'): { expr: SQL; cast: SQL } {
  switch (sort) {
    case 'relevance':
      return { expr: relevanceExpr(tsquery, ranking), cast: sql`float8` };
    case 'salary':
      // Matches idx_jobs_salary_sort, so a salary-sorted page is read in index order.
      return { expr: sql`coalesce(j.salary_yearly_max, j.salary_yearly_min, -1)`, cast: sql`integer` };
    case 'newest':
      return { expr: sql`j.posted_date`, cast: sql`timestamptz` };
  }
}

const and = (conditions: SQL[]) => (conditions.length > 0 ? sql.join(conditions, sql` and `) : sql`true`);

/** The user's text as a tsquery, or null when nothing in it is searchable. */
export async function toTsquery(exec: Tx | Db, q: string | undefined): Promise<string | null> {
  if (!q?.trim()) return null;
  const [row] = rowsOf<{ q: string }>(
    await exec.execute(sql`select websearch_to_tsquery('english', search_text(${q}))::text as q`),
  );
  // Only stop words or punctuation: nothing to search for, so no text filter at all.
  return row?.q ? row.q : null;
}

/** The ids and sort keys of one page (plus one row, to know whether another page follows). */
function pageKeys(
  sort: Sort,
  tsquery: string | null,
  where: SQL[],
  cursor: Cursor | null,
  asOf: string,
  limit: number,
  ranking: Ranking,
) {
  const { expr, cast } = sortKey(sort, tsquery, ranking);
  const keyset = cursor ? [sql`(${expr}, j.id) < (${cursor.k}::${cast}, ${cursor.id}::uuid)`] : [];
  // Ranking every match of a broad query would read hundreds of thousands of rows: relevance ranks
  // the newest RELEVANCE_WINDOW matches posted up to the first page's time (so later pages see the
  // same window while new jobs arrive). Newest and salary read their index in order instead.
  const source =
    sort === 'relevance'
      ? sql`(select j.id, j.search_vector, j.posted_date from jobs j
          where ${and([...where, sql`j.posted_date <= ${asOf}::timestamptz`])}
          order by j.posted_date desc nulls last, j.id desc nulls last
          limit ${RELEVANCE_WINDOW}) j`
      : sql`jobs j`;
  const conditions = sort === 'relevance' ? keyset : [...where, ...keyset];
  return sql`select j.id, ${expr} as key, (${expr})::text as sort_key
    from ${source}
    where ${and(conditions)}
    order by ${expr} desc nulls last, j.id desc nulls last
    limit ${limit + 1}`;
}

/** The statement that reads one page of results: columns and snippets for the page's rows alone. */
export function pageStatement(query: JobSearchQuery, tsquery: string | null, ranking: Ranking = 'current') {
  const requested: Sort = query.sort ?? (tsquery ? 'relevance' : 'newest');
  const sort: Sort = requested === 'relevance' && !tsquery ? 'newest' : requested;
  const cursor = query.cursor ? decodeCursor(query.cursor, cursorSchema) : null;
  if (cursor && cursor.s !== sort) throw new AppError('INVALID_CURSOR');
  const asOf = cursor?.t ?? new Date().toISOString();
  const where = filters(query, tsquery);
  const snippet = tsquery
    ? sql`ts_headline('english', j.description, ${tsquery}::tsquery, ${headlineOptions(SNIPPET_WORDS)})`
    : sql`left(j.description, 240)`;
  const statement = sql`select j.id, j.title, j.company, j.location, j.remote, j.salary_min, j.salary_max,
      j.salary_currency, j.salary_period, j.salary_yearly_min, j.salary_yearly_max, j.experience_level,
      j.job_type, j.requirements, j.skills, j.category_id, j.source, j.source_url, j.posted_date,
      j.last_seen_at, ${staleSql(sql`j.source`, sql`j.last_seen_at`)} as stale, p.sort_key, ${snippet} as snippet
    from (${pageKeys(sort, tsquery, where, cursor, asOf, query.limit, ranking)}) p join jobs j on j.id = p.id
    order by p.key desc, p.id desc`;
  return { statement, sort, asOf, where, cursor };
}

/**
 * The search itself, in the request's transaction (the API) or straight on the pool
 * (the benchmark's baseline): tsquery, page, facets.
 */
export async function runSearch(exec: Tx | Db, query: JobSearchQuery, ranking: Ranking = 'current') {
  const tsquery = await toTsquery(exec, query.q);
  const { statement, sort, asOf, where, cursor } = pageStatement(query, tsquery, ranking);
  const rows = rowsOf<Hit>(await exec.execute(statement));
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last
      ? encodeCursor({ s: sort, k: last.sort_key, id: last.id, ...(sort === 'relevance' ? { t: asOf } : {}) })
      : null;
  const facets = !cursor && query.facets ? await facetCounts(exec, and(where)) : undefined;
  return { data: page.map((r) => toHit(r, query.q)), nextCursor, ...(facets ? { facets } : {}) };
}

export async function searchJobs(db: Db, actor: DbActor, query: JobSearchQuery) {
  return withContext(db, actor, (tx) => runSearch(tx, query));
}

type FacetRow = {
  job_type: string | null;
  experience_level: string | null;
  remote: boolean | null;
  g: number;
  n: number;
};

const facetColumns = sql`job_type, experience_level, remote, grouping(job_type, experience_level, remote) as g`;
const facetGroups = sql`group by grouping sets ((job_type), (experience_level), (remote))`;

/** The planner's estimate of how many jobs match: costs one planning pass, reads no rows. */
async function estimatedMatches(exec: Tx | Db, where: SQL): Promise<number> {
  const [row] = rowsOf<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(
    await exec.execute(sql`explain (format json) select 1 from jobs j where ${where}`),
  );
  return row?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? 0;
}

const countFacets = async (exec: Tx | Db, from: SQL, where: SQL) =>
  rowsOf<FacetRow>(
    await exec.execute(sql`select ${facetColumns}, count(*)::int as n from ${from} where ${where} ${facetGroups}`),
  );

/**
 * Facet counts: exact when few jobs match; when many do, estimated from a fixed block sample of about
 * FACET_SAMPLE_ROWS jobs (and marked approximate), because counting every match of a broad query reads
 * a large part of the table on every search. The planner's estimate picks the path; a sample that
 * finds too few matches to be trusted falls back to counting.
 */
async function facetCounts(exec: Tx | Db, where: SQL) {
  if ((await estimatedMatches(exec, where)) > FACET_EXACT_LIMIT) {
    const [size] = rowsOf<{ n: number }>(
      await exec.execute(sql`select greatest(reltuples, 1)::float8 as n from pg_class where oid = 'jobs'::regclass`),
    );
    const percent = Math.min(100, (100 * FACET_SAMPLE_ROWS) / (size?.n ?? 1));
    const sampled = await countFacets(exec, sql`jobs j tablesample system (${percent}) repeatable (7)`, where);
    const estimate = toFacets(sampled, 100 / percent);
    if (percent === 100) return { ...estimate, approximate: false };
    if (estimate.total * (percent / 100) >= FACET_MIN_SAMPLE_HITS) return { ...estimate, approximate: true };
  }
  return { ...toFacets(await countFacets(exec, sql`jobs j`, where), 1), approximate: false };
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
