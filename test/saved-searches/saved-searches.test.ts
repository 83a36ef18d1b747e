/** Saved searches and job alerts: CRUD, validation, limits, each new job sent once, unforgeable unsubscribe links. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAlerts } from '../../src/modules/saved-searches/alerts.ts';
import { MAX_SAVED_SEARCHES, unsubscribeToken } from '../../src/modules/saved-searches/saved-searches.service.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInUser } from '../helpers/auth.ts';
import { createJob } from '../helpers/factories.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

type Headers = Record<string, string>;
const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Headers = {}, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

const runAt = (now: Date) =>
  runAlerts(ctx.database.db, { now, publicUrl: ctx.config.publicUrl, secret: ctx.config.cookieSecret });
const later = (ms: number) => new Date(Date.now() + ms);

async function save(headers: Headers, body: object) {
  const res = await api('POST', '/saved-searches', headers, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('saved searches', () => {
  it('creates, lists, reads, changes and deletes your own; others get 404', async () => {
    const me = await signedInUser(ctx.database.db);
    const created = await save(me.headers, { name: 'Rust remote', query: { q: 'rust', remote: 'true' } });
    expect(created).toMatchObject({ name: 'Rust remote', query: { q: 'rust', remote: 'true' }, frequency: 'daily' });
    expect((await api('GET', '/saved-searches', me.headers)).json().data).toEqual([created]);
    const changed = await api('PATCH', `/saved-searches/${created.id}`, me.headers, { frequency: 'weekly' });
    expect(changed.json()).toMatchObject({ frequency: 'weekly', name: 'Rust remote' });

    const other = await signedInUser(ctx.database.db);
    expect((await api('GET', '/saved-searches', other.headers)).json().data).toEqual([]);
    for (const method of ['GET', 'DELETE'] as const) {
      expect((await api(method, `/saved-searches/${created.id}`, other.headers)).statusCode).toBe(404);
    }
    expect((await api('PATCH', `/saved-searches/${created.id}`, other.headers, { name: 'x' })).statusCode).toBe(404);

    expect((await api('DELETE', `/saved-searches/${created.id}`, me.headers)).statusCode).toBe(204);
    expect((await api('GET', `/saved-searches/${created.id}`, me.headers)).statusCode).toBe(404);
  });

  it('validates the search as GET /jobs would and names the field', async () => {
    const me = await signedInUser(ctx.database.db);
    const cases = [
      [{ salaryMin: 50000 }, 'query.currency'],
      [{ experienceLevel: 'wizard' }, 'query.experienceLevel'],
      [{ cursor: 'abc' }, 'query.cursor'],
      [{ nonsense: 1 }, 'query.nonsense'],
    ] as const;
    for (const [query, path] of cases) {
      const res = await api('POST', '/saved-searches', me.headers, { name: 'x', query });
      expect(res.statusCode, JSON.stringify(query)).toBe(400);
      const paths: string[] = res.json().error.details.map((d: { path: string }) => d.path);
      expect(paths.some((p) => p === path || p.startsWith(`${path}.`))).toBe(true);
    }
    expect((await api('POST', '/saved-searches', me.headers, { name: '', query: {} })).statusCode).toBe(400);
    expect(
      (await api('POST', '/saved-searches', me.headers, { name: 'x', query: {}, frequency: 'hourly' })).statusCode,
    ).toBe(400);
    expect((await api('POST', '/saved-searches', {}, { name: 'x', query: {} })).statusCode).toBe(401);
  });

  it(`keeps at most ${MAX_SAVED_SEARCHES} per user, also when requests race`, async () => {
    const me = await signedInUser(ctx.database.db);
    const results = await Promise.all(
      Array.from({ length: MAX_SAVED_SEARCHES + 5 }, (_, i) =>
        api('POST', '/saved-searches', me.headers, { name: `s${i}`, query: {} }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(MAX_SAVED_SEARCHES);
    const refused = results.filter((r) => r.statusCode === 409);
    expect(refused).toHaveLength(5);
    expect(refused[0]?.json().error).toMatchObject({
      code: 'SAVED_SEARCH_LIMIT',
      details: { limit: MAX_SAVED_SEARCHES },
    });
  });
});

describe('job alerts', () => {
  it('sends new matching jobs once, grouped in one message per user, in the app and by e-mail', async () => {
    const me = await signedInUser(ctx.database.db);
    const word = `zyxlang${Date.now()}`;
    await save(me.headers, { name: 'Zyx jobs', query: { q: word }, frequency: 'instant' });
    await save(me.headers, { name: 'Zyx remote', query: { q: word, remote: 'true' }, frequency: 'instant' });
    const onsite = await createJob(ctx.database.db, { title: `${word} developer`, remote: false });
    const remote = await createJob(ctx.database.db, { title: `Senior ${word} engineer`, remote: true });
    await createJob(ctx.database.db, { title: 'Unrelated role' });

    const first = await runAt(later(1000));
    expect(first).toMatchObject({ jobs: 3, messages: 1 });
    const mail = await ctx.database.superuserQuery<{ subject: string; body: string }>(
      'select subject, body from outbox_messages where recipient = $1',
      [me.user.email],
    );
    expect(mail).toHaveLength(1);
    expect(mail[0]?.subject).toBe('3 new jobs for "Zyx jobs", "Zyx remote"');
    expect(mail[0]?.body).toContain(`/jobs/${onsite.id}`);
    expect(mail[0]?.body).toContain(`/jobs/${remote.id}`);
    expect(mail[0]?.body).toContain('/api/v1/saved-searches/unsubscribe?token=');
    expect((await api('GET', '/notifications', me.headers)).json().data[0]).toMatchObject({ kind: 'job_alert' });

    // A second run, and a run whose window overlaps the first, send nothing again.
    expect(await runAt(later(2000))).toMatchObject({ jobs: 0, messages: 0 });
    await ctx.database.superuserQuery(
      `update saved_searches set alerted_until = now() - interval '1 hour' where user_id = $1`,
      [me.user.id],
    );
    expect(await runAt(later(3000))).toMatchObject({ jobs: 0, messages: 0 });
  });

  it("writes a batch's messages together: each seeker their own, with their own unsubscribe links and delivery job", async () => {
    const word = `bulklang${Date.now()}`;
    const seekers = [];
    for (let i = 0; i < 12; i++) {
      const seeker = await signedInUser(ctx.database.db);
      const search = await save(seeker.headers, { name: `Bulk ${i}`, query: { q: word }, frequency: 'instant' });
      seekers.push({ ...seeker, search });
    }
    // A seeker with a phone number and no e-mail address: told in the app only.
    const phoneOnly = await signedInUser(ctx.database.db, {
      email: null,
      phoneNumber: `+4477009${Date.now() % 100000}`,
    });
    await save(phoneOnly.headers, { name: 'Bulk by phone', query: { q: word }, frequency: 'instant' });
    const job = await createJob(ctx.database.db, { title: `${word} engineer` });

    expect(await runAt(later(1000))).toMatchObject({ jobs: 13, messages: 13 });
    const recipients = seekers.map((s) => s.user.email);
    const mail = await ctx.database.superuserQuery<{ id: string; recipient: string; subject: string; body: string }>(
      'select id, recipient, subject, body from outbox_messages where recipient = any($1)',
      [recipients],
    );
    expect(mail.map((m) => m.recipient).sort()).toEqual([...recipients].sort());
    for (const seeker of seekers) {
      const message = mail.find((m) => m.recipient === seeker.user.email);
      expect(message?.subject).toBe(`1 new job for "${seeker.search.name}"`);
      expect(message?.body).toContain(`/jobs/${job.id}`);
      // The link stops this seeker's own search, and no one else's is in their message.
      const token = unsubscribeToken(seeker.search.id, ctx.config.cookieSecret);
      expect(message?.body).toContain(`unsubscribe?token=${encodeURIComponent(token)}`);
      expect(message?.body.match(/unsubscribe\?token=/g)).toHaveLength(1);
      const notes = (await api('GET', '/notifications', seeker.headers)).json().data;
      expect(notes).toEqual([expect.objectContaining({ kind: 'job_alert', title: message?.subject })]);
    }
    // One delivery job per message, carrying its id.
    const jobs = await ctx.database.superuserQuery<{ id: string }>(
      `select data ->> 'messageId' as id from pgboss.job where name = 'outbox-deliver' and data ->> 'messageId' = any($1)`,
      [mail.map((m) => m.id)],
    );
    expect(jobs.map((j) => j.id).sort()).toEqual(mail.map((m) => m.id).sort());
    const phoneNotes = (await api('GET', '/notifications', phoneOnly.headers)).json().data;
    expect(phoneNotes).toEqual([
      expect.objectContaining({ kind: 'job_alert', title: '1 new job for "Bulk by phone"' }),
    ]);
    // Sent once per job and search: the next run writes nothing.
    expect(await runAt(later(2000))).toMatchObject({ jobs: 0, messages: 0 });
  });

  it('waits for the period of daily and weekly alerts, and never sends for "off"', async () => {
    const me = await signedInUser(ctx.database.db);
    const word = `qwvlang${Date.now()}`;
    await save(me.headers, { name: 'daily', query: { q: word }, frequency: 'daily' });
    await save(me.headers, { name: 'weekly', query: { q: word }, frequency: 'weekly' });
    await save(me.headers, { name: 'off', query: { q: word }, frequency: 'off' });
    await createJob(ctx.database.db, { title: `${word} analyst` });
    const sentFor = async (now: Date) => {
      await runAt(now);
      return (
        await ctx.database.superuserQuery<{ name: string }>(
          'select distinct s.name from saved_search_alerts a join saved_searches s on s.id = a.saved_search_id where s.user_id = $1 order by 1',
          [me.user.id],
        )
      ).map((r) => r.name);
    };
    expect(await sentFor(later(60_000))).toEqual([]);
    expect(await sentFor(later(86_400_000 + 60_000))).toEqual(['daily']);
    expect(await sentFor(later(7 * 86_400_000 + 60_000))).toEqual(['daily', 'weekly']);
  });

  it('stops from the e-mail link without signing in; a forged or altered link is refused', async () => {
    const me = await signedInUser(ctx.database.db);
    const mine = await save(me.headers, { name: 'Mine', query: {}, frequency: 'daily' });
    const token = unsubscribeToken(mine.id, ctx.config.cookieSecret);
    const other = await signedInUser(ctx.database.db);
    const theirs = await save(other.headers, { name: 'Theirs', query: {}, frequency: 'daily' });

    const forged = [
      `${theirs.id}.${token.split('.')[1]}`, // my signature on their id
      unsubscribeToken(theirs.id, 'some other secret of at least 32 chars!!'),
      `${theirs.id}`,
      'garbage',
    ];
    for (const bad of forged) {
      const res = await api('GET', `/saved-searches/unsubscribe?token=${encodeURIComponent(bad)}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe('UNSUBSCRIBE_LINK_INVALID');
    }
    expect((await api('GET', `/saved-searches/${theirs.id}`, other.headers)).json().frequency).toBe('daily');

    const ok = await api('GET', `/saved-searches/unsubscribe?token=${encodeURIComponent(token)}`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ unsubscribed: true, name: 'Mine' });
    expect((await api('GET', `/saved-searches/${mine.id}`, me.headers)).json().frequency).toBe('off');
    // Idempotent.
    expect((await api('GET', `/saved-searches/unsubscribe?token=${encodeURIComponent(token)}`)).statusCode).toBe(200);
  });
});
