/**
 * Per-IP rate limits for the endpoints attackers hammer (sign-in, registration, verification, reset).
 * The counters live in the database (rate-limit-store.ts): every API node counts against the same limit.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { databaseRateLimitStore } from './rate-limit-store.ts';

export async function registerRateLimit(app: FastifyInstance, db: Db): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    store: databaseRateLimitStore(db),
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
