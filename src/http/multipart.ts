/**
 * Reading multipart/form-data uploads. Every multipart route reads its body through here so that a
 * malformed body (no boundary, a truncated body, garbage part headers) is the client's 400, not our
 * 500: the multipart parser (busboy) reports those as plain Errors without a status or code, which
 * the error handler cannot tell apart from a bug. Limit errors keep their own codes (413).
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';

export type UploadedFile = { fileName: string; contentType: string; bytes: Buffer };

function malformed(err: unknown): unknown {
  if (err instanceof AppError) return err;
  // Fastify/multipart errors with a status (file too large, too many parts, not multipart) are mapped
  // by the error handler already.
  const status = (err as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status < 500) return err;
  return new AppError('BAD_REQUEST', {
    message: 'The multipart body is malformed (missing boundary, truncated, or unreadable part headers).',
    cause: err,
  });
}

/** The one file part of the request, read whole; undefined when the body holds no file part. */
export async function readSingleFile(request: FastifyRequest): Promise<UploadedFile | undefined> {
  try {
    const part = await request.file();
    if (!part) return undefined;
    return { fileName: part.filename, contentType: part.mimetype, bytes: await part.toBuffer() };
  } catch (err) {
    throw malformed(err);
  }
}
