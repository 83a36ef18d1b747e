/**
 * Per-IP rate limits for the endpoints attackers hammer (sign-in, registration, verification, reset).
 * In-memory per process; behind several processes, put the same limit in the proxy as well.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { AppError } from '../lib/errors.ts';

export async function registerRateLimit(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', {
        message: `Too many requests. Try again in ${Math.ceil(context.ttl / 1000)} s.`,
        headers: { 'retry-after': String(Math.ceil(context.ttl / 1000)) },
      }),
  });
}

/** Route option: `{ config: { rateLimit: authRateLimit(config) } }`. */
export function authRateLimit(config: Config) {
  return { max: config.authRateLimit.max, timeWindow: config.authRateLimit.windowMs };
}
