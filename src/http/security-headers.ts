import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Helmet's response headers, computed once. Without a Content-Security-Policy (the API serves JSON, the
 * web app's pages send their own, and the reference at /api/docs needs its inline scripts and styles),
 * every header helmet writes depends on its options only, never on the request: running its middleware
 * on every request (an async hook, one `setHeader` call per header) repeated the same work (decision 027).
 */
export function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet({ contentSecurityPolicy: false })({} as IncomingMessage, response as unknown as ServerResponse, (err) => {
    if (err) throw err;
  });
  return headers;
}

/** Every reply carries helmet's headers and the request's id. */
export function registerResponseHeaders(app: FastifyInstance): void {
  const headers = securityHeaders();
  app.addHook('onRequest', (request, reply, done) => {
    void reply.headers(headers).header('x-request-id', request.id);
    done();
  });
}
