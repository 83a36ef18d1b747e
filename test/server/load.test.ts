/**
 * Many requests at once, as a busy morning looks: searches, job pages, bookmarks, uploads and
 * applications from several users in parallel. Nothing may fail with a 5xx, and the data must add up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInUser } from '../helpers/auth.ts';
import { multipartBody } from '../helpers/documents.ts';
import { createJob } from '../helpers/factories.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

describe('under load', () => {
  it('answers 300 concurrent mixed requests without a 5xx, and every application and bookmark adds up', async () => {
    const jobs = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        createJob(ctx.database.db, { title: `Engineer ${i}`, description: 'Build and run services.' }),
      ),
    );
    const users = await Promise.all(Array.from({ length: 10 }, () => signedInUser(ctx.database.db)));
    const cvFile = {
      name: 'cv.txt',
      type: 'text/plain',
      bytes: Buffer.from('Load Tester\nload@example.test\nSkills\nNode.js, SQL, Docker, Kubernetes, TypeScript'),
    };
    const cvs = await Promise.all(
      users.map(async (u) => {
        const { payload, headers } = multipartBody(cvFile);
        return (
          await ctx.app.inject({ method: 'POST', url: '/api/v1/cvs', headers: { ...u.headers, ...headers }, payload })
        ).json().id as string;
      }),
    );

    const requests = Array.from({ length: 300 }, (_, i) => {
      const user = users[Math.floor(i / 5) % users.length] as (typeof users)[number];
      const job = jobs[i % jobs.length] as (typeof jobs)[number];
      switch (i % 5) {
        case 0:
          return ctx.app.inject({ method: 'GET', url: `/api/v1/jobs?q=engineer&limit=5&remote=false` });
        case 1:
          return ctx.app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}`, headers: user.headers });
        case 2:
          return ctx.app.inject({ method: 'PUT', url: `/api/v1/jobs/${job.id}/bookmark`, headers: user.headers });
        case 3:
          return ctx.app.inject({
            method: 'POST',
            url: '/api/v1/applications',
            headers: user.headers,
            payload: { jobId: job.id, cvId: cvs[Math.floor(i / 5) % users.length] },
          });
        default:
          return ctx.app.inject({ method: 'GET', url: '/api/v1/applications/stats', headers: user.headers });
      }
    });
    const responses = await Promise.all(requests);
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    // Applications: each (user, job) pair is tried several times; exactly one of each succeeded.
    const applied = responses.filter((_, i) => i % 5 === 3);
    expect(applied.every((r) => r.statusCode === 201 || r.json().error.code === 'APPLICATION_EXISTS')).toBe(true);
    const pairsOf = (kind: number) =>
      new Set(
        Array.from({ length: 300 }, (_, i) => i)
          .filter((i) => i % 5 === kind)
          .map((i) => `${Math.floor(i / 5) % users.length}:${i % jobs.length}`),
      );
    const pairs = pairsOf(3);
    expect(pairs.size).toBe(10); // each (user, job) pair tried six times, in parallel
    expect(applied.filter((r) => r.statusCode === 201)).toHaveLength(pairs.size);
    const [counts] = await ctx.database.superuserQuery<{ apps: number; history: number; bookmarks: number }>(
      `select (select count(*) from applications)::int as apps,
              (select count(*) from application_status_history)::int as history,
              (select count(*) from job_bookmarks)::int as bookmarks`,
    );
    expect(counts).toEqual({
      apps: pairs.size,
      history: pairs.size,
      bookmarks: pairsOf(2).size,
    });
  }, 120_000);
});
