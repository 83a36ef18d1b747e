/**
 * Serves the built web app (web/dist) at `/`: hashed assets from /assets with a long cache, and
 * index.html for every other GET that is not an API path, so client-side routes survive a reload
 * (the links in e-mails point at /account/verify-email, /jobs/:id, /applications/:id ...).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const WEB_DIST = join(import.meta.dirname, '..', '..', 'web', 'dist');

/**
 * The app loads only its own files and talks only to its own origin. No inline scripts or styles:
 * Vite emits none, and React sets styles through the DOM, which CSP allows.
 */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const API_PATHS = /^\/(api|healthz|readyz|metrics)(\/|$)/;

/** Registers the web app when it has been built; returns whether it did. */
export async function registerWebApp(app: FastifyInstance, root = WEB_DIST): Promise<boolean> {
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) {
    app.log.warn({ root }, 'web app not built (npm run build:web): serving the API only');
    return false;
  }
  const indexHtml = readFileSync(indexFile);
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: false,
    setHeaders: (reply, path) => {
      void reply.header('content-security-policy', WEB_CSP);
      // File names under assets/ carry a content hash: they never change.
      if (path.includes(`${join(root, 'assets')}`))
        void reply.header('cache-control', 'public, max-age=31536000, immutable');
    },
  });
  const sendIndex = (reply: import('fastify').FastifyReply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', WEB_CSP)
      .send(indexHtml);
  app.get('/', { schema: { hide: true } }, (_request, reply) => sendIndex(reply));
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (API_PATHS.test(path) || /\.[a-z0-9]{1,8}$/i.test(path)) return reply.callNotFound();
    return sendIndex(reply);
  });
  return true;
}
