/**
 * Issue 11 item 6 for CVs: the parse workers cannot be starved. The queue in front of them is bounded
 * (503 + Retry-After), one user has a limit of parses at once and of uploads a minute (429 +
 * Retry-After), and a page of absurd size is refused before its content is read.
 */
import { deflateSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.ts';
import { inWork } from '../../src/db/context.ts';
import { extractText } from '../../src/modules/cvs/extract.ts';
import { admitCvParse, finishCvParse, PARSE_LEASE_SECONDS } from '../../src/modules/cvs/limits.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInUser } from '../helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { makePdf, multipartBody } from '../helpers/documents.ts';
import { createUser } from '../helpers/factories.ts';

const limits = { queueMax: 8, parsesPerUser: 2, uploadsPerMinute: 3 };

describe('per-user admission (shared by every node: counted in the database)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.close());

  const admit = (userId: string) =>
    inWork(database.db, { kind: 'user', userId }, (w) => admitCvParse(w.tx, userId, limits));
  const finish = (userId: string, id: string) =>
    inWork(database.db, { kind: 'user', userId }, (w) => finishCvParse(w.tx, id));
  /** Moves a user's admissions back in time, as if they had been made `seconds` earlier. */
  const age = (userId: string, seconds: number) =>
    database.superuserQuery(
      `update cv_parses set started_at = started_at - $2 * interval '1 second' where user_id = $1`,
      [userId, seconds],
    );

  it('admits at most N uploads a minute per user, then answers 429 with the seconds to wait', async () => {
    const [a, b] = [await createUser(database.db), await createUser(database.db)];
    for (let i = 0; i < 3; i++) await finish(a.id, await admit(a.id));
    await age(a.id, 10);
    const refused = await admit(a.id).catch((err: unknown) => err);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED' });
    // The oldest upload leaves the window 50 s from the (aged) first one; less when this machine is slow.
    const wait = Number((refused as { headers: Record<string, string> }).headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(50);
    await admit(b.id); // another user is not affected
    await age(a.id, 51); // the window has passed
    await admit(a.id);
  });

  it('admits at most N parses at once per user, and frees a slot when one ends', async () => {
    const c = await createUser(database.db);
    const first = await admit(c.id);
    const second = await admit(c.id);
    await expect(admit(c.id)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await finish(c.id, first);
    await finish(c.id, first); // finishing twice frees one slot only
    await admit(c.id);
    await expect(admit(c.id)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await finish(c.id, second);
  });

  it('stops counting a read whose node never reported its end, after the lease', async () => {
    const d = await createUser(database.db);
    await admit(d.id);
    await admit(d.id);
    await expect(admit(d.id)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await age(d.id, PARSE_LEASE_SECONDS + 1);
    await admit(d.id);
  });

  it('admits no more than the limit when one user uploads in parallel', async () => {
    const e = await createUser(database.db);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => admit(e.id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(limits.parsesPerUser);
  });

  it("keeps one user's admissions invisible to another", async () => {
    const [f, g] = [await createUser(database.db), await createUser(database.db)];
    await admit(f.id);
    const seen = await inWork(database.db, { kind: 'user', userId: g.id }, (w) =>
      w.tx.execute(sql`select count(*)::int as n from cv_parses`),
    );
    expect(rowsOf<{ n: number }>(seen)[0]?.n).toBe(0);
  });
});

describe('the parse queue', () => {
  it('answers 503 with Retry-After when every worker is busy and the queue is full', async () => {
    const heavy = makePdf(
      Array.from({ length: 20 }, (_, p) =>
        Array.from({ length: 60 }, (_, i) => ({ text: `Page ${p} line ${i} ${'word '.repeat(18)}` })),
      ),
    );
    const busy = [extractText('pdf', heavy, { timeoutMs: 1500 }), extractText('pdf', heavy, { timeoutMs: 1500 })];
    await expect(
      extractText('text', Buffer.from('A CV that has to wait for a worker.'), { maxQueue: 0 }),
    ).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      status: 503,
      headers: { 'retry-after': '10' },
    });
    await Promise.allSettled(busy);
  });
});

describe('uploads', () => {
  let ctx: TestContext & { close(): Promise<void> };
  beforeAll(async () => {
    ctx = await createTestApp({ env: { CV_UPLOADS_PER_MINUTE: '4' } });
  });
  afterAll(async () => ctx?.close());

  const upload = (headers: Record<string, string>, file: { name: string; type: string; bytes: Buffer }) => {
    const { payload, headers: multipart } = multipartBody(file);
    return ctx.app.inject({ method: 'POST', url: '/api/v1/cvs', headers: { ...headers, ...multipart }, payload });
  };

  it('refuses a page 200,000,000 points wide and a flate bomb before reading them, and limits uploads per user and minute', async () => {
    const me = await signedInUser(ctx.database.db);
    const pdf = makePdf([[{ text: 'Asha Rao' }, { text: 'A page far too wide for any printer or screen.' }]]);
    const wide = Buffer.from(
      pdf.toString('latin1').replace('/MediaBox [0 0 595 842]', '/MediaBox [0 0 200000000 842]'),
      'latin1',
    );
    const res = await upload(me.headers, { name: 'cv.pdf', type: 'application/pdf', bytes: wide });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.code).toBe('CV_UNREADABLE');
    // A flate bomb: 80 KB that unpacks to 80 MB, refused before pdf.js reads anything.
    const bomb = deflateSync(Buffer.alloc(80 * 1024 * 1024));
    const [head, tail] = [pdf.subarray(0, pdf.indexOf('xref')), pdf.subarray(pdf.indexOf('xref'))];
    const bombed = Buffer.concat([
      head,
      Buffer.from(`99 0 obj\n<< /Length ${bomb.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'),
      bomb,
      Buffer.from('\nendstream\nendobj\n', 'latin1'),
      tail,
    ]);
    const bombRes = await upload(me.headers, { name: 'cv.pdf', type: 'application/pdf', bytes: bombed });
    expect(bombRes.statusCode, bombRes.body).toBe(422);
    expect(bombRes.json().error.code).toBe('CV_UNSAFE_ARCHIVE');
    // An ordinary compressed PDF passes the same check.
    const stream = Buffer.from('BT /F1 11 Tf 50 800 Td (Asha Rao) Tj ET');
    const packed = deflateSync(stream);
    const ok = Buffer.concat([
      head,
      Buffer.from(`98 0 obj\n<< /Length ${packed.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'),
      packed,
      Buffer.from('\nendstream\nendobj\n', 'latin1'),
      tail,
    ]);
    const okRes = await upload(me.headers, { name: 'cv.pdf', type: 'application/pdf', bytes: ok });
    expect(okRes.statusCode, okRes.body).toBe(201);
    const text = { name: 'cv.txt', type: 'text/plain', bytes: Buffer.from('Asha Rao\nasha@example.test\nA short CV.') };
    expect((await upload(me.headers, text)).statusCode).toBe(201);
    const limited = await upload(me.headers, text);
    expect(limited.statusCode, limited.body).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const other = await signedInUser(ctx.database.db);
    expect((await upload(other.headers, text)).statusCode).toBe(201);
  });
});
