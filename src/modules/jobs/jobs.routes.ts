/** /api/v1/jobs (catalogue and search) and /api/v1/bookmarks. */

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { catalogueRead } from '../../db/replicas.ts';
import { requireUser } from '../../http/auth.ts';
import { clientGone } from '../../http/client-gone.ts';
import { errors, noContent, pageParams } from '../../http/schemas.ts';
import { catalogueReader, catalogueWriter } from './access.ts';
import { addBookmark, listBookmarks, removeBookmark } from './bookmarks.service.ts';
import {
  bookmarkPage,
  createJobBody,
  job,
  jobDetail,
  jobSearchPage,
  jobSearchQuery,
  updateJobBody,
} from './jobs.schemas.ts';
import { createJob, deleteJob, getJob, getPublicJobJson, updateJob } from './jobs.service.ts';
import { searchGate, searchJobs } from './search.ts';

const idParams = z.object({ id: z.uuid() });
const tags = ['jobs'];

export const jobRoutes =
  ({ database, config }: { database: Database; config: Config }): FastifyPluginAsyncZod =>
  async (app) => {
    const search = { cachePages: config.searchCachePages, gate: searchGate(database, config.searchConcurrency) };
    app.get(
      '/jobs',
      {
        config: { auth: 'public', scope: 'jobs:read' },
        schema: {
          tags,
          summary: 'Search jobs',
          description:
            'Full-text search with filters, sorted by relevance (with q), newest or salary. Pass `nextCursor` back as `cursor` for the next page.',
          querystring: jobSearchQuery,
          response: { 200: jobSearchPage, ...errors(400, 401, 403, 503) },
        },
      },
      // Search tolerates a little lag: a read replica answers when one is fit (src/db/replicas.ts).
      async (request, reply) => {
        catalogueReader(request);
        const signal = clientGone(reply);
        return catalogueRead(database, (db) => searchJobs(db, request.query, { ...search, signal }));
      },
    );

    app.get(
      '/jobs/:id',
      {
        config: { auth: 'public', scope: 'jobs:read' },
        schema: {
          tags,
          summary: 'One job, with its application count and (signed in) whether you bookmarked or applied',
          params: idParams,
          response: { 200: jobDetail, ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        // Anonymous: one statement on a replica when one is fit, else the primary's pool, whose JSON text
        // is the response. Signed in: whether they bookmarked or applied needs their identity (row-level
        // security on those tables) and their latest writes: a unit of work on the primary.
        if (catalogueReader(request).kind === 'anonymous') {
          const json = await catalogueRead(database, (db) =>
            getPublicJobJson(db, database.preparedStatements, request.params.id),
          );
          // Text is sent as it is (no serializer runs): JobDetail's fields, as a test compares.
          return reply.type('application/json; charset=utf-8').send(json as never);
        }
        return request.work((w) => getJob(w, request.params.id));
      },
    );

    app.post(
      '/jobs',
      {
        config: { auth: 'admin', scope: 'jobs:write' },
        schema: {
          tags,
          summary: 'Create a job (administrators; API keys need jobs:write)',
          body: createJobBody,
          response: { 201: job, ...errors(400, 401, 403, 409) },
        },
      },
      async (request, reply) => {
        catalogueWriter(request);
        return reply.code(201).send(await request.work((w) => createJob(w, request.body)));
      },
    );

    app.patch(
      '/jobs/:id',
      {
        config: { auth: 'admin', scope: 'jobs:write' },
        schema: {
          tags,
          summary: 'Change a job (administrators; API keys need jobs:write)',
          params: idParams,
          body: updateJobBody,
          response: { 200: job, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        catalogueWriter(request);
        return request.work((w) => updateJob(w, request.params.id, request.body));
      },
    );

    app.delete(
      '/jobs/:id',
      {
        config: { auth: 'admin', scope: 'jobs:write' },
        schema: {
          tags,
          summary: 'Delete a job (administrators; API keys need jobs:write)',
          description: 'Also deletes its applications and bookmarks (ON DELETE CASCADE).',
          params: idParams,
          response: { 204: noContent, ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        catalogueWriter(request);
        await request.work((w) => deleteJob(w, request.params.id));
        return reply.code(204).send(null);
      },
    );

    app.put(
      '/jobs/:id/bookmark',
      {
        config: { auth: 'user', scope: 'bookmarks:write' },
        schema: {
          tags: ['bookmarks'],
          summary: 'Bookmark a job (idempotent)',
          params: idParams,
          response: { 204: noContent, ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const auth = requireUser(request);
        await request.work((w) => addBookmark(w.tx, auth.user.id, request.params.id));
        return reply.code(204).send(null);
      },
    );

    app.delete(
      '/jobs/:id/bookmark',
      {
        config: { auth: 'user', scope: 'bookmarks:write' },
        schema: {
          tags: ['bookmarks'],
          summary: 'Remove a bookmark (idempotent)',
          params: idParams,
          response: { 204: noContent, ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const auth = requireUser(request);
        await request.work((w) => removeBookmark(w.tx, auth.user.id, request.params.id));
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/bookmarks',
      {
        config: { auth: 'user', scope: 'bookmarks:read' },
        schema: {
          tags: ['bookmarks'],
          summary: 'Your bookmarked jobs, newest bookmark first',
          querystring: z.object(pageParams),
          response: { 200: bookmarkPage, ...errors(400, 401, 403) },
        },
      },
      async (request) => {
        const auth = requireUser(request);
        return request.work((w) => listBookmarks(w.tx, auth.user.id, request.query));
      },
    );
  };
