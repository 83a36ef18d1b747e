/** Serving the built web app: files, the SPA fallback for client routes, CSP, and API 404s left alone. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWebApp, WEB_CSP } from '../../src/http/web-app.ts';

describe('web app serving', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'jobr-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Jobr</title><div id="root"></div>');
    writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    app = Fastify();
    app.get('/api/v1/jobs', async () => ({ data: [] }));
    app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: { code: 'ROUTE_NOT_FOUND' } }));
    expect(await registerWebApp(app, root)).toBe(true);
    await app.ready();
  });
  afterAll(() => app.close());

  it.each(['/', '/jobs/4f1c', '/account/verify-email', '/applications/x?view=follow-up'])(
    'answers the app page for %s with a strict CSP',
    async (url) => {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['content-security-policy']).toBe(WEB_CSP);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="root">');
    },
  );

  it('serves hashed assets with a long cache', async () => {
    const res = await app.inject({ url: '/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('leaves unknown API paths, missing files and other methods to the JSON 404', async () => {
    for (const url of ['/api/v1/nope', '/api', '/healthz/x', '/assets/missing.js', '/favicon.ico']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('ROUTE_NOT_FOUND');
    }
    expect((await app.inject({ method: 'POST', url: '/jobs/x' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/jobs' })).json()).toEqual({ data: [] });
  });

  it('is skipped when the app is not built', async () => {
    const bare = Fastify({ logger: false });
    expect(await registerWebApp(bare, join(tmpdir(), 'no-such-dist'))).toBe(false);
    await bare.close();
  });
});
