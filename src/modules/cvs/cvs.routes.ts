/** /api/v1/cvs: upload, list, read, download, search and delete your CVs. */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { CV_MAX_BYTES } from '../../db/schema/index.ts';
import { requireUser } from '../../http/auth.ts';
import { readSingleFile } from '../../http/multipart.ts';
import { errors } from '../../http/schemas.ts';
import { AppError } from '../../lib/errors.ts';
import { correctProfile, correctProfileBody, profileCorrections } from './corrections.ts';
import { deleteCv, getCv, listCvs, searchCvs, uploadCv } from './cvs.service.ts';
import { fileStorage } from './storage.ts';

const tags = ['cvs'];
const idParams = z.object({ id: z.uuid() });
const field = <T extends z.ZodType>(value: T) => z.object({ value, confidence: z.number() });

const cvSummary = z
  .object({
    id: z.uuid(),
    fileName: z.string(),
    fileSize: z.number().int(),
    mimeType: z.string().nullable(),
    pageCount: z.number().int().nullable(),
    skills: z.array(z.string()).meta({ description: 'Canonical skill names.' }),
    uploadedAt: z.date(),
  })
  .meta({ id: 'CvSummary' });

const profile = z
  .object({
    name: field(z.string().nullable()),
    headline: field(z.string().nullable()).meta({
      description: 'The role the CV states under the name ("Java Developer"); not a job of the work history.',
    }),
    email: field(z.string().nullable()),
    phone: field(z.string().nullable()),
    location: field(z.string().nullable()),
    links: field(z.array(z.string())),
    summary: field(z.string().nullable()),
    skills: field(z.array(z.string())),
    experience: field(
      z.array(
        z.object({
          title: z.string().nullable(),
          company: z.string().nullable(),
          start: z.string().nullable(),
          end: z.string().nullable(),
          description: z.string(),
        }),
      ),
    ),
    education: field(
      z.array(
        z.object({
          institution: z.string().nullable(),
          degree: z.string().nullable(),
          field: z.string().nullable().meta({ description: 'The subject, when the degree names it.' }),
          grade: z.string().nullable().meta({ description: 'A grade or score as written ("8.1 CGPA", "78%").' }),
          start: z.string().nullable(),
          end: z.string().nullable(),
        }),
      ),
    ),
    languages: field(z.array(z.string())),
    totalYearsExperience: field(z.number().nullable()),
  })
  .partial()
  .meta({ id: 'CvProfile', description: 'Read from the text; every field has a confidence from 0 to 1.' });

const cvDetail = cvSummary
  .extend({
    parsedContent: z.string().meta({ description: 'The extracted text, in reading order.' }),
    profile: profile.meta({ description: 'The effective profile: extracted, with the corrections applied.' }),
    corrections: profileCorrections,
  })
  .meta({ id: 'Cv' });

export const cvRoutes =
  ({ database, config }: { database: Database; config: Config }): FastifyPluginAsyncZod =>
  async (app) => {
    const storage = fileStorage(config, database.db);
    await app.register(multipart, {
      limits: { fileSize: CV_MAX_BYTES, files: 1, fields: 0, parts: 2, headerPairs: 50 },
    });

    app.post(
      '/cvs',
      {
        config: { auth: 'user', scope: 'cvs:write' },
        schema: {
          tags,
          summary: 'Upload a CV (PDF, Word .docx or plain text, at most 5 MB)',
          description:
            'multipart/form-data with one file part. The type is decided from the bytes; a name or Content-Type that disagrees is refused (415). The text is extracted in a worker with time and page limits; a scanned PDF is read by OCR (up to 3 pages; a warning names them), and refused (422 CV_NO_TEXT) only when OCR finds no text or is turned off. Records a cv_upload usage row.',
          consumes: ['multipart/form-data'],
          body: z
            .object({ file: z.string().meta({ format: 'binary' }) })
            .nullish()
            .meta({ description: 'One file part.' }),
          response: {
            201: cvDetail.extend({
              warnings: z
                .array(z.string())
                .meta({ description: 'What the reader was unsure of, e.g. a text file in a guessed encoding.' }),
            }),
            ...errors(400, 401, 403, 413, 415, 422, 429, 503),
          },
        },
      },
      async (request, reply) => {
        const auth = requireUser(request);
        // Refuse an announced oversize body before reading it (multipart framing adds a little).
        if (Number(request.headers['content-length']) > CV_MAX_BYTES + 64 * 1024)
          throw new AppError('PAYLOAD_TOO_LARGE');
        const file = await readSingleFile(request);
        if (!file)
          throw new AppError('VALIDATION_FAILED', { details: [{ path: 'body.file', message: 'Send one file.' }] });
        const cv = await uploadCv((fn) => request.work(fn), storage, config.plans, auth.user.id, file, config.cvLimits);
        return reply.code(201).send(cv);
      },
    );

    app.get(
      '/cvs',
      {
        config: { auth: 'user', scope: 'cvs:read' },
        schema: {
          tags,
          summary: 'Your CVs, newest first',
          response: { 200: z.object({ data: z.array(cvSummary) }), ...errors(401, 403) },
        },
      },
      async (request) => ({
        data: await request.work((w) => listCvs(w.tx, requireUser(request).user.id)),
      }),
    );

    app.get(
      '/cvs/search',
      {
        config: { auth: 'user', scope: 'cvs:read' },
        schema: {
          tags,
          summary: 'Search your CVs (administrators: all CVs)',
          querystring: z.object({
            q: z
              .string()
              .trim()
              .min(1)
              .max(500)
              .transform((s) => s.replaceAll('\u0000', ' ')),
            limit: z.coerce.number().int().min(1).max(50).default(20),
          }),
          response: {
            200: z.object({
              data: z.array(
                z.object({
                  id: z.uuid(),
                  fileName: z.string(),
                  uploadedAt: z.date(),
                  rank: z.number(),
                  snippet: z.string(),
                }),
              ),
            }),
            ...errors(400, 401, 403),
          },
        },
      },
      async (request) => {
        return { data: await request.work((w) => searchCvs(w, request.query.q, request.query.limit)) };
      },
    );

    app.get(
      '/cvs/:id',
      {
        config: { auth: 'user', scope: 'cvs:read' },
        schema: {
          tags,
          summary: 'One CV with its text and profile',
          params: idParams,
          response: { 200: cvDetail, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => {
        return request.work((w) => getCv(w.tx, request.params.id));
      },
    );

    app.patch(
      '/cvs/:id/profile',
      {
        config: { auth: 'user', scope: 'cvs:write' },
        schema: {
          tags,
          summary: 'Correct the profile read from a CV',
          description:
            'Each field sent replaces the extracted one (a whole list for skills, experience, education, links and languages); `reset` drops corrections. Corrections are stored apart from the extraction, so reading the file again never loses them. Answers the effective profile and the corrections.',
          params: idParams,
          body: correctProfileBody,
          response: { 200: z.object({ profile, corrections: profileCorrections }), ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => {
        return request.work((w) => correctProfile(w.tx, request.params.id, request.body));
      },
    );

    app.get(
      '/cvs/:id/file',
      {
        config: { auth: 'user', scope: 'cvs:read' },
        schema: {
          tags,
          summary: 'Download the original file',
          params: idParams,
          response: { 200: z.unknown().meta({ description: 'The file, as uploaded.' }), ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const cv = await request.work((w) => getCv(w.tx, request.params.id));
        if (!cv.storageKey)
          throw new AppError('CV_NOT_FOUND', { message: 'The original file of this CV was not kept.' });
        // An ASCII fallback name plus the exact name per RFC 6266 / 5987; always a download, never inline.
        const ascii = cv.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
        return reply
          .header('content-type', cv.mimeType ?? 'application/octet-stream')
          .header(
            'content-disposition',
            `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(cv.fileName)}`,
          )
          .header('cache-control', 'private, no-store')
          .send(storage.get(cv.storageKey));
      },
    );

    app.delete(
      '/cvs/:id',
      {
        config: { auth: 'user', scope: 'cvs:write' },
        schema: {
          tags,
          summary: 'Delete a CV',
          description:
            "Deletes the CV, its stored file and — by the design document's ON DELETE CASCADE — every application made with it, with their status history. When such applications exist the answer is 409 CV_DELETE_NEEDS_CONFIRMATION with details.applications; repeat with confirm=true.",
          params: idParams,
          querystring: z.object({ confirm: z.enum(['true', 'false']).default('false') }),
          response: { 200: z.object({ applicationsDeleted: z.number().int() }), ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        return deleteCv((fn) => request.work(fn), storage, request.params.id, request.query.confirm === 'true');
      },
    );
  };
