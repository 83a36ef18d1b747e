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
import { normalizeSkills } from '../skills/skills.ts';
import type { JobSearchQuery } from './jobs.schemas.ts';

/** A job posted this many seconds later gains +1 in relevance (ts_rank with normalisation 32 lies in [0, 1)). */
const FRESHNESS_SECONDS = 365 * 86_400;
const SNIPPET_WORDS = 'MaxWords=35, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "';
const MARK_START = '\u0001';
const MARK_END = '\u0002';

type Sort = 'relevance' | 'newest' | 'salary';

const cursorSchema = z.object({ s: z.enum(['relevance', 'newest', 'salary']), k: z.string().max(100), id: z.uuid() });

type Hit = Record<string, unknown> & { id: string; sort_key: string; snippet: string };

const escapeHtml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** HTML-escapes the snippet, then turns the sentinels ts_headline put around matches into <mark>. */
export function renderSnippet(raw: string): string {
  return escapeHtml(raw).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
}

const textArray = (values: string[]) =>
  sql`ARRAY[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

/** LIKE pattern for "contains", with the user's own % and _ taken literally. */
const containsPattern = (s: string) => `%${s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function filters(query: JobSearchQuery, tsquery: string | null): SQL[] {
  const where: SQL[] = [];
  if (tsquery) where.push(sql`j.search_vector @@ ${tsquery}::tsquery`);
  if (query.location) where.push(sql`lower(j.location) like ${containsPattern(query.location)}`);
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

function sortKey(sort: Sort, tsquery: string | null): { expr: SQL; cast: SQL } {
  switch (sort) {
    case 'relevance':
      return {
        expr: sql`(ts_rank(j.search_vector, ${tsquery}::tsquery, 32)::float8 + extract(epoch from j.posted_date)::float8 / ${FRESHNESS_SECONDS})`,
        cast: sql`float8`,
      };
    case 'salary':
      return { expr: sql`coalesce(j.salary_yearly_max, j.salary_yearly_min, -1)`, cast: sql`integer` };
    case 'newest':
      return { expr: sql`j.posted_date`, cast: sql`timestamptz` };
  }
}

const and = (conditions: SQL[]) => (conditions.length > 0 ? sql.join(conditions, sql` and `) : sql`true`);

async function toTsquery(tx: Tx, q: string | undefined): Promise<string | null> {
  if (!q?.trim()) return null;
  const [row] = rowsOf<{ q: string }>(
    await tx.execute(sql`select websearch_to_tsquery('english', search_text(${q}))::text as q`),
  );
  // Only stop words or punctuation: nothing to search for, so no text filter at all.
  return row?.q ? row.q : null;
}

async function facetCounts(tx: Tx, where: SQL) {
  const rows = rowsOf<{
    job_type: string | null;
    experience_level: string | null;
    remote: boolean | null;
    g: number;
    n: number;
  }>(
    await tx.execute(sql`select job_type, experience_level, remote,
        grouping(job_type, experience_level, remote) as g, count(*)::int as n
      from jobs j where ${where}
      group by grouping sets ((job_type), (experience_level), (remote))`),
  );
  const facets = {
    total: 0,
    jobType: {} as Record<string, number>,
    experienceLevel: {} as Record<string, number>,
    remote: { true: 0, false: 0 },
  };
  for (const r of rows) {
    // grouping() bits, left to right: job_type 4, experience_level 2, remote 1; 0 marks the grouped column.
    if (r.g === 0b011) {
      facets.jobType[r.job_type ?? 'none'] = r.n;
      facets.total += r.n;
    } else if (r.g === 0b101) facets.experienceLevel[r.experience_level ?? 'none'] = r.n;
    else if (r.g === 0b110) facets.remote[r.remote ? 'true' : 'false'] = r.n;
  }
  return facets;
}

export async function searchJobs(db: Db, actor: DbActor, query: JobSearchQuery) {
  return withContext(db, actor, async (tx) => {
    const tsquery = await toTsquery(tx, query.q);
    const requested: Sort = query.sort ?? (tsquery ? 'relevance' : 'newest');
    const sort: Sort = requested === 'relevance' && !tsquery ? 'newest' : requested;
    const where = filters(query, tsquery);
    const { expr, cast } = sortKey(sort, tsquery);

    const cursor = query.cursor ? decodeCursor(query.cursor, cursorSchema) : null;
    if (cursor && cursor.s !== sort) throw new AppError('INVALID_CURSOR');
    const keyset = cursor ? [sql`(${expr}, j.id) < (${cursor.k}::${cast}, ${cursor.id}::uuid)`] : [];

    const snippet = tsquery
      ? sql`ts_headline('english', j.description, ${tsquery}::tsquery, ${`StartSel=${MARK_START}, StopSel=${MARK_END}, ${SNIPPET_WORDS}`})`
      : sql`left(j.description, 240)`;
    // The inner query sorts only ids and keys; the page's columns and snippets are read for its rows alone.
    const rows = rowsOf<Hit>(
      await tx.execute(sql`select j.id, j.title, j.company, j.location, j.remote, j.salary_min, j.salary_max,
          j.salary_currency, j.salary_period, j.salary_yearly_min, j.salary_yearly_max, j.experience_level,
          j.job_type, j.requirements, j.skills, j.category_id, j.source, j.source_url, j.posted_date,
          j.last_seen_at, p.sort_key, ${snippet} as snippet
        from (
          select j.id, ${expr} as key, (${expr})::text as sort_key
          from jobs j
          where ${and([...where, ...keyset])}
          order by ${expr} desc, j.id desc
          limit ${query.limit + 1}
        ) p join jobs j on j.id = p.id
        order by p.key desc, p.id desc`),
    );

    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > query.limit && last ? encodeCursor({ s: sort, k: last.sort_key, id: last.id }) : null;
    const facets = !cursor && query.facets ? await facetCounts(tx, and(where)) : undefined;
    return { data: page.map(toHit), nextCursor, ...(facets ? { facets } : {}) };
  });
}

function toHit(r: Hit) {
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
    snippet: renderSnippet(r.snippet),
  };
}
