/**
 * Fit scores for the caller's CVs: one job (GET /jobs/:id/match) or the catalogue ranked for a CV
 * (GET /cvs/:id/matches). Each call is one `ai_match` use of the plan, recorded in the same transaction.
 */

import { eq, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, type Tx } from '../../db/client.ts';
import type { Work } from '../../db/context.ts';
import { cvs, type StoredMatchFacts, userPreferences } from '../../db/schema/index.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { AppError } from '../../lib/errors.ts';
import { withCorrections } from '../cvs/corrections.ts';
import type { JobSearchQuery } from '../jobs/jobs.schemas.ts';
import { filters, RELEVANCE_WINDOW, toTsquery } from '../jobs/search.ts';
import { readableBy } from '../jobs/visibility.ts';
import type { PlanRules } from '../plans/plans.ts';
import { consumeQuota } from '../plans/quota.ts';
import { cvFactsFrom } from './facts.ts';
import { textFactsOf } from './job-facts.ts';
import { type JobFacts, type Level, type Preferences, type PreparedCv, prepareCv, scoreMatch } from './score.ts';

/** The catalogue ranking scores at most this many candidates, chosen in SQL by shared skills. */
export const RANK_CANDIDATES = 120;
/**
 * ...out of at most this many of the newest jobs that pass the filters and share a skill with the CV:
 * search's relevance window. The window's scan is most of a ranking's time (docs/match.md); 3,000 cost
 * three times as much for candidates older than the newest thousand matches.
 */
export const RANK_WINDOW = RELEVANCE_WINDOW;

export async function loadCv(tx: Tx, cvId: string): Promise<PreparedCv> {
  const [row] = await tx
    .select({
      text: cvs.parsedContent,
      profile: cvs.profile,
      profileCorrections: cvs.profileCorrections,
      skills: cvs.skills,
    })
    .from(cvs)
    .where(eq(cvs.id, cvId));
  if (!row) throw new AppError('CV_NOT_FOUND');
  // The effective profile: the seeker's corrections (a headline, a job's title) count as they are shown.
  return prepareCv(cvFactsFrom(row.text, withCorrections(row).profile, row.skills));
}

export async function loadPreferences(tx: Tx, userId: string): Promise<Preferences | null> {
  const [row] = await tx.select().from(userPreferences).where(eq(userPreferences.userId, userId));
  if (!row) return null;
  return {
    locations: row.locations,
    remote: (row.remote ?? undefined) as Preferences['remote'],
    salaryMin: row.salaryMin ?? undefined,
    salaryCurrency: row.salaryCurrency ?? undefined,
    levels: row.levels as Level[],
    jobTypes: row.jobTypes,
  };
}

type JobRow = {
  id: string;
  title: string;
  company: string;
  location: string | null;
  remote: boolean;
  /** Only when match_facts is NULL (not computed yet): ranking reads no description otherwise. */
  description: string | null;
  requirements: string[];
  match_facts: StoredMatchFacts | null;
  experience_level: string | null;
  job_type: string;
  salary_currency: string;
  salary_yearly_min: number | null;
  salary_yearly_max: number | null;
  posted_date: string | Date;
};

const JOB_FIELDS = sql`j.id, j.title, j.company, j.location, j.remote, j.requirements, j.experience_level,
  j.job_type, j.salary_currency, j.salary_yearly_min, j.salary_yearly_max, j.posted_date, j.match_facts,
  case when j.match_facts is null then j.description end as description`;

const factsOf = (r: JobRow): JobFacts => ({
  title: r.title,
  // Read by scoring only through textFacts below, and only when match_facts is NULL.
  description: r.description ?? '',
  requirements: r.requirements,
  experienceLevel: r.experience_level,
  jobType: r.job_type,
  location: r.location,
  remote: r.remote,
  salaryCurrency: r.salary_currency,
  salaryYearlyMin: r.salary_yearly_min,
  salaryYearlyMax: r.salary_yearly_max,
});

/** The stored facts of the job's text, or (not computed yet) the facts of the text itself. */
const textFacts = (r: JobRow) =>
  textFactsOf(r.match_facts, r.description === null ? null : { ...r, description: r.description });

const summaryOf = (r: JobRow) => ({
  id: r.id,
  title: r.title,
  company: r.company,
  location: r.location,
  remote: r.remote,
  experienceLevel: r.experience_level,
  jobType: r.job_type,
  salaryCurrency: r.salary_currency,
  salaryYearlyMin: r.salary_yearly_min,
  salaryYearlyMax: r.salary_yearly_max,
  postedDate: new Date(r.posted_date),
});

export type MatchJobOptions = { plans: PlanRules; userId: string; jobId: string; cvId: string };

/** The fit of one CV (the caller's) for one job, with its parts, evidence and skill gap. */
export async function matchJob({ tx }: Work, options: MatchJobOptions) {
  const cv = await loadCv(tx, options.cvId);
  const [job] = rowsOf<JobRow>(
    await tx.execute(
      sql`select ${JOB_FIELDS} from jobs j where j.id = ${options.jobId} and ${readableBy('j', options.userId)}`,
    ),
  );
  if (!job) throw new AppError('JOB_NOT_FOUND');
  const result = scoreMatch(cv, factsOf(job), await loadPreferences(tx, options.userId), textFacts(job));
  await consumeQuota(tx, options.plans, options.userId, 'ai_match', {
    metadata: { kind: 'job', jobId: job.id, cvId: options.cvId, score: result.score },
  });
  return { jobId: job.id, cvId: options.cvId, job: summaryOf(job), ...result };
}

const rankCursor = z.object({ cv: z.uuid(), o: z.number().int().min(0).max(RANK_CANDIDATES), f: z.string().max(64) });

export type RankFilters = Pick<
  JobSearchQuery,
  'q' | 'location' | 'remote' | 'experienceLevel' | 'jobType' | 'categoryId' | 'postedSince' | 'currency' | 'salaryMin'
>;

const textArray = (values: string[]) =>
  sql`ARRAY[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

export type RankOptions = {
  plans: PlanRules;
  userId: string;
  cvId: string;
  filters: RankFilters;
  limit: number;
  cursor?: string | undefined;
};

/**
 * The catalogue ranked for a CV ("jobs for me"): the search filters narrow the catalogue, the jobs
 * sharing most of the CV's skills (requirements or prose) become candidates, and the fit score orders
 * them. Pages are offsets into that ranking; a cursor is bound to its CV and filters.
 */
export async function rankJobsForCv({ tx }: Work, options: RankOptions) {
  const fingerprint = JSON.stringify(options.filters).length.toString(36) + hashOf(JSON.stringify(options.filters));
  const cursor = options.cursor ? decodeCursor(options.cursor, rankCursor) : null;
  if (cursor && (cursor.cv !== options.cvId || cursor.f !== fingerprint)) throw new AppError('INVALID_CURSOR');
  const offset = cursor?.o ?? 0;
  const cv = await loadCv(tx, options.cvId);
  const prefs = await loadPreferences(tx, options.userId);
  const tsquery = await toTsquery(tx, options.filters.q);
  const where: SQL[] = filters(
    { ...options.filters, requirementsMode: 'all', limit: options.limit, facets: false } as JobSearchQuery,
    tsquery,
  );
  // The CV's most mentioned skills pick the candidates; a CV with no known skill ranks the newest jobs.
  const core = [...cv.mentions.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 25)
    .map(([s]) => s);
  const overlap =
    core.length > 0 ? sql`(select count(*) from unnest(win.sk) s where s = any(${textArray(core)}))` : sql`0`;
  if (core.length > 0) where.push(sql`(j.skills && ${textArray(core)} or j.text_skills && ${textArray(core)})`);
  // Like search's relevance window: the newest RANK_WINDOW matching jobs are considered, so the work is
  // bounded however broad the filters; of those, the RANK_CANDIDATES sharing most skills are scored.
  // Narrow rows in posted order (NULLS LAST matches idx_jobs_posted_date_id, so the scan stops early);
  // the candidates' rows are read with their stored match facts, without their descriptions.
  const rows = rowsOf<JobRow>(
    await tx.execute(sql`with win as (
        select j.id, j.posted_date, j.skills || j.text_skills as sk from jobs j
        where ${where.length > 0 ? sql.join(where, sql` and `) : sql`true`}
        order by j.posted_date desc nulls last, j.id desc nulls last limit ${RANK_WINDOW}
      ), top as (
        select win.id from win order by ${overlap} desc, win.posted_date desc, win.id desc limit ${RANK_CANDIDATES}
      )
      select ${JOB_FIELDS} from jobs j join top on top.id = j.id`),
  );
  const ranked = rows
    .map((r) => ({ row: r, result: scoreMatch(cv, factsOf(r), prefs, textFacts(r)) }))
    .sort((a, b) => b.result.score - a.result.score || a.row.id.localeCompare(b.row.id));
  const page = ranked.slice(offset, offset + options.limit);
  const next = offset + page.length;
  await consumeQuota(tx, options.plans, options.userId, 'ai_match', {
    metadata: { kind: 'ranking', cvId: options.cvId, offset, returned: page.length },
  });
  return {
    data: page.map(({ row, result }) => ({
      job: summaryOf(row),
      score: result.score,
      band: result.band,
      parts: result.parts,
      covered: result.covered.map((c) => c.name),
      missing: result.missing.slice(0, 5).map((m) => m.name),
    })),
    nextCursor: next < ranked.length ? encodeCursor({ cv: options.cvId, o: next, f: fingerprint }) : null,
  };
}

function hashOf(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}
