/**
 * Opaque keyset-pagination cursors: the sort key of the last row on a page, base64url-encoded JSON.
 * Clients pass them back untouched; anything that does not decode to the expected shape is a 400.
 */
import type { z } from 'zod';
import { AppError } from './errors.ts';

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T extends z.ZodType>(cursor: string, schema: T): z.infer<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('INVALID_CURSOR');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AppError('INVALID_CURSOR');
  return parsed.data;
}
