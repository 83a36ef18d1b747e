import type { FastifyReply } from 'fastify';
import { AppError } from '../lib/errors.ts';

/**
 * A signal that aborts when the connection closes before the response was sent (the client gave up or
 * went away), so that work still waiting for this request can be dropped instead of done for nobody.
 */
export function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableEnded) controller.abort(new AppError('CLIENT_CLOSED_REQUEST'));
  });
  return controller.signal;
}
