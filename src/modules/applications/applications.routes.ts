/** /api/v1/applications: apply, track the status workflow, read the timeline, statistics, soft delete. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { APPLICATION_STATUSES } from '../../db/schema/index.ts';
import { requireUser } from '../../http/auth.ts';
import { commaList, errors, noContent, pageParams, userText } from '../../http/schemas.ts';
import { AppError } from '../../lib/errors.ts';
import { followUps } from '../reminders/reminders.ts';
import {
  addNote,
  applicationStats,
  apply,
  changeStatus,
  deleteApplication,
  deleteNote,
  getApplication,
  listApplications,
  updateApplication,
} from './applications.service.ts';
import { nextStepCalendar } from './calendar.ts';
import { NEXT_STATUSES, OPEN_STATUSES, WITHDRAW_UNDO_DAYS } from './workflow.ts';

const tags = ['applications'];
const status = z.enum(APPLICATION_STATUSES);
const idParams = z.object({ id: z.uuid() });

const application = z
  .object({
    id: z.uuid(),
    jobId: z.uuid(),
    userId: z.uuid(),
    cvId: z.uuid(),
    status,
    coverLetter: z.string().nullable(),
    customMessage: z.string().nullable(),
    submittedAt: z.date(),
    updatedAt: z.date(),
    nextStep: z.string().nullable().meta({ description: 'What happens next, in the seeker’s words.' }),
    nextStepAt: z.date().nullable().meta({ description: 'When the next step happens.' }),
    remindAt: z.date().nullable().meta({ description: 'When a reminder will be sent; null once sent or never set.' }),
    job: z
      .object({
        id: z.uuid(),
        title: z.string(),
        company: z.string(),
        location: z.string().nullable(),
        tracked: z.boolean().meta({ description: 'A job you track (found elsewhere), not a catalogue job.' }),
      })
      .nullable()
      .meta({ description: 'Null when the job has since been deleted (archived applications).' }),
  })
  .meta({ id: 'Application' });

const note = z
  .object({ id: z.uuid(), body: z.string(), authorId: z.uuid().nullable(), createdAt: z.date() })
  .meta({ id: 'ApplicationNote' });

const applicationDetail = application
  .extend({
    archived: z.boolean(),
    history: z.array(z.object({ status, notes: z.string().nullable(), at: z.date() })).meta({
      description: 'Every status the application has had, oldest first.',
    }),
    notes: z.array(note).meta({ description: 'Notes that are not status changes, oldest first.' }),
  })
  .meta({ id: 'ApplicationDetail' });

export const applicationRoutes =
  ({ config }: { database: Database; config: Config }): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/applications',
      {
        config: { auth: 'user', scope: 'applications:write' },
        schema: {
          tags,
          summary: 'Apply to a job with one of your CVs',
          description:
            'Creates the application (status submitted), its first history row and a job_application usage row in one transaction. Applying twice to a job is 409 APPLICATION_EXISTS, also when two requests race.',
          body: z
            .object({
              jobId: z.uuid(),
              cvId: z.uuid(),
              coverLetter: userText(20_000).optional(),
              customMessage: userText(5_000).optional(),
            })
            .strict()
            .meta({ id: 'ApplyRequest' }),
          response: { 201: applicationDetail, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const auth = requireUser(request);
        return reply.code(201).send(await request.work((w) => apply(w, config.plans, auth.user.id, request.body)));
      },
    );

    app.get(
      '/applications',
      {
        config: { auth: 'user', scope: 'applications:read' },
        schema: {
          tags,
          summary: 'Your applications, newest first (administrators: all, filterable by job and user)',
          querystring: z.object({
            status: commaList(status, APPLICATION_STATUSES.length).optional(),
            jobId: z.uuid().optional(),
            userId: z.uuid().optional().meta({ description: 'Administrators only; ignored for others.' }),
            ...pageParams,
          }),
          response: {
            200: z.object({ data: z.array(application), nextCursor: z.string().nullable() }),
            ...errors(400, 401, 403),
          },
        },
      },
      async (request) => {
        const { status: statuses, ...rest } = request.query;
        return request.work((w) => listApplications(w, { ...rest, statuses }));
      },
    );

    app.get(
      '/applications/workflow',
      {
        config: { auth: 'public' },
        schema: {
          tags,
          summary: 'The status workflow: every status and where it may move next',
          description: `A withdrawal can be undone within ${WITHDRAW_UNDO_DAYS} days: the application returns to the status it had (the history records both moves).`,
          response: {
            200: z.object({
              statuses: z.array(status),
              open: z.array(status),
              final: z.array(status),
              transitions: z.record(status, z.array(status)),
              withdrawUndoDays: z.number().int(),
            }),
          },
        },
      },
      async () => ({
        statuses: [...APPLICATION_STATUSES],
        open: OPEN_STATUSES,
        final: APPLICATION_STATUSES.filter((s) => !OPEN_STATUSES.includes(s) && s !== 'withdrawn'),
        transitions: NEXT_STATUSES,
        withdrawUndoDays: WITHDRAW_UNDO_DAYS,
      }),
    );

    app.get(
      '/applications/follow-ups',
      {
        config: { auth: 'user', scope: 'applications:read' },
        schema: {
          tags,
          summary: 'Your applications still waiting for a response after your follow-up period',
          description:
            'Status submitted, submitted at least followUpAfterDays ago (GET /me/notification-settings), and no next step planned in the future. Oldest first.',
          response: {
            200: z.object({
              data: z.array(
                z.object({
                  id: z.uuid(),
                  jobId: z.uuid(),
                  title: z.string(),
                  company: z.string(),
                  submittedAt: z.date(),
                  daysWaiting: z.number().int(),
                }),
              ),
            }),
            ...errors(401, 403),
          },
        },
      },
      async (request) => {
        const auth = requireUser(request);
        const data = await request.work((w) => followUps(w.tx, auth.user.id, w.now));
        return { data };
      },
    );

    app.get(
      '/applications/:id/calendar.ics',
      {
        config: { auth: 'user', scope: 'applications:read' },
        schema: {
          tags,
          summary: 'The next step as a calendar event (iCalendar)',
          params: idParams,
          produces: ['text/calendar'],
          response: {
            200: z.string().meta({ description: 'text/calendar; one VEVENT of 60 minutes' }),
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      async (request, reply) => {
        const application = await request.work((w) => getApplication(w, request.params.id));
        if (!application.nextStepAt) throw new AppError('NO_NEXT_STEP');
        const ics = nextStepCalendar({ ...application, nextStepAt: application.nextStepAt }, config.publicUrl);
        return reply
          .header('content-type', 'text/calendar; charset=utf-8')
          .header('content-disposition', 'attachment; filename="next-step.ics"')
          .send(ics);
      },
    );

    app.get(
      '/applications/stats',
      {
        config: { auth: 'user', scope: 'applications:read' },
        schema: {
          tags,
          summary: 'Counts per status, response rate and median days to the first response',
          querystring: z.object({ userId: z.uuid().optional().meta({ description: 'Administrators: one user.' }) }),
          response: {
            200: z.object({
              total: z.number().int(),
              byStatus: z.record(z.string(), z.number().int()),
              responseRate: z.number().nullable().meta({
                description: 'Share of applications that moved past submitted other than by withdrawal.',
              }),
              medianDaysToFirstResponse: z.number().nullable(),
            }),
            ...errors(400, 401, 403),
          },
        },
      },
      async (request) => {
        return request.work((w) => applicationStats(w, request.query.userId));
      },
    );

    app.get(
      '/applications/:id',
      {
        config: { auth: 'user', scope: 'applications:read' },
        schema: {
          tags,
          summary: 'One application with its full status timeline (also once archived)',
          params: idParams,
          response: { 200: applicationDetail, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => {
        return request.work((w) => getApplication(w, request.params.id));
      },
    );

    app.patch(
      '/applications/:id/status',
      {
        config: { auth: 'user', scope: 'applications:write' },
        schema: {
          tags,
          summary: 'Move an application along the workflow',
          description:
            'The moves are served by GET /applications/workflow: submitted -> reviewing | interview | rejected; reviewing -> interview | accepted | rejected; interview -> offer | accepted | rejected; offer -> accepted | rejected; withdrawn from any open state, undoable for a grace period. The applicant may record any valid change on their own application; administrators (and their API keys with applications:write) on any. An invalid change is 409 INVALID_STATUS_TRANSITION with details.allowed.',
          params: idParams,
          body: z.object({ status, notes: userText(2_000).optional() }).strict(),
          response: { 200: applicationDetail, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const auth = requireUser(request);
        return request.work((w) =>
          changeStatus(w, request.params.id, {
            ...request.body,
            by: { userId: auth.user.id, viaApiKey: auth.via === 'apiKey' },
            publicUrl: config.publicUrl,
          }),
        );
      },
    );

    app.patch(
      '/applications/:id',
      {
        config: { auth: 'user', scope: 'applications:write' },
        schema: {
          tags,
          summary: 'Change the next step, its date, its reminder, the cover letter or the message',
          params: idParams,
          body: z
            .object({
              nextStep: userText(200).nullable().optional(),
              nextStepAt: z.coerce.date().nullable().optional(),
              remindAt: z.coerce
                .date()
                .refine((d) => d.getTime() > Date.now(), 'Choose a time in the future.')
                .refine((d) => d.getTime() < Date.now() + 366 * 86_400_000, 'Choose a time within a year.')
                .nullable()
                .optional()
                .meta({
                  description: 'When to remind you of the next step (in the app, and by e-mail unless turned off).',
                }),
              coverLetter: userText(20_000).nullable().optional(),
              customMessage: userText(5_000).nullable().optional(),
            })
            .strict()
            .refine((b) => Object.keys(b).length > 0, { message: 'Send at least one field to change.' }),
          response: { 200: applicationDetail, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => {
        return request.work((w) => updateApplication(w, request.params.id, request.body));
      },
    );

    app.post(
      '/applications/:id/notes',
      {
        config: { auth: 'user', scope: 'applications:write' },
        schema: {
          tags,
          summary: 'Add a note that is not a status change',
          params: idParams,
          body: z.object({ body: userText(5_000) }).strict(),
          response: { 201: note, ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        return reply.code(201).send(await request.work((w) => addNote(w, request.params.id, request.body.body)));
      },
    );

    app.delete(
      '/applications/:id/notes/:noteId',
      {
        config: { auth: 'user', scope: 'applications:write' },
        schema: {
          tags,
          summary: 'Delete a note',
          params: z.object({ id: z.uuid(), noteId: z.uuid() }),
          response: { 204: noContent, ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await request.work((w) => deleteNote(w, request.params.id, request.params.noteId));
        return reply.code(204).send(null);
      },
    );

    app.delete(
      '/applications/:id',
      {
        config: { auth: 'user', scope: 'applications:write' },
        schema: {
          tags,
          summary: 'Delete an application (soft: it never appears again)',
          params: idParams,
          response: { 204: noContent, ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await request.work((w) => deleteApplication(w, request.params.id));
        return reply.code(204).send(null);
      },
    );
  };
