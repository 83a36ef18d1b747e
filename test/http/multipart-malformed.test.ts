/**
 * Malformed multipart bodies are the client's mistake: 400 in the one error format, never a 500.
 * Every route that consumes multipart/form-data (found in the OpenAPI document, so a new one is
 * covered without editing this file) gets a body without a boundary, a truncated body, a body whose
 * boundary never appears, and garbage part headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInAdmin } from '../helpers/auth.ts';

let ctx: TestContext & { close(): Promise<void> };
let headers: Record<string, string>;
let routes: { method: string; url: string }[];
beforeAll(async () => {
  ctx = await createTestApp();
  headers = (await signedInAdmin(ctx.database.db)).headers;
  const doc = ctx.app.swagger() as {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>>;
  };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([, op]) => op.requestBody?.content?.['multipart/form-data'])
      .map(([method, _op]) => ({ method: method.toUpperCase(), url: path })),
  );
});
afterAll(async () => ctx?.close());

const boundary = 'jobrboundary123';
const part = (body: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cv.txt"\r\nContent-Type: text/plain\r\n\r\n${body}`;

const malformed: [string, string, string][] = [
  ['no boundary', 'multipart/form-data', part('hello')],
  ['an empty boundary', 'multipart/form-data; boundary=', part('hello')],
  ['a truncated body', `multipart/form-data; boundary=${boundary}`, part('Experienced engineer, trunc')],
  ['a boundary that never appears', `multipart/form-data; boundary=${boundary}`, 'just some bytes\r\n'],
  ['garbage part headers', `multipart/form-data; boundary=${boundary}`, `--${boundary}\r\n\u0000\u0001\r\n\r\n`],
  ['only the closing delimiter', `multipart/form-data; boundary=${boundary}`, `--${boundary}--\r\n`],
];

describe('malformed multipart', () => {
  it('finds the multipart routes', () => {
    expect(routes.length).toBeGreaterThan(0);
  });

  it.each(malformed)('answers 400 to %s on every multipart route', async (_name, contentType, payload) => {
    for (const route of routes) {
      const res = await ctx.app.inject({
        method: route.method as 'POST',
        url: route.url,
        headers: { ...headers, 'content-type': contentType },
        payload,
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(400);
      expect(['BAD_REQUEST', 'VALIDATION_FAILED']).toContain(res.json().error.code);
    }
  });
});
