/**
 * Issue 18, "Many API nodes": two server processes on one PostgreSQL database share everything a user
 * can tell apart — sessions, the per-IP rate limit, CV uploads and their files. (A scheduled task runs
 * once across processes: test/tasks/queue-schedule.test.ts, two pg-boss instances on one database.)
 * PGlite is skipped: its data folder admits one process, so there is no second node to start.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { multipartBody } from '../helpers/documents.ts';
import { type NodeProcess, startNode } from '../helpers/node-process.ts';
import { testDatabaseUrl } from '../helpers/template.ts';

const LIMIT = 6;
let database: TestDatabase;
let a: NodeProcess;
let b: NodeProcess;

beforeAll(async () => {
  if (!testDatabaseUrl) return;
  database = await createTestDatabase();
  const url = (database.db as unknown as { $client: pg.Pool }).$client.options.connectionString ?? '';
  const env = {
    DATABASE_URL: url,
    AUTH_RATE_LIMIT_MAX: String(LIMIT),
    AUTH_RATE_LIMIT_WINDOW_MS: '600000',
    COOKIE_SECRET: 'one-secret-shared-by-every-node-0123456789',
  };
  [a, b] = await Promise.all([startNode(env), startNode(env)]);
}, 300_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.close();
});

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe.skipIf(!testDatabaseUrl)('two API nodes on one database', { timeout: 120_000 }, () => {
  it('accepts on node B a session made on node A', async () => {
    const email = `two.nodes.${Date.now()}@example.test`;
    const reg = await fetch(
      `${a.url}/api/v1/auth/register`,
      json({ name: 'Two Nodes', email, password: 'x'.repeat(12) }),
    );
    expect(reg.status, await reg.clone().text()).toBe(201);
    const { token } = (await reg.json()) as { token: string };
    const me = await fetch(`${b.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe(email);
    // Signing out on B ends the session on A too.
    const out = await fetch(`${b.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.status).toBeLessThan(300);
    expect((await fetch(`${a.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('counts the per-IP sign-in limit across both nodes: the same total, wherever the requests land', async () => {
    const attempt = (node: NodeProcess) =>
      fetch(`${node.url}/api/v1/auth/login`, json({ identifier: 'nobody@example.test', password: 'wrong password!' }));
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await attempt(i % 2 === 0 ? a : b)).status);
    expect(statuses.every((s) => s === 401)).toBe(true);
    // Each node has seen only half the limit; together they have seen all of it.
    const overA = await attempt(a);
    const overB = await attempt(b);
    expect([overA.status, overB.status]).toEqual([429, 429]);
    expect(Number(overB.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('downloads through node B a CV uploaded through node A (each node has its own files folder)', async () => {
    const reg = await fetch(
      `${b.url}/api/v1/auth/register`,
      json({ name: 'Cv Owner', email: `cv.${Date.now()}@example.test`, password: 'y'.repeat(12) }),
    );
    const { token } = (await reg.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    const bytes = Buffer.from('Cv Owner\ncv@example.test\n\nExperience\nData Engineer, Example Corp, 2020 - 2024\n');
    const { payload, headers } = multipartBody({ name: 'cv.txt', type: 'text/plain', bytes });
    const up = await fetch(`${a.url}/api/v1/cvs`, { method: 'POST', headers: { ...auth, ...headers }, body: payload });
    expect(up.status, await up.clone().text()).toBe(201);
    const { id } = (await up.json()) as { id: string };
    const down = await fetch(`${b.url}/api/v1/cvs/${id}/file`, { headers: auth });
    expect(down.status).toBe(200);
    expect(Buffer.from(await down.arrayBuffer()).equals(bytes)).toBe(true);
    // Deleted through B: gone for A as well, file and all.
    expect((await fetch(`${b.url}/api/v1/cvs/${id}`, { method: 'DELETE', headers: auth })).status).toBe(200);
    expect((await fetch(`${a.url}/api/v1/cvs/${id}/file`, { headers: auth })).status).toBe(404);
    expect(await database.superuserQuery('select 1 from stored_files where key = $1', [`cvs/${id}`])).toHaveLength(0);
  });
});
