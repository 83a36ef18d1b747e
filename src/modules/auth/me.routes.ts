/** /api/v1/me: the signed-in user's account and sessions. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { clearSessionCookie, requireSession, requireUser } from '../../http/auth.ts';
import { errors, noContent } from '../../http/schemas.ts';
import { AppError } from '../../lib/errors.ts';
import { fileStorage } from '../cvs/storage.ts';
import { removeStoredFiles, storedFileKeys } from './account-files.ts';
import { deleteMeBody, idParams, sessionItem, updateMeBody, userResponse } from './auth.schemas.ts';
import { endSession } from './auth.service.ts';
import { deleteMe, getMe, listSessions, updateMe } from './me.service.ts';

export const meRoutes =
  ({ database, config }: { database: Database; config: Config }): FastifyPluginAsyncZod =>
  async (app) => {
    const storage = fileStorage(config, database.db);
    app.get(
      '/me',
      {
        config: { auth: 'user', scope: 'profile:read' },
        schema: { tags: ['me'], summary: 'The signed-in user', response: { 200: userResponse, ...errors(401) } },
      },
      async (request) => request.work((w) => getMe(w.tx, requireUser(request).user.id)),
    );

    app.patch(
      '/me',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['me'],
          summary: 'Change name, e-mail, phone or password',
          description:
            'Changing e-mail, phone or password needs `currentPassword`. A new password signs out every other session, and with `revokeApiKeys: true` also revokes every API key; a new e-mail or phone must be verified again.',
          body: updateMeBody,
          response: { 200: userResponse, ...errors(400, 401, 403, 409) },
        },
      },
      async (request) => {
        const auth = requireSession(request);
        return request.work((w) =>
          updateMe(w.tx, { userId: auth.user.id, sessionId: auth.sessionId, changes: request.body }),
        );
      },
    );

    app.delete(
      '/me',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['me'],
          summary: 'Delete the account and everything it owns',
          body: deleteMeBody,
          response: { 204: noContent, ...errors(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const auth = requireSession(request);
        const keys = await request.work(async (w) => {
          const stored = await storedFileKeys(w.tx, auth.user.id);
          await deleteMe(w.tx, auth.user.id, request.body.currentPassword);
          return stored;
        });
        // The rows are gone (committed); now their files. A failure is logged, never the file names' owner data.
        const left = await removeStoredFiles(storage, keys);
        if (left.length > 0)
          request.log.error({ files: left.length }, 'could not remove some files of a deleted account');
        clearSessionCookie(reply, config);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/me/sessions',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['me'],
          summary: 'Live sessions of the account; the one making this request is marked current',
          response: { 200: z.object({ data: z.array(sessionItem) }), ...errors(401, 403) },
        },
      },
      async (request) => {
        const auth = requireSession(request);
        return { data: await request.work((w) => listSessions(w.tx, auth.user.id, auth.sessionId)) };
      },
    );

    app.delete(
      '/me/sessions/:id',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['me'],
          summary: 'Sign out one session',
          params: idParams,
          response: { 204: noContent, ...errors(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const auth = requireSession(request);
        if (!(await request.work((w) => endSession(w.tx, auth.user.id, request.params.id))))
          throw new AppError('SESSION_NOT_FOUND');
        if (request.params.id === auth.sessionId) clearSessionCookie(reply, config);
        return reply.code(204).send(null);
      },
    );
  };
