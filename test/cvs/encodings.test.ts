/** Issue 11 item 16 for CVs: text CVs saved as Latin-1 / Windows-1252 or UTF-16 are decoded, not refused. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeText, sniff } from '../../src/modules/cvs/file-type.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInUser } from '../helpers/auth.ts';
import { multipartBody } from '../helpers/documents.ts';

const cv =
  'José Núñez\njose@example.test\nExperience\nIngeniero de Software, Café Systems 2019 - 2022\nSkills\nPython, SQL';
const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();

describe('decoding text files', () => {
  it('reads UTF-8 (with or without a mark), UTF-16 in both byte orders (with or without a mark) and Windows-1252', () => {
    const cases: Array<[Buffer, string, boolean]> = [
      [Buffer.from(cv, 'utf8'), 'utf-8', true],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(cv, 'utf8')]), 'utf-8', true],
      [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(cv, 'utf16le')]), 'utf-16le', true],
      [Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(cv)]), 'utf-16be', true],
      [Buffer.from(cv, 'utf16le'), 'utf-16le', false],
      [utf16be(cv), 'utf-16be', false],
      [Buffer.from(cv, 'latin1'), 'windows-1252', false],
    ];
    for (const [bytes, encoding, sure] of cases) {
      expect(decodeText(bytes), encoding).toEqual({ text: cv, encoding, sure });
      expect(sniff(bytes)).toBe('text');
    }
  });

  it('still refuses binary files', () => {
    expect(decodeText(Buffer.from([0x00, 0x01, 0x02, 0x03, 0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0xff]))).toBeNull();
    expect(decodeText(Buffer.alloc(0))).toBeNull();
    expect(decodeText(Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) % 32)))).toBeNull();
  });
});

describe('uploading text CVs in other encodings', () => {
  let ctx: TestContext & { close(): Promise<void> };
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(async () => ctx?.close());

  const upload = async (headers: Record<string, string>, bytes: Buffer) => {
    const { payload, headers: multipart } = multipartBody({ name: 'cv.txt', type: 'text/plain', bytes });
    return ctx.app.inject({ method: 'POST', url: '/api/v1/cvs', headers: { ...headers, ...multipart }, payload });
  };

  it('decodes Latin-1 with a warning and UTF-16 with a mark without one, keeping the original bytes', async () => {
    const me = await signedInUser(ctx.database.db);
    const latin1 = await upload(me.headers, Buffer.from(cv, 'latin1'));
    expect(latin1.statusCode, latin1.body).toBe(201);
    expect(latin1.json()).toMatchObject({
      mimeType: 'text/plain; charset=windows-1252',
      profile: { name: { value: 'José Núñez' } },
      warnings: [expect.stringContaining('Windows-1252')],
    });
    expect(latin1.json().parsedContent).toContain('Café Systems');
    const file = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/cvs/${latin1.json().id}/file`,
      headers: me.headers,
    });
    expect(file.rawPayload.equals(Buffer.from(cv, 'latin1'))).toBe(true);
    expect(file.headers['content-type']).toBe('text/plain; charset=windows-1252');

    const utf16 = await upload(me.headers, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(cv, 'utf16le')]));
    expect(utf16.statusCode, utf16.body).toBe(201);
    expect(utf16.json()).toMatchObject({ mimeType: 'text/plain; charset=utf-16le', warnings: [] });
    expect(utf16.json().profile.experience.value[0]).toMatchObject({ company: 'Café Systems' });
  });
});
