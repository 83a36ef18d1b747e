/** Fit scores (/jobs/:id/match, /cvs/:id/matches), the seeker's preferences and plan usage (/me/...). */

import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import {
  EXPERIENCE_LEVELS,
  JOB_TYPES,
  REMOTE_PREFERENCES,
  SALARY_CURRENCIES,
  USAGE_ACTIONS,
  userPreferences,
} from '../../db/schema/index.ts';
import { requireSession, requireUser } from '../../http/auth.ts';
import { commaList, errors, pageParams, userText } from '../../http/schemas.ts';
import { MAX_SALARY } from '../jobs/salary.ts';
import { PLAN_NAMES, USAGE_PERIODS } from '../plans/plans.ts';
import { usageSummary } from '../plans/quota.ts';
import { matchJob, rankJobsForCv } from './match.service.ts';
import { WEIGHTS } from './score.ts';

const tags = ['matching'];
const idParams = z.object({ id: z.uuid() });
const boolParam = z.enum(['true', 'false']).transform((v) => v === 'true');

const band = z.enum(['excellent', 'good', 'fair', 'poor']).meta({
  description: 'excellent >= 75, good >= 55, fair >= 35, poor below (see docs/match.md).',
});
const importance = z.enum(['title', 'required', 'preferred', 'mentioned']);
const part = z
  .object({
    name: z.enum(Object.keys(WEIGHTS) as [keyof typeof WEIGHTS, ...(keyof typeof WEIGHTS)[]]),
    points: z.number(),
    max: z.number().meta({ description: 'Points this part can give; parts that do not apply pass theirs on.' }),
    detail: z.string(),
  })
  .meta({ id: 'MatchPart' });
const matchJobSummary = z
  .object({
    id: z.uuid(),
    title: z.string(),
    company: z.string(),
    location: z.string().nullable(),
    remote: z.boolean(),
    experienceLevel: z.string().nullable(),
    jobType: z.string(),
    salaryCurrency: z.string(),
    salaryYearlyMin: z.number().int().nullable(),
    salaryYearlyMax: z.number().int().nullable(),
    postedDate: z.date(),
  })
  .meta({ id: 'MatchJobSummary' });

const matchResult = z
  .object({
    jobId: z.uuid(),
    cvId: z.uuid(),
    job: matchJobSummary,
    score: z.number().min(0).max(100).meta({ description: 'The sum of the parts, 0-100.' }),
    band,
    parts: z.array(part),
    covered: z.array(
      z.object({
        skill: z.string(),
        name: z.string(),
        importance,
        evidence: z.string().meta({ description: 'The CV line that shows the skill.' }),
      }),
    ),
    missing: z
      .array(
        z.object({
          skill: z.string(),
          name: z.string(),
          importance,
          learnable: z.boolean().meta({ description: 'The CV has a close relative of this skill.' }),
          relatedTo: z.array(z.string()),
        }),
      )
      .meta({ description: 'The skill gap, most important first.' }),
    reasons: z.array(z.string()),
  })
  .meta({ id: 'MatchResult' });

const rankedPage = z
  .object({
    data: z.array(
      z.object({
        job: matchJobSummary,
        score: z.number(),
        band,
        parts: z.array(part),
        covered: z.array(z.string()),
        missing: z.array(z.string()).meta({ description: 'Up to five missing skills, most important first.' }),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'MatchPage' });

const rankQuery = z
  .object({
    q: z.string().max(500).optional().meta({ description: 'Full-text filter, as GET /jobs takes it.' }),
    location: userText(255).optional(),
    remote: boolParam.optional(),
    experienceLevel: commaList(z.enum(EXPERIENCE_LEVELS), EXPERIENCE_LEVELS.length).optional(),
    jobType: commaList(z.enum(JOB_TYPES), JOB_TYPES.length).optional(),
    categoryId: z.uuid().optional(),
    postedSince: z.coerce.date().optional(),
    currency: z.enum(SALARY_CURRENCIES).optional(),
    salaryMin: z.coerce.number().int().min(0).max(MAX_SALARY).optional(),
    ...pageParams,
  })
  .refine((q) => q.salaryMin === undefined || q.currency !== undefined, {
    path: ['currency'],
    message: 'Give the currency of salaryMin (USD, INR, EUR or GBP).',
  });

const preferencesBody = z
  .object({
    locations: z.array(userText(100)).max(10).default([]),
    remote: z.enum(REMOTE_PREFERENCES).nullable().default(null).meta({
      description: 'only: remote jobs only; preferred: remote or your locations; no: on site.',
    }),
    salaryMin: z.number().int().min(0).max(MAX_SALARY).nullable().default(null).meta({ description: 'Yearly.' }),
    salaryCurrency: z.enum(SALARY_CURRENCIES).nullable().default(null),
    levels: z.array(z.enum(EXPERIENCE_LEVELS)).max(EXPERIENCE_LEVELS.length).default([]),
    jobTypes: z.array(z.enum(JOB_TYPES)).max(JOB_TYPES.length).default([]),
  })
  .strict()
  .refine((p) => p.salaryMin === null || p.salaryCurrency !== null, {
    path: ['salaryCurrency'],
    message: 'Give the currency of salaryMin.',
  });
const preferences = z
  .object({
    locations: z.array(z.string()),
    remote: z.enum(REMOTE_PREFERENCES).nullable(),
    salaryMin: z.number().int().nullable(),
    salaryCurrency: z.enum(SALARY_CURRENCIES).nullable(),
    levels: z.array(z.enum(EXPERIENCE_LEVELS)),
    jobTypes: z.array(z.enum(JOB_TYPES)),
    updatedAt: z.date().nullable(),
  })
  .meta({ id: 'MatchPreferences' });
const NO_PREFERENCES = {
  locations: [],
  remote: null,
  salaryMin: null,
  salaryCurrency: null,
  levels: [],
  jobTypes: [],
  updatedAt: null,
};

const usage = z
  .object({
    plan: z.enum(PLAN_NAMES),
    period: z.enum(USAGE_PERIODS).meta({ description: 'The limits count per UTC day, week or month (PLAN_PERIOD).' }),
    periodStart: z.date(),
    actions: z.array(
      z.object({
        action: z.enum(USAGE_ACTIONS),
        used: z.number().int(),
        limit: z.number().int().nullable().meta({ description: 'null: unlimited.' }),
        resetsAt: z.date(),
      }),
    ),
  })
  .meta({ id: 'Usage' });

export const matchRoutes =
  ({ config }: { database: Database; config: Config }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/jobs/:id/match',
      {
        config: { auth: 'user', scope: 'matches:read' },
        schema: {
          tags,
          summary: 'How well one of your CVs fits a job, and why',
          description:
            'Deterministic and explainable: the parts add up to the score. One `ai_match` of your plan (429 QUOTA_EXCEEDED when spent).',
          params: idParams,
          querystring: z.object({ cvId: z.uuid() }),
          response: { 200: matchResult, ...errors(400, 401, 403, 404, 429) },
        },
      },
      async (request) => {
        const auth = requireUser(request);
        return request.work((w) =>
          matchJob(w, {
            plans: config.plans,
            userId: auth.user.id,
            jobId: request.params.id,
            cvId: request.query.cvId,
          }),
        );
      },
    );

    app.get(
      '/cvs/:id/matches',
      {
        config: { auth: 'user', scope: 'matches:read' },
        schema: {
          tags,
          summary: 'Jobs for me: the catalogue ranked by fit for a CV',
          description:
            'Takes the search filters of GET /jobs. Pass `nextCursor` back as `cursor`. Each page is one `ai_match` of your plan.',
          params: idParams,
          querystring: rankQuery,
          response: { 200: rankedPage, ...errors(400, 401, 403, 404, 429) },
        },
      },
      async (request) => {
        const auth = requireUser(request);
        const { limit, cursor, ...filters } = request.query;
        return request.work((w) =>
          rankJobsForCv(w, {
            plans: config.plans,
            userId: auth.user.id,
            cvId: request.params.id,
            filters,
            limit,
            cursor,
          }),
        );
      },
    );

    app.get(
      '/me/preferences',
      {
        config: { auth: 'user', scope: 'matches:read' },
        schema: {
          tags,
          summary: 'Your job preferences (used by the fit score)',
          response: { 200: preferences, ...errors(401, 403) },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const [row] = await request.work(({ tx }) => tx.select().from(userPreferences).where(eqUser(user.id)));
        return row ? preferencesOut(row) : NO_PREFERENCES;
      },
    );

    app.put(
      '/me/preferences',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'Replace your job preferences',
          body: preferencesBody,
          response: { 200: preferences, ...errors(400, 401, 403) },
        },
      },
      async (request) => {
        const { user } = requireSession(request);
        const values = { ...request.body, updatedAt: new Date() };
        const [row] = await request.work(({ tx }) =>
          tx
            .insert(userPreferences)
            .values({ userId: user.id, ...values })
            .onConflictDoUpdate({ target: userPreferences.userId, set: values })
            .returning(),
        );
        if (!row) throw new Error('preferences not saved');
        return preferencesOut(row);
      },
    );

    app.get(
      '/me/usage',
      {
        config: { auth: 'user', scope: 'profile:read' },
        schema: {
          tags: ['me'],
          summary: "This month's use of each metered action against your plan",
          response: { 200: usage, ...errors(401) },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        return request.work((w) => usageSummary(w.tx, config.plans, user.id, w.now));
      },
    );
  };

const eqUser = (userId: string) => eq(userPreferences.userId, userId);

function preferencesOut(row: typeof userPreferences.$inferSelect) {
  return {
    locations: row.locations,
    remote: row.remote as (typeof REMOTE_PREFERENCES)[number] | null,
    salaryMin: row.salaryMin,
    salaryCurrency: row.salaryCurrency as (typeof SALARY_CURRENCIES)[number] | null,
    levels: row.levels as (typeof EXPERIENCE_LEVELS)[number][],
    jobTypes: row.jobTypes as (typeof JOB_TYPES)[number][],
    updatedAt: row.updatedAt,
  };
}
