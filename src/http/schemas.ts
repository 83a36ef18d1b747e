import { z } from 'zod';

/** The one error shape every endpoint returns (OpenAPI component). */
export const errorResponse = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable machine-readable code; see docs/api-errors.md' }),
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'Error' });

/** Response map entries for the usual error statuses of an endpoint. */
export const errors = (...statuses: Array<400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 502 | 503>) =>
  Object.fromEntries(statuses.map((s) => [s, errorResponse])) as Record<number, typeof errorResponse>;

/** Response entry for `204 No Content`. */
export const noContent = z.null().meta({ description: 'No content' });

/** A query parameter that takes several values: `a,b` or repeated (`?x=a&x=b`). */
export const commaList = <T extends z.ZodType>(item: T, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',') : Array.isArray(v) ? v.flatMap((s) => String(s).split(',')) : v),
    z.array(item).min(1).max(max),
  );

/** Text a person typed: trimmed, not empty, at most `max` characters, no NUL (PostgreSQL refuses it). */
export const userText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'Must not contain NUL characters.');

const MAX_PAGE_SIZE = 100;

/** The query parameters of every keyset-paginated list: pass `nextCursor` back as `cursor`. */
export const pageParams = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
  cursor: z.string().max(500).optional(),
};
