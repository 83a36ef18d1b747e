/** Request and response schemas for /api/v1/jobs and /api/v1/bookmarks (also the OpenAPI components). */
import { z } from 'zod';
import { EXPERIENCE_LEVELS, JOB_TYPES, SALARY_CURRENCIES, SALARY_PERIODS } from '../../db/schema/index.ts';
import { commaList, pageParams, userText } from '../../http/schemas.ts';
import { MAX_SALARY, type SalaryCurrency, type SalaryPeriod, yearlySalary } from './salary.ts';

/** A job source's name ("manual", "acme-ats", a host name): it keys de-duplication with the external id. */
export const sourceName = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'Lower-case letters, digits, dot, dash or underscore.');
const salaryAmount = z.number().int().min(0).max(MAX_SALARY);

const jobFields = {
  title: userText(255),
  company: userText(255),
  location: userText(255).nullable().optional(),
  remote: z.boolean().optional(),
  salaryMin: salaryAmount.nullable().optional(),
  salaryMax: salaryAmount.nullable().optional(),
  salaryCurrency: z.enum(SALARY_CURRENCIES).optional().meta({ description: 'Default USD.' }),
  salaryPeriod: z
    .enum(SALARY_PERIODS)
    .optional()
    .meta({ description: 'What salaryMin/salaryMax are per. Default yearly.' }),
  experienceLevel: z.enum(EXPERIENCE_LEVELS).nullable().optional(),
  jobType: z.enum(JOB_TYPES).optional().meta({ description: 'Default full-time.' }),
  description: userText(100_000),
  requirements: z.array(userText(100)).max(100).optional(),
  categoryId: z.uuid().nullable().optional(),
  source: sourceName.optional().meta({ description: 'Where the job came from. Default manual.' }),
  externalId: userText(255).nullable().optional().meta({ description: 'The id at the source; unique per source.' }),
  sourceUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullable()
    .optional(),
  postedDate: z.coerce
    .date()
    // A posting dated ahead would sit at the top of the listing forever (issue 11, item 13).
    .refine((d) => d.getTime() <= Date.now() + 86_400_000, 'Must not be more than a day in the future.')
    .optional(),
};

/** Cross-field rules, applied to a create and to a patch merged onto the stored job. */
export function salaryIssues(job: {
  salaryMin?: number | null | undefined;
  salaryMax?: number | null | undefined;
  salaryPeriod?: SalaryPeriod | undefined;
  salaryCurrency?: SalaryCurrency | undefined;
}): Array<{ field: 'salaryMin' | 'salaryMax'; message: string }> {
  const issues: Array<{ field: 'salaryMin' | 'salaryMax'; message: string }> = [];
  const { salaryMin, salaryMax } = job;
  if (salaryMin != null && salaryMax != null && salaryMax < salaryMin) {
    issues.push({ field: 'salaryMax', message: 'Must be at least salaryMin.' });
  }
  const period = job.salaryPeriod ?? 'yearly';
  for (const [name, amount] of [
    ['salaryMin', salaryMin],
    ['salaryMax', salaryMax],
  ] as const) {
    const yearly = yearlySalary(amount, period, job.salaryCurrency ?? 'USD');
    if (yearly !== null && yearly > MAX_SALARY) {
      issues.push({ field: name, message: `Too large for a ${period} salary.` });
    }
  }
  return issues;
}

const withSalaryRules = <T extends z.ZodType<Parameters<typeof salaryIssues>[0]>>(schema: T) =>
  schema.superRefine((job, ctx) => {
    for (const issue of salaryIssues(job)) {
      ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
    }
  });

export const createJobBody = withSalaryRules(z.object(jobFields).strict()).meta({ id: 'CreateJobRequest' });
export type CreateJob = z.infer<typeof createJobBody>;

export const updateJobBody = z
  .object(jobFields)
  .partial()
  .strict()
  .refine((o) => Object.keys(o).length > 0, 'Send at least one field to change.')
  .meta({ id: 'UpdateJobRequest' });
export type UpdateJob = z.infer<typeof updateJobBody>;

const jobSummaryShape = {
  id: z.uuid(),
  title: z.string(),
  company: z.string(),
  location: z.string().nullable(),
  remote: z.boolean(),
  salaryMin: z.number().int().nullable(),
  salaryMax: z.number().int().nullable(),
  salaryCurrency: z.string(),
  salaryPeriod: z.string(),
  salaryYearlyMin: z.number().int().nullable(),
  salaryYearlyMax: z.number().int().nullable(),
  experienceLevel: z.string().nullable(),
  jobType: z.string(),
  requirements: z.array(z.string()),
  skills: z.array(z.string()).meta({ description: 'Requirements in canonical form (lower-case).' }),
  categoryId: z.uuid().nullable(),
  source: z.string(),
  sourceUrl: z.string().nullable(),
  postedDate: z.date(),
  lastSeenAt: z.date(),
  stale: z.boolean().meta({
    description: 'An imported posting its source has not listed for 30 days (probably filled); never for manual jobs.',
  }),
};

export const job = z
  .object({
    ...jobSummaryShape,
    description: z.string().meta({ description: 'Plain text (what search reads).' }),
    descriptionHtml: z.string().nullable().meta({
      description:
        'An imported HTML description, sanitised to p, br, ul, ol, li, strong, em, h3-h6 and a (http, https, mailto; rel="nofollow noopener"); null for text descriptions.',
    }),
    externalId: z.string().nullable(),
    firstSeenAt: z.date(),
    updatedAt: z.date(),
    tracked: z.boolean().meta({
      description: 'A job you added to track (found elsewhere): private to you and outside the catalogue.',
    }),
  })
  .meta({ id: 'Job' });

export const jobDetail = job
  .extend({
    applicationCount: z.number().int().meta({ description: 'Applications received, withdrawn ones excluded.' }),
    bookmarked: z.boolean().nullable().meta({ description: 'For a signed-in caller; null otherwise.' }),
    applied: z.boolean().nullable().meta({ description: 'For a signed-in caller; null otherwise.' }),
  })
  .meta({ id: 'JobDetail' });

export const jobSearchHit = z
  .object({
    ...jobSummaryShape,
    snippet: z.string().meta({
      description: 'An HTML-escaped extract of the description; matched words are wrapped in <mark></mark>.',
    }),
  })
  .meta({ id: 'JobSearchHit' });

const facetCounts = z.record(z.string(), z.number().int());
export const jobFacets = z
  .object({
    total: z.number().int(),
    jobType: facetCounts,
    experienceLevel: facetCounts.meta({ description: '"none" counts jobs without a level.' }),
    remote: z.object({ true: z.number().int(), false: z.number().int() }),
    approximate: z.boolean().meta({
      description: 'True when many jobs match (about 5,000 or more): the counts are then estimated from a sample.',
    }),
  })
  .meta({ id: 'JobFacets' });

export const jobSearchPage = z
  .object({
    data: z.array(jobSearchHit),
    nextCursor: z.string().nullable(),
    facets: jobFacets.optional().meta({ description: 'On the first page (no cursor) unless facets=false.' }),
    suggestion: z.object({ query: z.string() }).optional().meta({
      description:
        'When a text search finds nothing: the query with its unknown words replaced by similar words from the catalogue ("did you mean").',
    }),
  })
  .meta({ id: 'JobSearchPage' });

const boolParam = z.enum(['true', 'false']).transform((v) => v === 'true');

export const JOB_SORTS = ['relevance', 'newest', 'salary'] as const;

export const jobSearchQuery = z
  .object({
    q: z
      .string()
      .max(500)
      .transform((s) => s.replaceAll('\u0000', ' '))
      .optional()
      .meta({
        description:
          'Web-search syntax: words, "exact phrase", -exclude, or. Skills such as C#, C++, .NET and Node.js are matched as written.',
      }),
    location: userText(255).optional().meta({ description: 'Case-insensitive, partial.' }),
    remote: boolParam.optional(),
    currency: z
      .enum(SALARY_CURRENCIES)
      .optional()
      .meta({ description: 'Required with salary filters and sort=salary.' }),
    salaryMin: z.coerce.number().int().min(0).max(MAX_SALARY).optional().meta({
      description: 'Yearly, in `currency`: jobs whose range reaches at least this much.',
    }),
    salaryMax: z.coerce.number().int().min(0).max(MAX_SALARY).optional().meta({
      description: 'Yearly, in `currency`: jobs whose range starts at most this high.',
    }),
    experienceLevel: commaList(z.enum(EXPERIENCE_LEVELS), EXPERIENCE_LEVELS.length).optional(),
    jobType: commaList(z.enum(JOB_TYPES), JOB_TYPES.length).optional(),
    requirements: commaList(z.string().trim().min(1).max(100), 20).optional().meta({
      description: 'Skills, comma-separated; matched in canonical form (JS = JavaScript).',
    }),
    requirementsMode: z.enum(['all', 'any']).default('all'),
    categoryId: z.uuid().optional(),
    postedSince: z.coerce.date().optional().meta({ description: 'ISO 8601 date or date-time.' }),
    sort: z.enum(JOB_SORTS).optional().meta({ description: 'Default: relevance with q, otherwise newest.' }),
    ...pageParams,
    facets: boolParam.default(true),
  })
  .superRefine((query, ctx) => {
    const needsCurrency = query.salaryMin !== undefined || query.salaryMax !== undefined || query.sort === 'salary';
    if (needsCurrency && !query.currency) {
      ctx.addIssue({
        code: 'custom',
        path: ['currency'],
        message: 'Give the currency of the salary filter or sort (USD, INR, EUR or GBP).',
      });
    }
    if (query.salaryMin !== undefined && query.salaryMax !== undefined && query.salaryMax < query.salaryMin) {
      ctx.addIssue({ code: 'custom', path: ['salaryMax'], message: 'Must be at least salaryMin.' });
    }
    if (query.sort === 'relevance' && !query.q?.trim()) {
      ctx.addIssue({ code: 'custom', path: ['sort'], message: 'sort=relevance needs q.' });
    }
  });
export type JobSearchQuery = z.infer<typeof jobSearchQuery>;

export const bookmark = z
  .object({ jobId: z.uuid(), createdAt: z.date(), job: jobSearchHit.omit({ snippet: true }) })
  .meta({ id: 'Bookmark' });
export const bookmarkPage = z
  .object({ data: z.array(bookmark), nextCursor: z.string().nullable() })
  .meta({ id: 'BookmarkPage' });
