/** /api/v1/auth: register, log in, log out. */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { clearSessionCookie, requireSession, respondWithSession } from '../../http/auth.ts';
import { authRateLimit } from '../../http/rate-limit.ts';
import { errors, noContent } from '../../http/schemas.ts';
import { loginBody, registerBody, sessionResponse } from './auth.schemas.ts';
import { type ClientMeta, checkCredentials, endSession, endSessions, register, startSession } from './auth.service.ts';

export function clientMeta(request: FastifyRequest): ClientMeta {
  return { userAgent: request.headers['user-agent'] ?? null, ipAddress: request.ip || null };
}

export const authRoutes =
  ({ database, config }: { database: Database; config: Config }): FastifyPluginAsyncZod =>
  async (app) => {
    const rateLimit = authRateLimit(config);

    app.post(
      '/auth/register',
      {
        config: { auth: 'public', rateLimit },
        schema: {
          tags: ['auth'],
          summary: 'Create an account and sign in',
          description:
            'Needs an e-mail address or a phone number (or both). Returns a session token and sets the `jobr_session` cookie.',
          body: registerBody,
          response: { 201: sessionResponse, ...errors(400, 409, 429) },
        },
      },
      async (request, reply) => {
        const session = await request.work((w) => register(w, { ...request.body, meta: clientMeta(request) }));
        return reply.code(201).send(respondWithSession(reply, session, config));
      },
    );

    app.post(
      '/auth/login',
      {
        config: { auth: 'public', rateLimit },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with an e-mail address or phone number and a password',
          description:
            'Every failure (unknown identifier, wrong password, locked account) gives the same 401 INVALID_CREDENTIALS.',
          body: loginBody,
          response: { 200: sessionResponse, ...errors(400, 401, 429) },
        },
      },
      async (request, reply) => {
        const userId = await checkCredentials(database.db, request.body);
        const session = await request.work((w) => startSession(w, userId, clientMeta(request)));
        return respondWithSession(reply, session, config);
      },
    );

    app.post(
      '/auth/logout',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['auth'],
          summary: 'End the current session',
          response: { 204: noContent, ...errors(401, 403) },
        },
      },
      async (request, reply) => {
        const auth = requireSession(request);
        await request.work((w) => endSession(w.tx, auth.user.id, auth.sessionId));
        clearSessionCookie(reply, config);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/auth/logout-all',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['auth'],
          summary: 'End every session of the account, this one included',
          response: { 204: noContent, ...errors(401, 403) },
        },
      },
      async (request, reply) => {
        const auth = requireSession(request);
        await request.work((w) => endSessions(w.tx, auth.user.id));
        clearSessionCookie(reply, config);
        return reply.code(204).send(null);
      },
    );
  };
