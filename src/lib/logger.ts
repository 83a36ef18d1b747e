import pino, { type Logger, type LoggerOptions } from 'pino';
import type { Config } from '../config.ts';

/**
 * Secrets and personal data never reach the log: these paths are replaced wherever they appear.
 * Request bodies are not logged at all; this list is the second line of defence.
 */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  // @fastify/multipart logs the request headers it hands to busboy (trace level): with the credentials.
  '*.headers.authorization',
  '*.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.apiKey',
  '*.key',
  '*.sessionToken',
  '*.parsedContent',
];

export function loggerOptions(config: Pick<Config, 'logLevel' | 'env'>): LoggerOptions {
  return {
    level: config.logLevel,
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { service: 'jobr' },
  };
}

export function createLogger(config: Pick<Config, 'logLevel' | 'env'>): Logger {
  return pino(loggerOptions(config));
}
