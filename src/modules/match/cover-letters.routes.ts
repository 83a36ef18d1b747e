/** /api/v1/cover-letters: write a grounded letter for a job from a CV; list, read, edit, attach, delete. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import {
  COVER_LETTER_GENERATORS,
  COVER_LETTER_LENGTHS,
  COVER_LETTER_STATUSES,
  COVER_LETTER_TONES,
} from '../../db/schema/index.ts';
import { requireUser } from '../../http/auth.ts';
import { errors, noContent, userText } from '../../http/schemas.ts';
import {
  attachCoverLetter,
  createCoverLetter,
  deleteCoverLetter,
  editCoverLetter,
  getCoverLetter,
  listCoverLetters,
} from './cover-letters.service.ts';

const tags = ['cover letters'];
const idParams = z.object({ id: z.uuid() });

const coverLetter = z
  .object({
    id: z.uuid(),
    jobId: z.uuid().nullable(),
    cvId: z.uuid().nullable(),
    applicationId: z.uuid().nullable(),
    tone: z.enum(COVER_LETTER_TONES),
    length: z.enum(COVER_LETTER_LENGTHS),
    generator: z.enum(COVER_LETTER_GENERATORS).meta({
      description: 'template (built in), llm (the configured model, after the grounding check) or edited (by you).',
    }),
    status: z.enum(COVER_LETTER_STATUSES).meta({
      description:
        'pending: the model is writing it (poll this letter; body is empty); ready: written; failed: could not be written (see error; the use was given back).',
    }),
    error: z.string().nullable().meta({
      description:
        'Why a failed letter failed: CV_NOT_FOUND or JOB_NOT_FOUND (deleted before it was written), COVER_LETTER_FAILED (its writing task gave up and the built-in writer could not write it either).',
    }),
    body: z.string(),
    facts: z.record(z.string(), z.unknown()).meta({
      description:
        'What the letter was allowed to cite (skills), sentences the grounding check removed, fallbackReason when the built-in writer replaced the model.',
    }),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'CoverLetter' });

type Row = Omit<z.infer<typeof coverLetter>, 'tone' | 'length' | 'generator' | 'status'> & {
  tone: string;
  length: string;
  generator: string;
  status: string;
};
const out = (row: Row) => row as z.infer<typeof coverLetter>;

export const coverLetterRoutes =
  ({ config }: { database: Database; config: Config }): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/cover-letters',
      {
        config: { auth: 'user', scope: 'applications:write' },
        schema: {
          tags,
          summary: 'Write a cover letter for a job from one of your CVs',
          description:
            'Cites only facts found in the CV and the job (every sentence is checked). One `cover_letter_generated` of your plan, counted now (429 QUOTA_EXCEEDED when spent). ' +
            'Without a language model configured the built-in writer answers at once: **201** with the letter `ready`. ' +
            'With LLM_BASE_URL set the model writes it in the background: **202** with the letter `pending`; poll GET /cover-letters/{id} until it is `ready` ' +
            '(from the model, or from the built-in writer with `facts.fallbackReason` when the model failed, timed out or invented facts) or `failed` ' +
            '(the CV or job was deleted meanwhile; the use is given back).',
          body: z
            .object({
              jobId: z.uuid(),
              cvId: z.uuid(),
              tone: z.enum(COVER_LETTER_TONES).default('professional'),
              length: z.enum(COVER_LETTER_LENGTHS).default('medium'),
            })
            .strict(),
          response: { 201: coverLetter, 202: coverLetter, ...errors(400, 401, 403, 404, 429) },
        },
      },
      async (request, reply) => {
        const auth = requireUser(request);
        const { letter, queued } = await request.work((w) =>
          createCoverLetter(w, config, { userId: auth.user.id, ...request.body }),
        );
        return reply.code(queued ? 202 : 201).send(out(letter));
      },
    );

    app.get(
      '/cover-letters',
      {
        config: { auth: 'user', scope: 'applications:read' },
        schema: {
          tags,
          summary: 'Your cover letters, newest first (at most 200)',
          response: { 200: z.object({ data: z.array(coverLetter) }), ...errors(401, 403) },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const rows = await request.work((w) => listCoverLetters(w.tx, user.id));
        return { data: rows.map(out) };
      },
    );

    app.get(
      '/cover-letters/:id',
      {
        config: { auth: 'user', scope: 'applications:read' },
        schema: {
          tags,
          summary: 'One cover letter and its status (poll a pending one)',
          params: idParams,
          response: { 200: coverLetter, ...errors(401, 403, 404) },
        },
      },
      async (request) => {
        return out(await request.work((w) => getCoverLetter(w.tx, request.params.id)));
      },
    );

    app.patch(
      '/cover-letters/:id',
      {
        config: { auth: 'user', scope: 'applications:write' },
        schema: {
          tags,
          summary: 'Edit a cover letter',
          params: idParams,
          body: z.object({ body: userText(20_000) }).strict(),
          response: { 200: coverLetter, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        return out(await request.work((w) => editCoverLetter(w.tx, request.params.id, request.body.body)));
      },
    );

    app.post(
      '/cover-letters/:id/attach',
      {
        config: { auth: 'user', scope: 'applications:write' },
        schema: {
          tags,
          summary: 'Attach a cover letter to one of your applications (its cover_letter)',
          params: idParams,
          body: z.object({ applicationId: z.uuid() }).strict(),
          response: { 200: coverLetter, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        return out(await request.work((w) => attachCoverLetter(w.tx, request.params.id, request.body.applicationId)));
      },
    );

    app.delete(
      '/cover-letters/:id',
      {
        config: { auth: 'user', scope: 'applications:write' },
        schema: {
          tags,
          summary: 'Delete a cover letter',
          params: idParams,
          response: { 204: noContent, ...errors(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await request.work((w) => deleteCoverLetter(w.tx, request.params.id));
        return reply.code(204).send(null);
      },
    );
  };
