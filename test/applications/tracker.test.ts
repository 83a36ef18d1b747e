/** The tracker: the workflow as served, rejection and offers, undoing a withdrawal, re-applying, notes, next steps. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEXT_STATUSES, WITHDRAW_UNDO_DAYS } from '../../src/modules/applications/workflow.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInAdmin, signedInUser } from '../helpers/auth.ts';
import { createCv, createJob } from '../helpers/factories.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

type Headers = Record<string, string>;
const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Headers = {}, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

async function seekerWithApplication() {
  const me = await signedInUser(ctx.database.db);
  const cv = await createCv(ctx.database.db, { userId: me.user.id });
  const job = await createJob(ctx.database.db);
  const res = await api('POST', '/applications', me.headers, { jobId: job.id, cvId: cv.id });
  expect(res.statusCode, res.body).toBe(201);
  return { me, cv, job, id: res.json().id as string };
}

const statusesOf = (body: { history: { status: string }[] }) => body.history.map((h) => h.status);

describe('the workflow as served', () => {
  it('lists every status, the open and final ones, and the allowed moves', async () => {
    const res = await api('GET', '/applications/workflow');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      statuses: ['submitted', 'reviewing', 'interview', 'offer', 'rejected', 'accepted', 'withdrawn'],
      open: ['submitted', 'reviewing', 'interview', 'offer'],
      final: ['rejected', 'accepted'],
      transitions: NEXT_STATUSES,
      withdrawUndoDays: WITHDRAW_UNDO_DAYS,
    });
  });

  it('records a rejection straight after applying, and an offer before accepting', async () => {
    const a = await seekerWithApplication();
    const rejected = await api('PATCH', `/applications/${a.id}/status`, a.me.headers, { status: 'rejected' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(statusesOf(rejected.json())).toEqual(['submitted', 'rejected']);

    const b = await seekerWithApplication();
    for (const status of ['interview', 'offer', 'accepted']) {
      const res = await api('PATCH', `/applications/${b.id}/status`, b.me.headers, { status });
      expect(res.statusCode, res.body).toBe(200);
    }
    const accepted = await api('GET', `/applications/${b.id}`, b.me.headers);
    expect(statusesOf(accepted.json())).toEqual(['submitted', 'interview', 'offer', 'accepted']);
  });

  it('refuses accepting straight from submitted', async () => {
    const a = await seekerWithApplication();
    const res = await api('PATCH', `/applications/${a.id}/status`, a.me.headers, { status: 'accepted' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.allowed).toEqual(NEXT_STATUSES.submitted);
  });
});

describe('undoing a withdrawal', () => {
  it('returns the application to the status it had, recorded in the history', async () => {
    const a = await seekerWithApplication();
    await api('PATCH', `/applications/${a.id}/status`, a.me.headers, { status: 'interview' });
    await api('PATCH', `/applications/${a.id}/status`, a.me.headers, { status: 'withdrawn' });
    const wrong = await api('PATCH', `/applications/${a.id}/status`, a.me.headers, { status: 'reviewing' });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().error.details.allowed).toEqual(['interview']);
    const undo = await api('PATCH', `/applications/${a.id}/status`, a.me.headers, {
      status: 'interview',
      notes: 'Changed my mind',
    });
    expect(undo.statusCode, undo.body).toBe(200);
    expect(statusesOf(undo.json())).toEqual(['submitted', 'interview', 'withdrawn', 'interview']);
    expect(undo.json().history.at(-1).notes).toBe('Changed my mind');
  });

  it('is refused once the grace period is over', async () => {
    const a = await seekerWithApplication();
    await api('PATCH', `/applications/${a.id}/status`, a.me.headers, { status: 'withdrawn' });
    await ctx.database.superuserQuery(
      `update application_status_history set created_at = now() - interval '${WITHDRAW_UNDO_DAYS + 1} days' where application_id = $1`,
      [a.id],
    );
    const res = await api('PATCH', `/applications/${a.id}/status`, a.me.headers, { status: 'submitted' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.allowed).toEqual([]);
  });
});

describe('re-applying after deleting', () => {
  it('archives the deleted application with its history and notes, and accepts a new one — twice over', async () => {
    const a = await seekerWithApplication();
    await api('POST', `/applications/${a.id}/notes`, a.me.headers, { body: 'First try' });
    expect((await api('DELETE', `/applications/${a.id}`, a.me.headers)).statusCode).toBe(204);

    const again = await api('POST', '/applications', a.me.headers, { jobId: a.job.id, cvId: a.cv.id });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().id).not.toBe(a.id);
    expect(statusesOf(again.json())).toEqual(['submitted']);
    expect(again.json().notes).toEqual([]);
    // The deleted one stays invisible to its owner, kept in the archive with its history and notes.
    expect((await api('GET', `/applications/${a.id}`, a.me.headers)).statusCode).toBe(404);
    const archived = await ctx.database.superuserQuery<{ deleted_at: Date | null; history: number; notes: number }>(
      `select deleted_at,
         (select count(*)::int from application_status_history_archive where application_id = $1) as history,
         (select count(*)::int from application_notes where application_id = $1) as notes
       from applications_archive where id = $1`,
      [a.id],
    );
    expect(archived).toEqual([{ deleted_at: expect.any(Date), history: 1, notes: 1 }]);

    // Delete and apply once more: the archive holds both earlier applications.
    await api('DELETE', `/applications/${again.json().id}`, a.me.headers);
    const third = await api('POST', '/applications', a.me.headers, { jobId: a.job.id, cvId: a.cv.id });
    expect(third.statusCode, third.body).toBe(201);
    const [count] = await ctx.database.superuserQuery<{ n: number }>(
      'select count(*)::int as n from applications_archive where job_id = $1 and user_id = $2',
      [a.job.id, a.me.user.id],
    );
    expect(count?.n).toBe(2);
  });

  it('still refuses a second live application', async () => {
    const a = await seekerWithApplication();
    const res = await api('POST', '/applications', a.me.headers, { jobId: a.job.id, cvId: a.cv.id });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('APPLICATION_EXISTS');
  });

  it('lets only one of ten parallel re-applications through', async () => {
    const a = await seekerWithApplication();
    await api('DELETE', `/applications/${a.id}`, a.me.headers);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => api('POST', '/applications', a.me.headers, { jobId: a.job.id, cvId: a.cv.id })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, ...Array(9).fill(409)]);
  });
});

describe('notes and the next step', () => {
  it('adds and deletes notes that are not status changes; others see nothing of them', async () => {
    const a = await seekerWithApplication();
    const added = await api('POST', `/applications/${a.id}/notes`, a.me.headers, { body: '  Called the recruiter  ' });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ body: 'Called the recruiter', authorId: a.me.user.id });
    const detail = (await api('GET', `/applications/${a.id}`, a.me.headers)).json();
    expect(detail.notes).toEqual([added.json()]);
    expect(statusesOf(detail)).toEqual(['submitted']);

    const other = await signedInUser(ctx.database.db);
    expect((await api('POST', `/applications/${a.id}/notes`, other.headers, { body: 'x' })).statusCode).toBe(404);
    expect((await api('DELETE', `/applications/${a.id}/notes/${added.json().id}`, other.headers)).statusCode).toBe(404);
    const rls = await ctx.database.db.transaction(async (tx) => {
      await tx.execute(
        (await import('drizzle-orm'))
          .sql`select set_config('role', 'jobr_app', true), set_config('app.current_user_id', ${other.user.id}, true)`,
      );
      return tx.execute((await import('drizzle-orm')).sql`select count(*)::int as n from application_notes`);
    });
    expect((rls as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(0);

    const admin = await signedInAdmin(ctx.database.db);
    const byAdmin = await api('POST', `/applications/${a.id}/notes`, admin.headers, { body: 'Reviewed by staff' });
    expect(byAdmin.statusCode).toBe(201);

    expect((await api('DELETE', `/applications/${a.id}/notes/${added.json().id}`, a.me.headers)).statusCode).toBe(204);
    expect((await api('DELETE', `/applications/${a.id}/notes/${added.json().id}`, a.me.headers)).statusCode).toBe(404);
    expect((await api('GET', `/applications/${a.id}`, a.me.headers)).json().notes).toHaveLength(1);
  });

  it('refuses empty, over-long and NUL-bearing notes with 400', async () => {
    const a = await seekerWithApplication();
    for (const body of ['', '   ', 'x'.repeat(5_001), 'a\u0000b']) {
      const res = await api('POST', `/applications/${a.id}/notes`, a.me.headers, { body });
      expect(res.statusCode, body.slice(0, 10)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('sets, changes and clears the next step and its date', async () => {
    const a = await seekerWithApplication();
    const at = '2026-12-03T10:00:00.000Z';
    const set = await api('PATCH', `/applications/${a.id}`, a.me.headers, { nextStep: 'Interview', nextStepAt: at });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ nextStep: 'Interview', nextStepAt: at });
    const cleared = await api('PATCH', `/applications/${a.id}`, a.me.headers, { nextStep: null, nextStepAt: null });
    expect(cleared.json()).toMatchObject({ nextStep: null, nextStepAt: null });
    expect((await api('PATCH', `/applications/${a.id}`, a.me.headers, {})).statusCode).toBe(400);
    expect((await api('PATCH', `/applications/${a.id}`, a.me.headers, { nextStepAt: 'soon' })).statusCode).toBe(400);
    expect((await api('PATCH', `/applications/${a.id}`, a.me.headers, { status: 'accepted' })).statusCode).toBe(400);
    const other = await signedInUser(ctx.database.db);
    expect((await api('PATCH', `/applications/${a.id}`, other.headers, { nextStep: 'x' })).statusCode).toBe(404);
  });

  it('removes the notes with the application when its CV is deleted', async () => {
    const a = await seekerWithApplication();
    await api('POST', `/applications/${a.id}/notes`, a.me.headers, { body: 'to go' });
    const res = await api('DELETE', `/cvs/${a.cv.id}?confirm=true`, a.me.headers);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ applicationsDeleted: 1 });
    const [left] = await ctx.database.superuserQuery<{ n: number }>(
      'select count(*)::int as n from application_notes where application_id = $1',
      [a.id],
    );
    expect(left?.n).toBe(0);
  });
});
