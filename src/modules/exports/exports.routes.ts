/** /api/v1/me/exports: a copy of everything Jobr holds about you, as a ZIP. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { EXPORT_STATUSES } from '../../db/schema/index.ts';
import { requireSession } from '../../http/auth.ts';
import { errors } from '../../http/schemas.ts';
import { AppError } from '../../lib/errors.ts';
import { fileStorage } from '../cvs/storage.ts';
import { EXPORT_TTL_DAYS, getExport, listExports, requestExport } from './exports.service.ts';

const tags = ['account'];
const dataExport = z
  .object({
    id: z.uuid(),
    status: z.enum(EXPORT_STATUSES),
    sizeBytes: z.number().int().nullable(),
    createdAt: z.date(),
    readyAt: z.date().nullable(),
    expiresAt: z.date().nullable(),
  })
  .meta({ id: 'DataExport' });

export const exportRoutes =
  ({ database, config }: { database: Database; config: Config }): FastifyPluginAsyncZod =>
  async (app) => {
    const storage = fileStorage(config, database.db);

    app.post(
      '/me/exports',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'Ask for a copy of all your data (built in the background)',
          description: `Answers at once with the export (status pending); poll GET /me/exports/{id} until it is ready, then download it. Ready exports are kept ${EXPORT_TTL_DAYS} days. While one is pending, asking again returns that one.`,
          response: { 202: dataExport, ...errors(401, 403) },
        },
      },
      async (request, reply) => {
        const { user } = requireSession(request);
        return reply.code(202).send(await request.work((w) => requestExport(w.tx, user.id)));
      },
    );

    app.get(
      '/me/exports',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'Your recent data exports',
          response: { 200: z.object({ data: z.array(dataExport) }), ...errors(401, 403) },
        },
      },
      async (request) => {
        const { user } = requireSession(request);
        return { data: await request.work((w) => listExports(w.tx, user.id)) };
      },
    );

    app.get(
      '/me/exports/:id',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'One data export and its status',
          params: z.object({ id: z.uuid() }),
          response: { 200: dataExport, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const { user } = requireSession(request);
        const { storageKey: _key, ...row } = await request.work((w) => getExport(w.tx, user.id, request.params.id));
        return row;
      },
    );

    app.get(
      '/me/exports/:id/download',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'Download a ready data export (ZIP)',
          params: z.object({ id: z.uuid() }),
          produces: ['application/zip'],
          response: { 200: z.any().meta({ description: 'application/zip' }), ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const { user } = requireSession(request);
        const row = await request.work((w) => getExport(w.tx, user.id, request.params.id));
        if (row.status !== 'ready' || !row.storageKey) throw new AppError('EXPORT_NOT_READY');
        return reply
          .header('content-type', 'application/zip')
          .header('content-disposition', `attachment; filename="jobr-export-${row.id}.zip"`)
          .header('cache-control', 'no-store')
          .send(storage.get(row.storageKey));
      },
    );
  };
