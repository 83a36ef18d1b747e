/** /api/v1/me/jobs: jobs a seeker found elsewhere and tracks (issue 15, decision 026). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import { requireUser } from '../../http/auth.ts';
import { errors, noContent, pageParams } from '../../http/schemas.ts';
import { job } from './jobs.schemas.ts';
import { trackedJobPage, trackJobBody, updateTrackedJobBody } from './tracked.schemas.ts';
import {
  deleteTrackedJob,
  findTrackedByUrl,
  formJob,
  getTrackedJob,
  listTrackedJobs,
  MAX_TRACKED_JOBS,
  readJobPage,
  trackJob,
  updateTrackedJob,
} from './tracked.service.ts';

const idParams = z.object({ id: z.uuid() });
/** Adding by address makes the server fetch a page: bounded per client address, like the sign-in routes. */
const ADD_RATE_LIMIT = { max: 60, timeWindow: 60_000 };
const tags = ['tracked jobs'];

export const trackedJobRoutes =
  ({ config }: { config: Config }): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/me/jobs',
      {
        config: { auth: 'user', scope: 'applications:write', rateLimit: ADD_RATE_LIMIT },
        schema: {
          tags,
          summary: 'Track a job you found elsewhere: from its page address, or from the short form',
          description: `With \`{ url }\` only, the page is fetched (private and loopback addresses refused, as for the job import) and its schema.org JobPosting read; a page without one is 422 JOB_POSTING_NOT_FOUND: send the form instead. The job is private to you and never in the catalogue. The same address twice answers 200 with the job already tracked. At most ${MAX_TRACKED_JOBS} tracked jobs (409 TRACKED_JOB_LIMIT); at most ${ADD_RATE_LIMIT.max} additions a minute from one address (429 RATE_LIMITED).`,
          body: trackJobBody,
          response: { 200: job, 201: job, ...errors(400, 401, 403, 409, 422, 429) },
        },
      },
      async (request, reply) => {
        const auth = requireUser(request);
        const body = request.body;
        let input: ReturnType<typeof formJob>;
        if ('title' in body) input = formJob(body);
        else {
          // Tracked already: no second fetch. Otherwise the fetch happens before the unit of work opens.
          const existing = await request.work((w) => findTrackedByUrl(w, auth.user.id, body.url));
          if (existing) return reply.code(200).send(existing);
          input = await readJobPage(body.url, config.fetchAllowedAddresses);
          input.job.sourceUrl = body.url; // the address the seeker gave is the one they will paste again
        }
        const { job: tracked, created } = await request.work((w) => trackJob(w, auth.user.id, input));
        return reply.code(created ? 201 : 200).send(tracked);
      },
    );

    app.get(
      '/me/jobs',
      {
        config: { auth: 'user', scope: 'applications:read' },
        schema: {
          tags,
          summary: 'Your tracked jobs, the latest added first',
          querystring: z.object(pageParams),
          response: { 200: trackedJobPage, ...errors(400, 401, 403) },
        },
      },
      async (request) => {
        const auth = requireUser(request);
        return request.work((w) => listTrackedJobs(w, auth.user.id, request.query));
      },
    );

    app.get(
      '/me/jobs/:id',
      {
        config: { auth: 'user', scope: 'applications:read' },
        schema: {
          tags,
          summary: 'One of your tracked jobs',
          params: idParams,
          response: { 200: job, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const auth = requireUser(request);
        return request.work((w) => getTrackedJob(w, auth.user.id, request.params.id));
      },
    );

    app.patch(
      '/me/jobs/:id',
      {
        config: { auth: 'user', scope: 'applications:write' },
        schema: {
          tags,
          summary: 'Change one of your tracked jobs',
          params: idParams,
          body: updateTrackedJobBody,
          response: { 200: job, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const auth = requireUser(request);
        return request.work((w) => updateTrackedJob(w, auth.user.id, request.params.id, request.body));
      },
    );

    app.delete(
      '/me/jobs/:id',
      {
        config: { auth: 'user', scope: 'applications:write' },
        schema: {
          tags,
          summary: 'Stop tracking a job',
          description: 'Also deletes your applications to it (ON DELETE CASCADE), as deleting any job does.',
          params: idParams,
          response: { 204: noContent, ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const auth = requireUser(request);
        await request.work((w) => deleteTrackedJob(w, auth.user.id, request.params.id));
        return reply.code(204).send(null);
      },
    );
  };
