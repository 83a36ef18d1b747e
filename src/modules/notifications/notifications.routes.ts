/** /api/v1/notifications and /api/v1/me/notification-settings: what the seeker is told, and how. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { NOTIFICATION_KINDS } from '../../db/schema/index.ts';
import { requireSession } from '../../http/auth.ts';
import { errors, pageParams } from '../../http/schemas.ts';
import { listNotifications, markRead, settingsOf, updateSettings } from './notifications.service.ts';

const tags = ['notifications'];

const notification = z
  .object({
    id: z.uuid(),
    kind: z.enum(NOTIFICATION_KINDS),
    title: z.string(),
    body: z.string(),
    link: z.string().nullable().meta({ description: 'Path in the web app this is about.' }),
    readAt: z.date().nullable(),
    createdAt: z.date(),
  })
  .meta({ id: 'Notification' });

const settings = z
  .object({
    statusChangeInApp: z.boolean().meta({ description: 'Tell me in the app when someone else moves my application.' }),
    statusChangeEmail: z.boolean().meta({ description: 'E-mail me when someone else moves my application.' }),
    reminderEmail: z.boolean().meta({ description: 'E-mail reminders for next steps I set a reminder for.' }),
    followUpDigestEmail: z.boolean().meta({ description: 'A weekly e-mail listing applications to follow up.' }),
    followUpAfterDays: z.number().int().min(1).max(365).meta({
      description: 'An application without a response after this many days needs a follow-up.',
    }),
  })
  .meta({ id: 'NotificationSettings' });

export const notificationRoutes =
  (_options: { database: Database }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/notifications',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'Your notifications, newest first, with the unread count',
          querystring: z.object({ unread: z.stringbool().optional(), ...pageParams }),
          response: {
            200: z.object({ data: z.array(notification), nextCursor: z.string().nullable(), unread: z.number().int() }),
            ...errors(400, 401, 403),
          },
        },
      },
      async (request) => {
        const { user } = requireSession(request);
        return request.work((w) => listNotifications(w.tx, user.id, request.query));
      },
    );

    app.post(
      '/notifications/read',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'Mark notifications read: the given ids, or all',
          body: z.union([
            z.object({ ids: z.array(z.uuid()).min(1).max(100) }).strict(),
            z.object({ all: z.literal(true) }).strict(),
          ]),
          response: { 200: z.object({ marked: z.number().int() }), ...errors(400, 401, 403) },
        },
      },
      async (request) => {
        const { user } = requireSession(request);
        const ids = 'all' in request.body ? 'all' : request.body.ids;
        return { marked: await request.work((w) => markRead(w.tx, user.id, ids)) };
      },
    );

    app.get(
      '/me/notification-settings',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'Which notifications you get, in the app and by e-mail',
          response: { 200: settings, ...errors(401, 403) },
        },
      },
      async (request) => {
        const { user } = requireSession(request);
        return request.work((w) => settingsOf(w.tx, user.id));
      },
    );

    app.patch(
      '/me/notification-settings',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'Change which notifications you get',
          body: settings
            .partial()
            .strict()
            .refine((b) => Object.keys(b).length > 0, { message: 'Send at least one setting to change.' }),
          response: { 200: settings, ...errors(400, 401, 403) },
        },
      },
      async (request) => {
        const { user } = requireSession(request);
        return request.work((w) => updateSettings(w.tx, user.id, request.body));
      },
    );
  };
