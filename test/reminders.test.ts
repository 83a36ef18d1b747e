/** Next-step reminders, calendar files and follow-ups. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders, sendFollowUpDigests } from '../src/modules/reminders/reminders.ts';
import { createTestApp, type TestContext } from './helpers/app.ts';
import { signedInUser } from './helpers/auth.ts';
import { createCv, createJob } from './helpers/factories.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

type Headers = Record<string, string>;
const api = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Headers = {}, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
const opts = (now: Date) => ({ now, publicUrl: ctx.config.publicUrl });

async function seekerWithApplication() {
  const me = await signedInUser(ctx.database.db);
  const cv = await createCv(ctx.database.db, { userId: me.user.id });
  const job = await createJob(ctx.database.db, { title: 'Platform Engineer', company: 'Globex' });
  const res = await api('POST', '/applications', me.headers, { jobId: job.id, cvId: cv.id });
  expect(res.statusCode, res.body).toBe(201);
  return { me, id: res.json().id as string };
}

const mailTo = (email: string) =>
  ctx.database.superuserQuery<{ subject: string; body: string }>(
    'select subject, body from outbox_messages where recipient = $1',
    [email],
  );

describe('reminders', () => {
  it('sends a reminder once at the chosen time, with the calendar link, then clears it', async () => {
    const { me, id } = await seekerWithApplication();
    const remindAt = new Date(Date.now() + 3_600_000);
    const nextStepAt = new Date(Date.now() + 86_400_000);
    const set = await api('PATCH', `/applications/${id}`, me.headers, {
      nextStep: 'Technical interview',
      nextStepAt: nextStepAt.toISOString(),
      remindAt: remindAt.toISOString(),
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().remindAt).toBe(remindAt.toISOString());

    expect(await sendDueReminders(ctx.database.db, opts(new Date()))).toEqual({ reminders: 0 });
    expect(await sendDueReminders(ctx.database.db, opts(new Date(remindAt.getTime() + 1000)))).toEqual({
      reminders: 1,
    });
    expect(await sendDueReminders(ctx.database.db, opts(new Date(remindAt.getTime() + 2000)))).toEqual({
      reminders: 0,
    });

    const mail = await mailTo(me.user.email as string);
    expect(mail).toHaveLength(1);
    expect(mail[0]?.subject).toBe('Reminder: Technical interview — Platform Engineer at Globex');
    expect(mail[0]?.body).toContain(`/api/v1/applications/${id}/calendar.ics`);
    expect((await api('GET', `/applications/${id}`, me.headers)).json().remindAt).toBeNull();
    expect((await api('GET', '/notifications', me.headers)).json().data[0]).toMatchObject({ kind: 'reminder' });
  });

  it('keeps reminders in the app only when e-mail reminders are off', async () => {
    const { me, id } = await seekerWithApplication();
    await api('PATCH', '/me/notification-settings', me.headers, { reminderEmail: false });
    const remindAt = new Date(Date.now() + 60_000);
    await api('PATCH', `/applications/${id}`, me.headers, { remindAt: remindAt.toISOString() });
    await sendDueReminders(ctx.database.db, opts(new Date(remindAt.getTime() + 1000)));
    expect(await mailTo(me.user.email as string)).toHaveLength(0);
    expect((await api('GET', '/notifications', me.headers)).json().unread).toBe(1);
  });

  it('refuses reminders in the past or more than a year ahead', async () => {
    const { me, id } = await seekerWithApplication();
    for (const remindAt of [new Date(Date.now() - 60_000), new Date(Date.now() + 400 * 86_400_000), 'tomorrow']) {
      const res = await api('PATCH', `/applications/${id}`, me.headers, { remindAt });
      expect(res.statusCode, String(remindAt)).toBe(400);
    }
  });
});

describe('the calendar file', () => {
  it('is a valid one-event iCalendar for the next step; 409 without a date; 404 for others', async () => {
    const { me, id } = await seekerWithApplication();
    expect((await api('GET', `/applications/${id}/calendar.ics`, me.headers)).json().error.code).toBe('NO_NEXT_STEP');
    await api('PATCH', `/applications/${id}`, me.headers, {
      nextStep: 'Call with the hiring manager, Jo; bring notes',
      nextStepAt: '2026-12-03T10:00:00.000Z',
    });
    const res = await api('GET', `/applications/${id}/calendar.ics`, me.headers);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('DTSTART:20261203T100000Z');
    expect(lines).toContain('DTEND:20261203T110000Z');
    // Long lines are folded (CRLF + space); unfolded, the text is escaped as RFC 5545 says.
    expect(res.body.replaceAll('\r\n ', '')).toContain(
      'SUMMARY:Call with the hiring manager\\, Jo\\; bring notes — Platform Engineer at Globex',
    );
    expect(lines.every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    const other = await signedInUser(ctx.database.db);
    expect((await api('GET', `/applications/${id}/calendar.ics`, other.headers)).statusCode).toBe(404);
  });
});

describe('follow-ups', () => {
  it('lists applications with no response after the follow-up period, and e-mails a weekly digest to those who ask', async () => {
    const { me, id } = await seekerWithApplication();
    expect((await api('GET', '/applications/follow-ups', me.headers)).json().data).toEqual([]);
    await ctx.database.superuserQuery(
      `update applications set submitted_at = now() - interval '20 days' where id = $1`,
      [id],
    );
    const list = (await api('GET', '/applications/follow-ups', me.headers)).json().data;
    expect(list).toEqual([expect.objectContaining({ id, title: 'Platform Engineer', daysWaiting: 20 })]);

    // A response or a planned next step takes it off the list.
    await api('PATCH', `/applications/${id}`, me.headers, {
      nextStepAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect((await api('GET', '/applications/follow-ups', me.headers)).json().data).toEqual([]);
    await api('PATCH', `/applications/${id}`, me.headers, { nextStepAt: null });

    expect(await sendFollowUpDigests(ctx.database.db, opts(new Date()))).toEqual({ digests: 0 });
    await api('PATCH', '/me/notification-settings', me.headers, { followUpDigestEmail: true });
    expect((await sendFollowUpDigests(ctx.database.db, opts(new Date()))).digests).toBeGreaterThanOrEqual(1);
    const mail = await mailTo(me.user.email as string);
    expect(mail.map((m) => m.subject)).toEqual(['1 application needs a follow-up']);
    // Not again within the week.
    await sendFollowUpDigests(ctx.database.db, opts(new Date(Date.now() + 86_400_000)));
    expect(await mailTo(me.user.email as string)).toHaveLength(1);

    const other = await signedInUser(ctx.database.db);
    expect((await api('GET', '/applications/follow-ups', other.headers)).json().data).toEqual([]);
  });
});
