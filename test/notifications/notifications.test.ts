/** Notifications: a seeker hears when someone else moves their application, as they chose; nobody else sees it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys } from '../../src/db/schema/index.ts';
import { generateApiKey } from '../../src/lib/tokens.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInAdmin, signedInUser } from '../helpers/auth.ts';
import { createCv, createJob } from '../helpers/factories.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

type Headers = Record<string, string>;
const api = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Headers = {}, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

async function seekerWithApplication() {
  const me = await signedInUser(ctx.database.db);
  const cv = await createCv(ctx.database.db, { userId: me.user.id });
  const job = await createJob(ctx.database.db, { title: 'Data Engineer', company: 'Acme Analytics' });
  const res = await api('POST', '/applications', me.headers, { jobId: job.id, cvId: cv.id });
  expect(res.statusCode, res.body).toBe(201);
  return { me, id: res.json().id as string };
}

const outboxFor = (email: string) =>
  ctx.database.superuserQuery<{ subject: string; body: string }>(
    'select subject, body from outbox_messages where recipient = $1 order by created_at',
    [email],
  );

describe('status-change notifications', () => {
  it('tells the seeker in the app and by e-mail when an administrator moves their application', async () => {
    const { me, id } = await seekerWithApplication();
    const admin = await signedInAdmin(ctx.database.db);
    const moved = await api('PATCH', `/applications/${id}/status`, admin.headers, {
      status: 'interview',
      notes: 'Please pick a slot',
    });
    expect(moved.statusCode, moved.body).toBe(200);

    const list = await api('GET', '/notifications', me.headers);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({
      unread: 1,
      data: [
        {
          kind: 'application_status',
          title: 'Your application for Data Engineer at Acme Analytics is at the interview stage',
          link: `/applications/${id}`,
          readAt: null,
        },
      ],
    });
    // The badge count is on /me too, so a page can show it without listing notifications.
    expect((await api('GET', '/me', me.headers)).json().unreadNotifications).toBe(1);
    const mail = await outboxFor(me.user.email as string);
    expect(mail).toHaveLength(1);
    expect(mail[0]?.subject).toContain('Data Engineer at Acme Analytics');
    expect(mail[0]?.body).toContain('Please pick a slot');
    expect(mail[0]?.body).toContain(`/applications/${id}`);
  });

  it('also when the seeker’s own API key moves it, but not when the seeker does it in the app', async () => {
    const { me, id } = await seekerWithApplication();
    await api('PATCH', `/applications/${id}/status`, me.headers, { status: 'reviewing' });
    expect((await api('GET', '/notifications', me.headers)).json().unread).toBe(0);

    const { key, prefix, hash } = generateApiKey();
    await ctx.database.db
      .insert(apiKeys)
      .values({ userId: me.user.id, name: 'sync', permissions: ['applications:write'], keyHash: hash, prefix });
    const res = await api(
      'PATCH',
      `/applications/${id}/status`,
      { authorization: `Bearer ${key}` },
      { status: 'interview' },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect((await api('GET', '/notifications', me.headers)).json().unread).toBe(1);
  });

  it('respects the settings: no e-mail, or nothing at all', async () => {
    const { me, id } = await seekerWithApplication();
    const set = await api('PATCH', '/me/notification-settings', me.headers, { statusChangeEmail: false });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ statusChangeEmail: false, statusChangeInApp: true, followUpAfterDays: 14 });
    const admin = await signedInAdmin(ctx.database.db);
    await api('PATCH', `/applications/${id}/status`, admin.headers, { status: 'reviewing' });
    expect((await api('GET', '/notifications', me.headers)).json().unread).toBe(1);
    expect(await outboxFor(me.user.email as string)).toHaveLength(0);

    await api('PATCH', '/me/notification-settings', me.headers, { statusChangeInApp: false });
    await api('PATCH', `/applications/${id}/status`, admin.headers, { status: 'interview' });
    expect((await api('GET', '/notifications', me.headers)).json().unread).toBe(1);
  });

  it('is not written when the change fails', async () => {
    const { me, id } = await seekerWithApplication();
    const admin = await signedInAdmin(ctx.database.db);
    const refused = await api('PATCH', `/applications/${id}/status`, admin.headers, { status: 'accepted' });
    expect(refused.statusCode).toBe(409);
    expect((await api('GET', '/notifications', me.headers)).json().unread).toBe(0);
  });
});

describe('reading notifications', () => {
  it('marks chosen ones or all read; another user’s ids change nothing and their list is empty', async () => {
    const { me, id } = await seekerWithApplication();
    const admin = await signedInAdmin(ctx.database.db);
    await api('PATCH', `/applications/${id}/status`, admin.headers, { status: 'reviewing' });
    await api('PATCH', `/applications/${id}/status`, admin.headers, { status: 'interview' });
    const [first, second] = (await api('GET', '/notifications', me.headers)).json().data;

    const other = await signedInUser(ctx.database.db);
    expect((await api('GET', '/notifications', other.headers)).json()).toEqual({
      data: [],
      nextCursor: null,
      unread: 0,
    });
    expect((await api('POST', '/notifications/read', other.headers, { ids: [first.id] })).json()).toEqual({
      marked: 0,
    });

    expect((await api('POST', '/notifications/read', me.headers, { ids: [first.id] })).json()).toEqual({ marked: 1 });
    const unread = await api('GET', '/notifications?unread=true', me.headers);
    expect(unread.json().data.map((n: { id: string }) => n.id)).toEqual([second.id]);
    expect((await api('POST', '/notifications/read', me.headers, { all: true })).json()).toEqual({ marked: 1 });
    expect((await api('GET', '/notifications', me.headers)).json().unread).toBe(0);
  });

  it('pages with a cursor and refuses bad input', async () => {
    const { me, id } = await seekerWithApplication();
    const admin = await signedInAdmin(ctx.database.db);
    for (const status of ['reviewing', 'interview', 'offer']) {
      await api('PATCH', `/applications/${id}/status`, admin.headers, { status });
    }
    const page1 = (await api('GET', '/notifications?limit=2', me.headers)).json();
    const page2 = (await api('GET', `/notifications?limit=2&cursor=${page1.nextCursor}`, me.headers)).json();
    expect(page1.data).toHaveLength(2);
    expect(page2.data).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    expect((await api('GET', '/notifications?cursor=nope', me.headers)).statusCode).toBe(400);
    expect((await api('POST', '/notifications/read', me.headers, { ids: [] })).statusCode).toBe(400);
    expect((await api('POST', '/notifications/read', me.headers, { all: false })).statusCode).toBe(400);
    expect((await api('PATCH', '/me/notification-settings', me.headers, { followUpAfterDays: 0 })).statusCode).toBe(
      400,
    );
    expect((await api('PATCH', '/me/notification-settings', me.headers, {})).statusCode).toBe(400);
    expect((await api('GET', '/notifications')).statusCode).toBe(401);
  });
});
