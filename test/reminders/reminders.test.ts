/** Next-step reminders, calendar files and follow-ups. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverOutbox } from '../../src/modules/outbox/deliver.ts';
import { smtpTransport } from '../../src/modules/outbox/transports.ts';
import { sendDueReminders, sendFollowUpDigests } from '../../src/modules/reminders/reminders.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInUser } from '../helpers/auth.ts';
import { createCv, createJob } from '../helpers/factories.ts';
import { startFakeSmtp } from '../helpers/fakes.ts';

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

/** The MIME part of a raw message whose Content-Disposition names `filename`, decoded; its headers too. */
function attachmentOf(raw: string, filename: string): { headers: string; content: string } | null {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  if (!boundary) return null;
  for (const part of raw.split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split === -1) continue;
    const headers = part.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
    if (!headers.includes(`filename=${filename}`) && !headers.includes(`filename="${filename}"`)) continue;
    // SMTP dot-stuffing: a line starting with "." was sent as "..".
    const body = part
      .slice(split + 4)
      .replace(/\r\n\.\./g, '\r\n.')
      .replace(/\r\n$/, '');
    const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
    const content =
      encoding === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : encoding === 'quoted-printable'
          ? Buffer.from(
              body
                .replace(/=\r\n/g, '')
                .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
              'latin1',
            ).toString('utf8')
          : body;
    return { headers, content };
  }
  return null;
}

/**
 * A strict reading of an iCalendar file (RFC 5545): CRLF line ends only, lines of at most 75 octets,
 * folded lines unfolded, one VEVENT inside one VCALENDAR, the required properties, UTC date-times and
 * text values with no unescaped comma, semicolon or newline. Returns the properties by name.
 */
function parseIcs(ics: string): Map<string, string> {
  expect(ics.endsWith('\r\n')).toBe(true);
  expect(ics.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  const physical = ics.slice(0, -2).split('\r\n');
  for (const line of physical) expect(Buffer.byteLength(line), line).toBeLessThanOrEqual(75);
  const lines = ics
    .slice(0, -2)
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n');
  expect(lines[0]).toBe('BEGIN:VCALENDAR');
  expect(lines.at(-1)).toBe('END:VCALENDAR');
  expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
  const props = new Map<string, string>();
  for (const line of lines) {
    const match = /^([A-Z-]+)(;[^:]*)?:(.*)$/.exec(line);
    expect(match, line).not.toBeNull();
    const [, name = '', , value = ''] = match ?? [];
    if (name !== 'BEGIN' && name !== 'END') props.set(name, value);
  }
  for (const required of ['VERSION', 'PRODID', 'METHOD', 'UID', 'DTSTAMP', 'DTSTART', 'SUMMARY']) {
    expect(props.has(required), required).toBe(true);
  }
  expect(props.get('VERSION')).toBe('2.0');
  for (const dt of ['DTSTAMP', 'DTSTART', 'DTEND']) expect(props.get(dt)).toMatch(/^\d{8}T\d{6}Z$/);
  for (const text of ['SUMMARY', 'DESCRIPTION']) {
    // Every comma, semicolon and backslash is escaped; no raw newline survives.
    expect((props.get(text) ?? '').replace(/\\[\\;,nN]/g, '')).not.toMatch(/[\\;,]/);
  }
  return props;
}

describe('the reminder e-mail', () => {
  it('carries the next step as interview.ics (text/calendar, method PUBLISH), delivered by SMTP and valid RFC 5545', async () => {
    const smtp = await startFakeSmtp();
    try {
      const { me, id } = await seekerWithApplication();
      const remindAt = new Date(Date.now() + 3_600_000);
      const nextStep = 'Interview with Jo, Sam; the whole team — bring a laptop and a long, long list of questions';
      await api('PATCH', `/applications/${id}`, me.headers, {
        nextStep,
        nextStepAt: '2026-12-03T10:30:00.000Z',
        remindAt: remindAt.toISOString(),
      });
      const sentAt = new Date(remindAt.getTime() + 1000);
      expect(await sendDueReminders(ctx.database.db, opts(sentAt))).toEqual({ reminders: 1 });

      // Waiting in the outbox, the attachment is recorded with the message.
      const [queued] = await ctx.database.superuserQuery<{ id: string; attachments: Array<{ filename: string }> }>(
        'select id, attachments from outbox_messages where recipient = $1',
        [me.user.email],
      );
      expect(queued?.attachments.map((a) => a.filename)).toEqual(['interview.ics']);

      const transports = { email: smtpTransport(smtp.url, 'jobr@example.test'), sms: null };
      const report = await deliverOutbox(ctx.database.db, transports, new Date(Date.now() + 60_000), [
        queued?.id as string,
      ]);
      expect(report.sent).toBe(1);
      const mail = smtp.mails.find((m) => m.to.includes(me.user.email as string));
      expect(mail).toBeDefined();
      const attachment = attachmentOf(mail?.data ?? '', 'interview.ics');
      expect(attachment, 'interview.ics attached').not.toBeNull();
      expect(attachment?.headers).toMatch(/content-type:\s*text\/calendar/i);
      expect(attachment?.headers).toMatch(/method=PUBLISH/i);
      expect(attachment?.headers).toMatch(/content-disposition:\s*attachment/i);

      const props = parseIcs(attachment?.content ?? '');
      expect(props.get('METHOD')).toBe('PUBLISH');
      expect(props.get('UID')).toBe(`${id}-next-step@jobr`);
      expect(props.get('DTSTART')).toBe('20261203T103000Z');
      expect(props.get('DTEND')).toBe('20261203T113000Z');
      expect(props.get('DTSTAMP')).toBe(
        sentAt
          .toISOString()
          .replace(/[-:]/g, '')
          .replace(/\.\d{3}/, ''),
      );
      expect(props.get('SUMMARY')).toBe(
        'Interview with Jo\\, Sam\\; the whole team — bring a laptop and a long\\, long list of questions — Platform Engineer at Globex',
      );

      // Delivered, the attachment is cleared with the body.
      const [after] = await ctx.database.superuserQuery<{ status: string; attachments: unknown[] }>(
        'select status, attachments from outbox_messages where id = $1',
        [queued?.id],
      );
      expect(after).toEqual({ status: 'sent', attachments: [] });
    } finally {
      await smtp.close();
    }
  });

  it('has no attachment when the next step has no date', async () => {
    const { me, id } = await seekerWithApplication();
    const remindAt = new Date(Date.now() + 60_000);
    await api('PATCH', `/applications/${id}`, me.headers, {
      nextStep: 'Send portfolio',
      remindAt: remindAt.toISOString(),
    });
    await sendDueReminders(ctx.database.db, opts(new Date(remindAt.getTime() + 1000)));
    const rows = await ctx.database.superuserQuery<{ attachments: unknown[] }>(
      'select attachments from outbox_messages where recipient = $1',
      [me.user.email],
    );
    expect(rows).toEqual([{ attachments: [] }]);
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
