import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable, pgError } from '../lib/db-errors.ts';
import { AppError, defaultMessage, type ErrorCode, statusOf } from '../lib/errors.ts';

export type ErrorBody = { error: { code: ErrorCode; message: string; details?: unknown; requestId: string } };

/** Fastify's own errors that are the client's fault, by Fastify error code. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_PARTS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
  FST_ERR_BAD_URL: 'BAD_REQUEST',
};

export function toAppError(err: FastifyError): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const details = err.validation.map((v) => ({
      path: [err.validationContext ?? 'body', ...v.instancePath.split('/').filter(Boolean)].join('.'),
      message: v.message,
    }));
    return new AppError('VALIDATION_FAILED', { details });
  }
  const mapped = err.code ? fastifyCodes[err.code] : undefined;
  if (mapped) return new AppError(mapped, { message: mapped === 'BAD_REQUEST' ? err.message : undefined });
  if (err.statusCode === 429) return new AppError('RATE_LIMITED', { message: err.message });
  // JSON syntax errors and similar body-parser failures carry a 4xx statusCode.
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError('BAD_REQUEST', { message: err.message });
  }
  if (isDatabaseUnavailable(err)) return new AppError('DATABASE_UNAVAILABLE', { cause: err });
  // A constraint the domain code did not anticipate is still the client's conflict, not our crash.
  const pg = pgError(err);
  if (pg?.code === '23505') return new AppError('CONFLICT', { cause: err });
  // Class 22 (data exception): a value the database cannot take, such as a NUL character in text.
  if (pg?.code?.startsWith('22')) {
    return new AppError('VALIDATION_FAILED', { message: 'A value in the request cannot be stored.', cause: err });
  }
  // Insufficient privilege: the database refused what the application should have refused first.
  if (pg?.code === '42501') return new AppError('FORBIDDEN', { cause: err });
  if (pg?.code === '57014')
    return new AppError('SERVICE_UNAVAILABLE', { message: 'The request took too long.', cause: err });
  return new AppError('INTERNAL', { cause: err });
}

/** Renders any error in the one error format; 5xx causes go to the log, never to the client. */
export function sendError(rawError: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const error = toAppError(rawError);
  if (error.status >= 500) {
    // The original error (with its stack) goes to the log only; the client gets the request id.
    request.log.error({ err: rawError, code: error.code }, 'request failed');
  } else if (isResponseSerializationError(rawError)) {
    request.log.error({ err: rawError }, 'response did not match its schema');
  }
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: error.status >= 500 ? defaultMessage(error.code) : error.message,
      ...(error.details !== undefined && error.status < 500 ? { details: error.details } : {}),
      requestId: request.id,
    },
  };
  if (error.headers) void reply.headers(error.headers);
  void reply.status(statusOf(error.code)).send(body);
}

/** A route's path as a pattern over concrete paths: `/jobs/:id` matches `/jobs/<anything but a slash>`. */
function pathPattern(url: string): RegExp {
  const parts = url
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${parts.join('/')}$`);
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler(sendError);

  // Known paths and their methods, so that a wrong method gets 405 with an Allow header, not a 404.
  const routes: { pattern: RegExp; method: string }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ pattern: pathPattern(route.url), method });
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))];
    if (allowed.length > 0) {
      void reply.header('allow', allowed.join(', '));
      void reply.status(405).send({
        error: {
          code: 'METHOD_NOT_ALLOWED',
          message: defaultMessage('METHOD_NOT_ALLOWED'),
          details: { allowed },
          requestId: request.id,
        },
      } satisfies ErrorBody);
      return;
    }
    const body: ErrorBody = {
      error: { code: 'ROUTE_NOT_FOUND', message: defaultMessage('ROUTE_NOT_FOUND'), requestId: request.id },
    };
    void reply.status(404).send(body);
  });
}
