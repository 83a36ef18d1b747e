/** Development only: read the outbox over HTTP (production never registers this route). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { requireAdmin, requireSession } from '../../http/auth.ts';
import { errors } from '../../http/schemas.ts';
import { recentMessages } from './deliver.ts';

const message = z
  .object({
    id: z.uuid(),
    channel: z.string(),
    recipient: z.string(),
    subject: z.string(),
    body: z.string(),
    attachments: z
      .array(z.object({ filename: z.string(), contentType: z.string(), content: z.string() }))
      .meta({ description: 'E-mail attachments (text files), kept until delivered.' }),
    status: z.string(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.date(),
  })
  .meta({ id: 'OutboxMessage' });

export const devOutboxRoutes =
  (database: Database): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/dev/outbox',
      {
        config: { auth: 'admin', apiKeys: false },
        schema: {
          tags: ['development'],
          summary:
            'The newest outgoing e-mails and SMS (development and test only; administrators, signed in: not with an API key)',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }),
          response: { 200: z.object({ data: z.array(message) }), ...errors(400, 401, 403) },
        },
      },
      async (request) => {
        // The messages hold reset links and codes: a signed-in administrator only, never an API key
        // (no scope covers them; issue 11, item 10).
        requireSession(request);
        requireAdmin(request);
        return { data: await recentMessages(database.db, request.query.limit) };
      },
    );
  };
