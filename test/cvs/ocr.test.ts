/**
 * Issue 14: scanned PDFs (pages with no text layer) are read by OCR in the parse worker, with lower
 * confidences and a warning; refused only when OCR finds no text, or when OCR is turned off.
 * Tesseract's model loads in a few seconds on first use, so this file allows longer tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCv } from '../../src/modules/cvs/cvs.service.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInUser } from '../helpers/auth.ts';
import { makePdf, makeScannedPdf, multipartBody } from '../helpers/documents.ts';

const lines = [
  { text: 'Meera Sharma', size: 22 },
  { text: 'meera.sharma@example.test | +91 98450 12345 | Bengaluru' },
  { text: 'EXPERIENCE', size: 14 },
  { text: 'Senior Data Engineer, Northwind Analytics   Jan 2020 - Present' },
  { text: 'Built Spark and Airflow pipelines on AWS with Python and SQL.' },
  { text: 'Data Engineer, Contoso Retail   Jun 2016 - Dec 2019' },
  { text: 'PostgreSQL, Python and Tableau dashboards.' },
  { text: 'EDUCATION', size: 14 },
  { text: 'B.Tech in Computer Science, College of Engineering Pune, 2016' },
  { text: 'SKILLS', size: 14 },
  { text: 'Python, SQL, Spark, Airflow, Kafka, AWS, PostgreSQL, Docker' },
];
const slow = { timeout: 120_000 };

describe('reading scanned PDFs', () => {
  it('reads every scanned page by OCR into the same profile as the text PDF, at lower confidence', slow, async () => {
    const pages = [lines, [{ text: 'LANGUAGES', size: 14 }, { text: 'English, Tamil, Hindi' }]];
    const scanned = await readCv('pdf', makeScannedPdf(pages));
    const typed = await readCv('pdf', makePdf(pages));
    expect(typed.ocr).toBeNull();
    expect(scanned.ocr).toEqual({ pages: [1, 2], confidence: expect.any(Number) });
    expect(scanned.ocr?.confidence).toBeGreaterThan(60);
    expect(scanned.text).toMatch(/Tamil/);
    const { profile } = scanned;
    expect(profile.name.value).toBe('Meera Sharma');
    expect(profile.email.value).toBe('meera.sharma@example.test');
    expect(profile.phone.value?.replace(/\s/g, '')).toBe('+919845012345');
    expect(profile.experience.value.map((j) => j.company)).toEqual(['Northwind Analytics', 'Contoso Retail']);
    // What the text layer gives, OCR gives: the same skills, jobs and languages.
    for (const field of ['skills', 'experience', 'education', 'languages'] as const) {
      expect(profile[field].value, field).toEqual(typed.profile[field].value);
    }
    expect(profile.email.confidence).toBeLessThan(typed.profile.email.confidence);
    expect(profile.email.confidence).toBeGreaterThan(0.5);
  });
});

describe('uploading a scanned CV', () => {
  let ctx: TestContext & { close(): Promise<void> };
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(async () => ctx?.close());

  const upload = async (headers: Record<string, string>, bytes: Buffer) => {
    const { payload, headers: multipart } = multipartBody({ name: 'scan.pdf', type: 'application/pdf', bytes });
    return ctx.app.inject({ method: 'POST', url: '/api/v1/cvs', headers: { ...headers, ...multipart }, payload });
  };

  it('stores the OCR text and profile and says the pages were read by OCR', slow, async () => {
    const me = await signedInUser(ctx.database.db);
    const res = await upload(me.headers, makeScannedPdf([lines]));
    expect(res.statusCode, res.body).toBe(201);
    const cv = res.json();
    expect(cv.profile.email.value).toBe('meera.sharma@example.test');
    expect(cv.warnings).toEqual([expect.stringMatching(/^Page 1 of the PDF had no text layer .* read by OCR/)]);
  });

  it('refuses a scan with nothing to read, saying it was a scan', slow, async () => {
    const me = await signedInUser(ctx.database.db);
    const blank = makeScannedPdf([[{ text: '' }]]);
    const res = await upload(me.headers, blank);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'CV_NO_TEXT', message: expect.stringMatching(/scan/) });
  });
});

describe('with OCR turned off (CV_OCR_TIMEOUT_MS=0)', () => {
  it('refuses a scan as before, without starting OCR', async () => {
    await expect(readCv('pdf', makeScannedPdf([lines]), { ocrTimeoutMs: 0 })).rejects.toMatchObject({
      code: 'CV_NO_TEXT',
    });
  });
});
