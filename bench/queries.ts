/**
 * The query set: many distinct searches drawn from a realistic distribution, each with its measured
 * selectivity (matching jobs / catalogue size), sorted into the classes of issue 19's targets.
 *
 * Text: words of real titles by how often they occur (the broad head: "data", "analyst", "senior data"),
 * skill names by how often descriptions mention them ("python", "tableau"), a title word with a skill,
 * and words from the long tail of description sentences (the selective queries users type when they
 * know what they want). Filters are added with the frequencies a job board sees: location, remote,
 * experience, job type, salary floor, skills, recency, sort orders.
 *
 * Classes: `selective` matches < 0.5% of the catalogue (whatever its filters); otherwise `filtered`
 * when it has any filter or a non-default sort, else `broad`.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/client.ts';
import { rowsOf } from '../src/db/client.ts';
import { jobSearchQuery } from '../src/modules/jobs/jobs.schemas.ts';
import { filters, toTsquery } from '../src/modules/jobs/search.ts';
import { rng, type Vocabulary, Weighted } from './catalogue.ts';

export type QueryClass = 'selective' | 'broad' | 'filtered';
export const QUERY_CLASSES: QueryClass[] = ['selective', 'broad', 'filtered'];
export const SELECTIVE_BELOW = 0.005;

export type Params = Record<string, string>;
export type BenchQuery = { params: Params; matches: number; selectivity: number; kind: QueryClass };

const pick = <T>(values: readonly T[], random: () => number): T => values[Math.floor(random() * values.length)] as T;

const words = (s: string) => s.toLowerCase().match(/[a-z][a-z+#.]*[a-z+#]|[a-z]/g) ?? [];
const STOP = new Set(['and', 'the', 'for', 'with', 'our', 'you', 'are', 'will', 'this', 'that', 'your', 'from']);

/** Where query words come from, built once per vocabulary. */
function termSources(v: Vocabulary) {
  // Skills weighted by how often description sentences name them.
  const skillCounts = new Map<string, number>();
  v.sentences.values.forEach((s, i) => {
    for (const k of s.skills) skillCounts.set(k.name, (skillCounts.get(k.name) ?? 0) + v.sentences.share(i));
  });
  const skills = [...skillCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return {
    skills: new Weighted(
      skills.map(([name]) => name),
      skills.map(([, w]) => w),
    ),
  };
}

/** A text query: the mix described above. */
function textQuery(v: Vocabulary, skills: Weighted<string>, random: () => number): string {
  const r = random();
  if (r < 0.45) {
    const w = words(v.realTitles.pick(random)).filter((x) => !STOP.has(x));
    if (w.length === 0) return 'data';
    const start = Math.floor(random() * w.length);
    return w.slice(start, start + (random() < 0.4 ? 2 : 1)).join(' ');
  }
  if (r < 0.7) return skills.pick(random).toLowerCase();
  if (r < 0.85) {
    const w = words(v.realTitles.pick(random)).filter((x) => !STOP.has(x));
    return `${w.at(-1) ?? 'analyst'} ${skills.pick(random).toLowerCase()}`;
  }
  // The long tail: a longer word from any sentence, drawn uniformly (not by the sentences' skew).
  const sentence = pick(v.sentences.values, random).text;
  const long = words(sentence).filter((x) => x.length >= 7 && !x.includes('.'));
  return long.length > 0 ? pick(long, random) : 'statistician';
}

/** A typical yearly salary per currency in the catalogue. */
const floors = { USD: 100_000, EUR: 75_000, GBP: 65_000, INR: 2_000_000 } as const;

const cityOf = (place: string) => (place.split(',')[0] as string).toLowerCase();

/** `count` query parameter sets (duplicates removed), deterministic for a seed. */
export function sampleQueries(v: Vocabulary, count: number, seed: number): Params[] {
  const random = rng(seed * 7919 + 1);
  const { skills } = termSources(v);
  const seen = new Set<string>();
  const out: Params[] = [];
  for (let attempt = 0; out.length < count && attempt < count * 20; attempt++) {
    const p: Params = {};
    if (random() < 0.82) p.q = textQuery(v, skills, random);
    let currency: 'USD' | 'EUR' | 'GBP' | 'INR' = 'USD';
    if (random() < 0.2) {
      const abroad = random() < 0.2 ? v.abroad.pick(random) : null;
      const place = abroad?.name ?? v.usPlaces.pick(random);
      currency = abroad?.currency ?? 'USD';
      // Users type a city, sometimes a US state code.
      p.location = random() < 0.25 && /, [A-Z]{2}$/.test(place) ? place.slice(-2) : cityOf(place);
    } else {
      // Without a place, a fifth of salary searches are in another currency.
      const abroad = random() < 0.2;
      if (abroad) currency = pick(['EUR', 'GBP', 'INR'] as const, random);
    }
    if (random() < 0.1) p.remote = 'true';
    if (random() < 0.15) p.experienceLevel = pick(['senior', 'junior', 'mid', 'executive', 'senior,executive'], random);
    if (random() < 0.07) p.jobType = pick(['contract', 'part-time', 'internship', 'full-time'], random);
    if (random() < 0.1) {
      // A floor in the currency of the place searched: low, typical or high for it.
      p.currency = currency;
      p.salaryMin = String(pick([0.8, 1.2, 1.5], random) * floors[currency]);
    }
    if (random() < 0.05) p.requirements = skills.pick(random).toLowerCase();
    if (random() < 0.1) p.postedSince = pick(['7', '30', '90'], random);
    const sort = random();
    if (sort < 0.1) p.sort = 'newest';
    else if (sort < 0.13) {
      p.sort = 'salary';
      p.currency ??= currency;
    }
    const key = JSON.stringify(p);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/**
 * The URL parameters of a sampled query on a given day: `postedSince` is kept as a day count in the
 * sample (so the set is stable) and turned into a date here.
 */
export function urlParams(p: Params, now = Date.now()): Params {
  if (!p.postedSince) return p;
  const days = Number(p.postedSince);
  return { ...p, postedSince: new Date(now - days * 86_400_000).toISOString().slice(0, 10) };
}

const hasFilter = (p: Params) => Object.keys(p).some((k) => k !== 'q');

export const classify = (p: Params, selectivity: number): QueryClass =>
  selectivity < SELECTIVE_BELOW ? 'selective' : hasFilter(p) ? 'filtered' : 'broad';

/** Below this estimated share, a query's matches are counted exactly (cheap: few rows to visit). */
const EXACT_BELOW = 0.02;
/** The block sample that estimates the share of broad queries, in percent of the table. */
const SAMPLE_PERCENT = 1;

/**
 * The jobs each query matches, with the search's own filters (cached in bench_selectivity). Counting a
 * broad query exactly visits most of the table (tens of seconds each at 1M rows on a cold cache), so a
 * fixed 1% block sample estimates every query first, and those estimated under 2% are counted exactly:
 * the selective class and its 0.5% boundary always rest on exact counts.
 */
export async function measureSelectivity(db: Db, sampled: Params[]): Promise<BenchQuery[]> {
  await db.execute(sql`create table if not exists bench_selectivity (key text primary key, matches integer not null)`);
  const [{ total } = { total: 0 }] = rowsOf<{ total: number }>(
    await db.execute(sql`select greatest(reltuples, 0)::float8 as total from pg_class where oid = 'jobs'::regclass`),
  );
  const out: BenchQuery[] = [];
  for (const p of sampled) {
    const key = JSON.stringify(p);
    let [row] = rowsOf<{ matches: number }>(
      await db.execute(sql`select matches from bench_selectivity where key = ${key}`),
    );
    if (!row) {
      const query = jobSearchQuery.parse(urlParams(p));
      const where = filters(query, await toTsquery(db, query.q));
      const condition = where.length > 0 ? sql.join(where, sql` and `) : sql`true`;
      const [sample] = rowsOf<{ n: number }>(
        await db.execute(
          sql`select count(*)::int as n from jobs j tablesample system (${SAMPLE_PERCENT}) repeatable (1) where ${condition}`,
        ),
      );
      const estimate = ((sample?.n ?? 0) * 100) / SAMPLE_PERCENT;
      if (estimate < EXACT_BELOW * total) {
        [row] = rowsOf<{ matches: number }>(
          await db.execute(sql`select count(*)::int as matches from jobs j where ${condition}`),
        );
      } else row = { matches: Math.round(estimate) };
      await db.execute(sql`insert into bench_selectivity values (${key}, ${row?.matches ?? 0}) on conflict do nothing`);
    }
    const matches = row?.matches ?? 0;
    const selectivity = total > 0 ? Math.min(1, matches / total) : 0;
    out.push({ params: p, matches, selectivity, kind: classify(p, selectivity) });
  }
  return out;
}

/** Up to `perClass` queries of each class, in sampling order (which follows the distribution). */
export function perClass(queries: BenchQuery[], perClassCount: number): BenchQuery[] {
  // A search that finds nothing is trivially fast and says nothing about the plans: left out.
  return QUERY_CLASSES.flatMap((kind) =>
    queries.filter((q) => q.kind === kind && q.matches > 0).slice(0, perClassCount),
  );
}
