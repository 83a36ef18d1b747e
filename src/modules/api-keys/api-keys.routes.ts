/** /api/v1/api-keys: a signed-in user's keys for the public API. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { requireSession } from '../../http/auth.ts';
import { errors, noContent } from '../../http/schemas.ts';
import { API_SCOPES } from '../auth/api-key-auth.ts';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.service.ts';

const scope = z.enum(API_SCOPES);

const createBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    permissions: z.array(scope).min(1).max(API_SCOPES.length),
    expiresAt: z.coerce.date().optional().meta({ description: 'ISO 8601; omit for a key that does not expire.' }),
  })
  .meta({ id: 'CreateApiKeyRequest' });

const apiKey = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().nullable().meta({ description: 'The first characters of the key, to tell keys apart.' }),
    permissions: z.array(z.string()),
    active: z.boolean(),
    expiresAt: z.date().nullable(),
    lastUsed: z.date().nullable(),
    createdAt: z.date(),
  })
  .meta({ id: 'ApiKey' });

const createdKey = apiKey
  .extend({ key: z.string().meta({ description: 'The key itself. Shown only in this response; store it now.' }) })
  .meta({ id: 'CreatedApiKey' });

export const apiKeyRoutes =
  ({ config }: { database: Database; config: Config }): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api-keys',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['api-keys'],
          summary: 'Create an API key',
          description:
            'Send it as `Authorization: Bearer jobr_...`. Which plans may create keys is configured by API_KEY_PLANS.',
          body: createBody,
          response: { 201: createdKey, ...errors(400, 401, 403, 409) },
        },
      },
      async (request, reply) => {
        const auth = requireSession(request);
        return reply.code(201).send(await request.work((w) => createApiKey(w, config, auth.user, request.body)));
      },
    );

    app.get(
      '/api-keys',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['api-keys'],
          summary: 'List your API keys (never the keys themselves)',
          response: { 200: z.object({ data: z.array(apiKey) }), ...errors(401, 403) },
        },
      },
      async (request) => ({ data: await request.work((w) => listApiKeys(w.tx, requireSession(request).user.id)) }),
    );

    app.delete(
      '/api-keys/:id',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['api-keys'],
          summary: 'Revoke an API key; it stops working at once',
          params: z.object({ id: z.uuid() }),
          response: { 204: noContent, ...errors(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const userId = requireSession(request).user.id;
        await request.work((w) => revokeApiKey(w.tx, userId, request.params.id));
        return reply.code(204).send(null);
      },
    );
  };
