/** CVs through HTTP: upload of every accepted type, every rejection, storage and download, isolation, delete, search. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.ts';
import { withContext } from '../../src/db/context.ts';
import { apiKeys } from '../../src/db/schema/index.ts';
import { generateApiKey } from '../../src/lib/tokens.ts';
import { createTestApp, storedCvIds, type TestContext } from '../helpers/app.ts';
import { signedInAdmin, signedInUser } from '../helpers/auth.ts';
import { makeDocx, makeLoopingPdf, makePdf, makeZip, multipartBody } from '../helpers/documents.ts';
import { createApplication } from '../helpers/factories.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

const cvText = [
  'Priya Raman',
  'Pune, India | priya.raman@example.test | +91 98765 43210 | linkedin.com/in/priya-raman-example',
  'Summary',
  'Backend engineer who builds reliable payment systems.',
  'Experience',
  'Senior Software Engineer, Chai Payments   Jan 2020 - Present',
  'Built the settlement service in Node.js and PostgreSQL.',
  'Software Engineer at Masala Logistics   Jul 2016 - Dec 2019',
  'Education',
  'University of Pune',
  'B.Tech Computer Science   2012 - 2016',
  'Skills',
  'Node.js, TypeScript, PostgreSQL, k8s, C#',
  'Languages',
  'English, Hindi, Marathi',
];

async function upload(headers: Record<string, string>, file: { name: string; type: string; bytes: Buffer }) {
  const { payload, headers: multipart } = multipartBody(file);
  return ctx.app.inject({ method: 'POST', url: '/api/v1/cvs', headers: { ...headers, ...multipart }, payload });
}
const txt = (lines: string[]) => ({ name: 'cv.txt', type: 'text/plain', bytes: Buffer.from(lines.join('\n')) });

describe('uploading', () => {
  it('reads a plain-text CV into text and a structured profile, and records the usage', async () => {
    const me = await signedInUser(ctx.database.db);
    const res = await upload(me.headers, txt(cvText));
    expect(res.statusCode, res.body).toBe(201);
    const cv = res.json();
    expect(cv).toMatchObject({ fileName: 'cv.txt', mimeType: 'text/plain; charset=utf-8', pageCount: null });
    expect(cv.parsedContent).toContain('settlement service');
    expect(cv.profile.name).toEqual({ value: 'Priya Raman', confidence: expect.any(Number) });
    expect(cv.profile.email.value).toBe('priya.raman@example.test');
    expect(cv.profile.phone.value).toBe('+91 98765 43210');
    expect(cv.profile.location.value).toBe('Pune, India');
    expect(cv.skills).toEqual(['node.js', 'typescript', 'postgresql', 'kubernetes', 'c#']);
    expect(cv.profile.experience.value).toMatchObject([
      { title: 'Senior Software Engineer', company: 'Chai Payments', start: 'Jan 2020', end: 'Present' },
      { title: 'Software Engineer', company: 'Masala Logistics', start: 'Jul 2016', end: 'Dec 2019' },
    ]);
    expect(cv.profile.education.value[0]).toMatchObject({
      institution: 'University of Pune',
      start: '2012',
      end: '2016',
    });
    expect(cv.profile.languages.value).toEqual(['English', 'Hindi', 'Marathi']);
    expect(cv.profile.totalYearsExperience.value).toBeGreaterThan(9);
    const usage = await ctx.database.superuserQuery<{ action_type: string; metadata: { cvId: string } }>(
      'select action_type, metadata from usage_tracking where user_id = $1',
      [me.user.id],
    );
    expect(usage).toEqual([{ action_type: 'cv_upload', metadata: { cvId: cv.id, kind: 'text' } }]);
  });

  it('reads a PDF, and a two-column PDF in reading order (left column, then right)', async () => {
    const me = await signedInUser(ctx.database.db);
    const single = await upload(me.headers, {
      name: 'cv.pdf',
      type: 'application/pdf',
      bytes: makePdf([cvText.map((text) => ({ text }))]),
    });
    expect(single.statusCode, single.body).toBe(201);
    expect(single.json()).toMatchObject({ pageCount: 1, mimeType: 'application/pdf' });
    expect(single.json().profile.email.value).toBe('priya.raman@example.test');

    const left = [
      'Priya Raman',
      'Experience',
      'Backend engineer at Chai Payments',
      'Built settlement in Node.js',
      'Owned the ledger',
    ];
    const right = ['Skills', 'PostgreSQL', 'TypeScript', 'Kubernetes', 'Languages'];
    const twoColumns = makePdf([
      [...left.map((text) => ({ text, x: 50 })), ...right.map((text) => ({ text, x: 360 }))],
    ]);
    const res = await upload(me.headers, { name: 'two-columns.pdf', type: 'application/pdf', bytes: twoColumns });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().parsedContent.split('\n')).toEqual([...left, ...right]);
  });

  it('reads a Word document', async () => {
    const me = await signedInUser(ctx.database.db);
    const docx = await makeDocx(cvText);
    const res = await upload(me.headers, {
      name: 'Priya CV.docx',
      type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      bytes: docx,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().profile.name.value).toBe('Priya Raman');
    expect(res.json().skills).toContain('kubernetes');
  });

  it('keeps the original under a generated name and gives it back to its owner as a safe download', async () => {
    const me = await signedInUser(ctx.database.db);
    const bytes = Buffer.from(cvText.join('\n'));
    const cv = (await upload(me.headers, { name: '../../Résumé (final).txt', type: 'text/plain', bytes })).json();
    expect(cv.fileName).toBe('Résumé (final).txt');
    expect(await storedCvIds(ctx)).toContain(cv.id);
    const file = await ctx.app.inject({ method: 'GET', url: `/api/v1/cvs/${cv.id}/file`, headers: me.headers });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(bytes)).toBe(true);
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename="R_sum_ (final).txt"; filename*=UTF-8''${encodeURIComponent('Résumé (final).txt')}`,
    );
    expect(file.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('rejections', () => {
  const cases: Array<[string, () => Promise<{ name: string; type: string; bytes: Buffer }>, number, string]> = [
    [
      'a file over 5 MB',
      async () => ({ name: 'big.txt', type: 'text/plain', bytes: Buffer.alloc(5_242_881, 'a') }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'an image',
      async () => ({
        name: 'cv.png',
        type: 'image/png',
        bytes: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a PDF renamed .docx',
      async () => ({
        name: 'cv.docx',
        type: 'application/pdf',
        bytes: makePdf([[{ text: 'Hello world, this is a CV text.' }]]),
      }),
      415,
      'CV_TYPE_MISMATCH',
    ],
    [
      'text sent as a PDF',
      async () => ({ name: 'cv.txt', type: 'application/pdf', bytes: Buffer.from(cvText.join('\n')) }),
      415,
      'CV_TYPE_MISMATCH',
    ],
    [
      'an executable renamed .txt',
      async () => ({
        name: 'cv.txt',
        type: 'text/plain',
        bytes: Buffer.from('7f454c46020101000000000000000000', 'hex'),
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a ZIP that is not a Word document',
      async () => ({ name: 'cv.docx', type: 'application/octet-stream', bytes: await makeZip({ 'readme.txt': 'hi' }) }),
      415,
      'CV_TYPE_MISMATCH',
    ],
    [
      'a zip bomb',
      async () => ({
        name: 'cv.docx',
        type: 'application/octet-stream',
        bytes: await makeDocx(cvText, { 'word/media/bomb.bin': Buffer.alloc(40 * 1024 * 1024) }),
      }),
      422,
      'CV_UNSAFE_ARCHIVE',
    ],
    [
      'a path traversal entry',
      async () => ({
        name: 'cv.docx',
        type: 'application/octet-stream',
        bytes: await makeDocx(cvText, { '../../evil.xml': '<x/>' }),
      }),
      422,
      'CV_UNSAFE_ARCHIVE',
    ],
    [
      'an XML external entity',
      async () => {
        const xxe =
          '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>';
        return {
          name: 'cv.docx',
          type: 'application/octet-stream',
          bytes: await makeDocx([], { 'word/document.xml': xxe }),
        };
      },
      422,
      'CV_UNSAFE_XML',
    ],
    [
      'a truncated PDF',
      async () => ({
        name: 'cv.pdf',
        type: 'application/pdf',
        bytes: makePdf([cvText.map((text) => ({ text }))]).subarray(0, 300),
      }),
      422,
      'CV_UNREADABLE',
    ],
    [
      'a scanned PDF without text',
      async () => ({
        name: 'scan.pdf',
        type: 'application/pdf',
        bytes: makePdf([cvText.map((text) => ({ text }))], { drawOnly: true }),
      }),
      422,
      'CV_NO_TEXT',
    ],
    [
      'a PDF of 21 pages',
      async () => ({
        name: 'long.pdf',
        type: 'application/pdf',
        bytes: makePdf(Array.from({ length: 21 }, () => [{ text: 'Page of a very long CV.' }])),
      }),
      422,
      'CV_TOO_MANY_PAGES',
    ],
    [
      'a text file with almost no text',
      async () => ({ name: 'cv.txt', type: 'text/plain', bytes: Buffer.from('   \n hi ') }),
      422,
      'CV_NO_TEXT',
    ],
  ];

  it.each(cases)('refuses %s', async (_name, file, status, code) => {
    const me = await signedInUser(ctx.database.db);
    const res = await upload(me.headers, await file());
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.code).toBe(code);
    const [row] = await ctx.database.superuserQuery<{ n: number }>(
      'select count(*)::int as n from cvs where user_id = $1',
      [me.user.id],
    );
    expect(row?.n).toBe(0);
  });

  it('refuses a PDF whose page tree loops, without hanging', async () => {
    const me = await signedInUser(ctx.database.db);
    const res = await upload(me.headers, { name: 'loop.pdf', type: 'application/pdf', bytes: makeLoopingPdf() });
    expect(res.statusCode).toBe(422);
    expect(['CV_UNREADABLE', 'CV_PARSE_TIMEOUT', 'CV_NO_TEXT']).toContain(res.json().error.code);
  });

  it('refuses a request without a file, and one that is not multipart', async () => {
    const me = await signedInUser(ctx.database.db);
    const json = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/cvs',
      headers: me.headers,
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(415);
    const boundary = 'b';
    const empty = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/cvs',
      headers: { ...me.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}--\r\n`,
    });
    expect(empty.statusCode).toBe(400);
  });

  it('keeps answering other requests while a heavy file is parsed', async () => {
    const me = await signedInUser(ctx.database.db);
    const heavy = makePdf(
      Array.from({ length: 20 }, (_, p) =>
        Array.from({ length: 60 }, (_, i) => ({ text: `Page ${p} line ${i} ${'word '.repeat(18)}` })),
      ),
    );
    const order: string[] = [];
    const uploading = upload(me.headers, { name: 'heavy.pdf', type: 'application/pdf', bytes: heavy }).then((r) => {
      order.push('upload');
      return r;
    });
    for (let i = 0; i < 5; i++) {
      const health = await ctx.app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
      order.push('health');
    }
    expect((await uploading).statusCode).toBe(201);
    expect(order.slice(0, 5)).toEqual(['health', 'health', 'health', 'health', 'health']);
  });
});

describe('isolation', () => {
  it('hides a CV from everyone but its owner (and administrators): 404 on every endpoint, 0 rows in SQL', async () => {
    const owner = await signedInUser(ctx.database.db);
    const other = await signedInUser(ctx.database.db);
    const cv = (await upload(owner.headers, txt(cvText))).json();
    for (const [method, url] of [
      ['GET', `/api/v1/cvs/${cv.id}`],
      ['GET', `/api/v1/cvs/${cv.id}/file`],
      ['DELETE', `/api/v1/cvs/${cv.id}`],
    ] as const) {
      const res = await ctx.app.inject({ method, url, headers: other.headers });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().error.code).toBe('CV_NOT_FOUND');
    }
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/cvs', headers: other.headers })).json().data).toEqual(
      [],
    );
    const search = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/cvs/search?q=settlement',
      headers: other.headers,
    });
    expect(search.json().data).toEqual([]);
    const seen = await withContext(ctx.database.db, { kind: 'user', userId: other.user.id }, async (tx) =>
      rowsOf(await tx.execute(sql`select id from cvs where id = ${cv.id}`)),
    );
    expect(seen).toEqual([]);

    const admin = await signedInAdmin(ctx.database.db);
    expect(
      (await ctx.app.inject({ method: 'GET', url: `/api/v1/cvs/${cv.id}`, headers: admin.headers })).statusCode,
    ).toBe(200);
  });

  it('needs cvs:write to upload and cvs:read to read through an API key', async () => {
    const owner = await signedInUser(ctx.database.db, { plan: 'Premium' });
    const { key, prefix, hash } = generateApiKey();
    await ctx.database.db
      .insert(apiKeys)
      .values({ userId: owner.user.id, name: 'reader', permissions: ['cvs:read'], keyHash: hash, prefix });
    const headers = { authorization: `Bearer ${key}` };
    expect((await upload(headers, txt(cvText))).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/cvs', headers })).statusCode).toBe(200);
  });
});

describe('deleting', () => {
  it('asks for confirmation when applications would go with the CV, then removes everything', async () => {
    const me = await signedInUser(ctx.database.db);
    const cv = (await upload(me.headers, txt(cvText))).json();
    await createApplication(ctx.database.db, { userId: me.user.id, cvId: cv.id });
    await createApplication(ctx.database.db, { userId: me.user.id, cvId: cv.id });
    const first = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/cvs/${cv.id}`, headers: me.headers });
    expect(first.statusCode).toBe(409);
    expect(first.json().error).toMatchObject({ code: 'CV_DELETE_NEEDS_CONFIRMATION', details: { applications: 2 } });
    const confirmed = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/cvs/${cv.id}?confirm=true`,
      headers: me.headers,
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toEqual({ applicationsDeleted: 2 });
    const [left] = await ctx.database.superuserQuery<{ n: number }>(
      'select count(*)::int as n from applications where cv_id = $1',
      [cv.id],
    );
    expect(left?.n).toBe(0);
    expect(await storedCvIds(ctx)).not.toContain(cv.id);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/cvs/${cv.id}`, headers: me.headers })).statusCode).toBe(
      404,
    );
  });

  it('deletes a CV without applications at once', async () => {
    const me = await signedInUser(ctx.database.db);
    const cv = (await upload(me.headers, txt(cvText))).json();
    const res = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/cvs/${cv.id}`, headers: me.headers });
    expect(res.json()).toEqual({ applicationsDeleted: 0 });
  });
});

describe('search', () => {
  it('ranks the owner’s CVs with highlighted snippets; an administrator searches all', async () => {
    const me = await signedInUser(ctx.database.db);
    await upload(me.headers, txt(cvText));
    await upload(
      me.headers,
      txt(['Arjun Mehta', 'Experience', 'Nurse at City Hospital   2019 - Present', 'Skills', 'Patient care, triage']),
    );
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/cvs/search?q=settlement%20postgresql',
      headers: me.headers,
    });
    expect(res.statusCode).toBe(200);
    const hits = res.json().data;
    expect(hits).toHaveLength(1);
    expect(hits[0].snippet).toContain('<mark>settlement</mark>');
    for (const q of ['"unclosed', '!!!', '<script>', 'a'.repeat(500)]) {
      expect(
        (
          await ctx.app.inject({
            method: 'GET',
            url: `/api/v1/cvs/search?q=${encodeURIComponent(q)}`,
            headers: me.headers,
          })
        ).statusCode,
      ).toBe(200);
    }
    const admin = await signedInAdmin(ctx.database.db);
    const all = await ctx.app.inject({ method: 'GET', url: '/api/v1/cvs/search?q=triage', headers: admin.headers });
    expect(all.json().data.length).toBeGreaterThanOrEqual(1);
  });

  it('keeps C#, C++ and C apart, as job search does', async () => {
    const me = await signedInUser(ctx.database.db);
    const lines = (skill: string) => [
      `Dev ${skill}`,
      'Experience',
      'Developer at Acme Ltd   2019 - Present',
      'Skills',
      skill,
    ];
    await upload(me.headers, txt(lines('C#, .NET')));
    await upload(me.headers, txt(lines('C++, embedded systems')));
    const search = async (q: string) =>
      (
        await ctx.app.inject({
          method: 'GET',
          url: `/api/v1/cvs/search?q=${encodeURIComponent(q)}`,
          headers: me.headers,
        })
      ).json().data as { snippet: string }[];
    const sharp = await search('C#');
    expect(sharp).toHaveLength(1);
    expect(sharp[0]?.snippet).toContain('<mark>C#</mark>');
    const plus = await search('c++');
    expect(plus).toHaveLength(1);
    expect(plus[0]?.snippet).toContain('C++');
  });
});
