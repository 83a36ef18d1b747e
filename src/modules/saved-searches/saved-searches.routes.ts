/** /api/v1/saved-searches: keep a job search, choose alerts, stop them from the e-mail without signing in. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { systemActor } from '../../db/context.ts';
import { ALERT_FREQUENCIES } from '../../db/schema/index.ts';
import { requireSession } from '../../http/auth.ts';
import { errors, noContent, userText } from '../../http/schemas.ts';
import { AppError } from '../../lib/errors.ts';
import {
  createSavedSearch,
  deleteSavedSearch,
  getSavedSearch,
  listSavedSearches,
  MAX_SAVED_SEARCHES,
  unsubscribe,
  updateSavedSearch,
  verifyUnsubscribeToken,
} from './saved-searches.service.ts';

const tags = ['saved searches'];
const idParams = z.object({ id: z.uuid() });
const frequency = z.enum(ALERT_FREQUENCIES).meta({
  description: 'instant (within minutes of a job arriving), daily, weekly, or off.',
});
const searchParams = z.record(z.string(), z.unknown()).meta({
  description:
    'The search as GET /jobs takes it: q, location, remote, currency, salaryMin, salaryMax, experienceLevel, jobType, requirements, requirementsMode, categoryId.',
});

const savedSearch = z
  .object({
    id: z.uuid(),
    name: z.string(),
    query: z.record(z.string(), z.unknown()),
    frequency,
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'SavedSearch' });

export const savedSearchRoutes =
  ({ config }: { database: Database; config: Config }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/saved-searches',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'Your saved searches',
          response: { 200: z.object({ data: z.array(savedSearch) }), ...errors(401, 403) },
        },
      },
      async (request) => {
        const { user } = requireSession(request);
        return { data: await request.work((w) => listSavedSearches(w.tx, user.id)) };
      },
    );

    app.post(
      '/saved-searches',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'Save a search and choose its alerts',
          description: `At most ${MAX_SAVED_SEARCHES} per user (409 SAVED_SEARCH_LIMIT). Alerts list the jobs that arrive after the search is saved.`,
          body: z.object({ name: userText(100), query: searchParams, frequency: frequency.default('daily') }).strict(),
          response: { 201: savedSearch, ...errors(400, 401, 403, 409) },
        },
      },
      async (request, reply) => {
        const { user } = requireSession(request);
        return reply.code(201).send(await request.work((w) => createSavedSearch(w.tx, user.id, request.body)));
      },
    );

    app.get(
      '/saved-searches/unsubscribe',
      {
        config: { auth: 'public' },
        schema: {
          tags,
          summary: 'Stop a saved search’s alerts from the link in the e-mail (no sign-in)',
          querystring: z.object({ token: z.string().min(1).max(200) }),
          response: { 200: z.object({ unsubscribed: z.literal(true), name: z.string() }), ...errors(400, 404) },
        },
      },
      async (request) => {
        const id = verifyUnsubscribeToken(request.query.token, config.cookieSecret);
        if (!id) throw new AppError('UNSUBSCRIBE_LINK_INVALID');
        const found = await request.work(async (w) => {
          // The link is the credential: the signed token names the search, whoever follows it.
          await w.actAs(systemActor);
          return unsubscribe(w.tx, id);
        });
        if (!found) throw new AppError('SAVED_SEARCH_NOT_FOUND');
        return { unsubscribed: true as const, name: found.name };
      },
    );

    app.get(
      '/saved-searches/:id',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'One of your saved searches',
          params: idParams,
          response: { 200: savedSearch, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const { user } = requireSession(request);
        return request.work((w) => getSavedSearch(w.tx, user.id, request.params.id));
      },
    );

    app.patch(
      '/saved-searches/:id',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'Rename a saved search, change its search or its alerts',
          params: idParams,
          body: z
            .object({ name: userText(100), query: searchParams, frequency })
            .partial()
            .strict()
            .refine((b) => Object.keys(b).length > 0, { message: 'Send at least one field to change.' }),
          response: { 200: savedSearch, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const { user } = requireSession(request);
        return request.work((w) => updateSavedSearch(w.tx, user.id, request.params.id, request.body));
      },
    );

    app.delete(
      '/saved-searches/:id',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'Delete a saved search',
          params: idParams,
          response: { 204: noContent, ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const { user } = requireSession(request);
        await request.work((w) => deleteSavedSearch(w.tx, user.id, request.params.id));
        return reply.code(204).send(null);
      },
    );
  };
