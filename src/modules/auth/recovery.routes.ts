/** /api/v1/auth: e-mail and phone verification, password reset. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { requireUser } from '../../http/auth.ts';
import { authRateLimit } from '../../http/rate-limit.ts';
import { errors, noContent } from '../../http/schemas.ts';
import { requestPasswordReset } from './password-reset.task.ts';
import { confirmEmail, confirmPhone, requestVerification, resetPassword } from './recovery.service.ts';

const accepted = z
  .object({ message: z.string() })
  .meta({ id: 'Accepted', description: 'The request was taken; a message is on its way if it applies.' });
const token = z.string().min(20).max(200).meta({ description: 'The token from the link (after #token=).' });
const code = z.string().trim().min(1).max(12).meta({ description: 'The 6-digit code from the SMS.' });
const newPassword = z.string().min(1).max(2000);
const requestId = z.string().min(20).max(200).meta({ description: 'The `requestId` of the reset request.' });

const resetConfirmBody = z
  .union([
    z.object({ token, newPassword }).strict(),
    z.object({ phone: z.string().min(1).max(40), code, requestId, newPassword }).strict(),
  ])
  .meta({
    id: 'PasswordResetConfirm',
    description:
      'Either the e-mailed token, or the phone number, the SMS code and the `requestId` the reset request answered with.',
  });
const resetRequested = z
  .object({
    message: z.string(),
    requestId: z.string().meta({
      description:
        'Opaque id of this request; confirm an SMS code with it. Only guesses that name it count against that code, so nobody else can use up its attempts.',
    }),
  })
  .meta({ id: 'PasswordResetRequested' });

export const recoveryRoutes =
  ({ database, config }: { database: Database; config: Config }): FastifyPluginAsyncZod =>
  async (app) => {
    const rateLimit = authRateLimit(config);
    const tags = ['auth'];

    app.post(
      '/auth/verify-email/request',
      {
        config: { auth: 'user', scope: 'profile:write', rateLimit },
        schema: {
          tags,
          summary: 'E-mail a verification link to the account’s address',
          response: { 202: accepted, ...errors(400, 401, 429) },
        },
      },
      async (request, reply) => {
        await requestVerification(database.db, config, requireUser(request).user.id, 'email');
        return reply.code(202).send({ message: 'If no link was sent in the last minute, one is on its way.' });
      },
    );

    app.post(
      '/auth/verify-email/confirm',
      {
        config: { auth: 'public', rateLimit },
        schema: {
          tags,
          summary: 'Confirm an e-mail address with the token from the link',
          body: z.object({ token }).meta({ id: 'VerifyEmailConfirm' }),
          response: { 200: z.object({ verified: z.literal(true) }), ...errors(400, 429) },
        },
      },
      async (request) => {
        await confirmEmail(database.db, request.body.token);
        return { verified: true as const };
      },
    );

    app.post(
      '/auth/verify-phone/request',
      {
        config: { auth: 'user', scope: 'profile:write', rateLimit },
        schema: {
          tags,
          summary: 'Text a 6-digit code to the account’s phone',
          response: { 202: accepted, ...errors(400, 401, 429) },
        },
      },
      async (request, reply) => {
        await requestVerification(database.db, config, requireUser(request).user.id, 'sms');
        return reply.code(202).send({ message: 'If no code was sent in the last minute, one is on its way.' });
      },
    );

    app.post(
      '/auth/verify-phone/confirm',
      {
        config: { auth: 'user', scope: 'profile:write', rateLimit },
        schema: {
          tags,
          summary: 'Confirm the phone number with the SMS code (5 attempts per code)',
          body: z.object({ code }).meta({ id: 'VerifyPhoneConfirm' }),
          response: { 200: z.object({ verified: z.literal(true) }), ...errors(400, 401, 429) },
        },
      },
      async (request) => {
        await confirmPhone(database.db, requireUser(request).user.id, request.body.code);
        return { verified: true as const };
      },
    );

    app.post(
      '/auth/password-reset/request',
      {
        config: { auth: 'public', rateLimit },
        schema: {
          tags,
          summary: 'Send a reset link (e-mail) or code (SMS)',
          description: 'Answers the same whether or not an account exists.',
          body: z.object({ identifier: z.string().min(1).max(320) }).meta({ id: 'PasswordResetRequest' }),
          response: { 202: resetRequested, ...errors(400, 429) },
        },
      },
      async (request, reply) => {
        const { requestId } = await request.work((w) => requestPasswordReset(w, request.body.identifier));
        return reply.code(202).send({
          message: 'If an account uses this e-mail address or phone number, a reset link or code is on its way.',
          requestId,
        });
      },
    );

    app.post(
      '/auth/password-reset/confirm',
      {
        config: { auth: 'public', rateLimit },
        schema: {
          tags,
          summary: 'Choose a new password; every session of the account is signed out',
          body: resetConfirmBody,
          response: { 204: noContent, ...errors(400, 429) },
        },
      },
      async (request, reply) => {
        const { newPassword: password, ...proof } = request.body;
        await resetPassword(database.db, proof, password);
        return reply.code(204).send(null);
      },
    );
  };
