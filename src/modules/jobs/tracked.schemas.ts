/** Request and response schemas for /api/v1/me/jobs: jobs a seeker found elsewhere and tracks (issue 15). */
import { z } from 'zod';
import { EXPERIENCE_LEVELS, JOB_TYPES, SALARY_CURRENCIES, SALARY_PERIODS } from '../../db/schema/index.ts';
import { userText } from '../../http/schemas.ts';
import { job, salaryIssues } from './jobs.schemas.ts';
import { MAX_SALARY } from './salary.ts';

const pageUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .meta({ description: 'Where the job is posted.' });
const salaryAmount = z.number().int().min(0).max(MAX_SALARY);

/** The short form: what a seeker can copy from any job page. */
const formFields = {
  title: userText(255),
  company: userText(255),
  location: userText(255).nullable().optional(),
  url: pageUrl.nullable().optional(),
  description: userText(100_000).optional().meta({ description: 'Default empty.' }),
  remote: z.boolean().optional(),
  jobType: z.enum(JOB_TYPES).optional().meta({ description: 'Default full-time.' }),
  experienceLevel: z.enum(EXPERIENCE_LEVELS).nullable().optional(),
  salaryMin: salaryAmount.nullable().optional(),
  salaryMax: salaryAmount.nullable().optional(),
  salaryCurrency: z.enum(SALARY_CURRENCIES).optional().meta({ description: 'Default USD.' }),
  salaryPeriod: z.enum(SALARY_PERIODS).optional().meta({ description: 'Default yearly.' }),
};

const salaryRules = (job: Parameters<typeof salaryIssues>[0], ctx: z.RefinementCtx) => {
  for (const issue of salaryIssues(job)) ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
};

export const trackJobForm = z.object(formFields).strict().superRefine(salaryRules);
export type TrackJobForm = z.infer<typeof trackJobForm>;

export const trackJobBody = z
  .union([
    z
      .object({ url: pageUrl })
      .strict()
      .meta({ description: 'Read the job from its page (schema.org JobPosting JSON-LD).' }),
    trackJobForm.meta({ description: 'The short form.' }),
  ])
  .meta({ id: 'TrackJobRequest' });
export type TrackJob = z.infer<typeof trackJobBody>;

export const updateTrackedJobBody = z
  .object(formFields)
  .partial()
  .strict()
  .refine((o) => Object.keys(o).length > 0, 'Send at least one field to change.')
  .meta({ id: 'UpdateTrackedJobRequest' });
export type UpdateTrackedJob = z.infer<typeof updateTrackedJobBody>;

export const trackedJobPage = z
  .object({ data: z.array(job), nextCursor: z.string().nullable() })
  .meta({ id: 'TrackedJobPage' });
