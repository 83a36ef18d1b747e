/** CVs: upload (checked, parsed off the event loop, stored), list, read, download, search, delete. */
import { createHash, randomUUID } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../../db/client.ts';
import type { RunWork, Work } from '../../db/context.ts';
import { applications, cvs } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { headlineOptions, renderSnippet } from '../../lib/snippet.ts';
import type { PlanRules } from '../plans/plans.ts';
import { consumeQuota } from '../plans/quota.ts';
import { withCorrections } from './corrections.ts';
import { type ExtractOptions, extractText } from './extract.ts';
import { type CvKind, kindFromName, MIME_TYPES, sniff } from './file-type.ts';
import { admitCvParse, type CvLimits, DEFAULT_CV_LIMITS, finishCvParse } from './limits.ts';
import { MIN_TEXT_CHARS } from './profile.ts';
import type { FileStorage } from './storage.ts';

const summaryColumns = {
  id: cvs.id,
  fileName: cvs.fileName,
  fileSize: cvs.fileSize,
  mimeType: cvs.mimeType,
  pageCount: cvs.pageCount,
  skills: cvs.skills,
  uploadedAt: cvs.uploadedAt,
};
const detailColumns = {
  ...summaryColumns,
  parsedContent: cvs.parsedContent,
  profile: cvs.profile,
  profileCorrections: cvs.profileCorrections,
};

/** The user's file name as metadata: no folders, no control characters, at most 255 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const clean = base
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .slice(-255);
  return clean || 'cv';
}

const DECLARED: Record<CvKind, RegExp> = {
  pdf: /^application\/(pdf|x-pdf)$/,
  docx: /^application\/vnd\.openxmlformats-officedocument\.wordprocessingml\.document$/,
  text: /^text\/(plain|markdown)$/,
};

/** Text in reading order and the profile read from it (both in the parse worker); refuses a file with (almost) no text. */
export async function readCv(kind: CvKind, bytes: Uint8Array, options: ExtractOptions = {}) {
  const { text, pages, profile, encoding, ocr } = await extractText(kind, bytes, options);
  if (!profile || text.replace(/\s/g, '').length < MIN_TEXT_CHARS) {
    const message =
      kind !== 'pdf'
        ? 'The file contains almost no text.'
        : ocr
          ? 'The PDF is a scan and no readable text was found in it. Upload a sharper scan, a PDF exported from your editor, a .docx, or plain text.'
          : undefined;
    throw new AppError('CV_NO_TEXT', message ? { message } : {});
  }
  return { text, pages, profile, encoding, ocr };
}

function ocrWarning({ pages, confidence }: { pages: number[]; confidence: number }): string {
  const which = pages.length === 1 ? `Page ${pages[0]}` : `Pages ${pages.join(', ')}`;
  return `${which} of the PDF had no text layer (a scan) and ${pages.length === 1 ? 'was' : 'were'} read by OCR (confidence ${confidence}%). Check the profile.`;
}

function encodingWarning(name: string): string {
  return name === 'windows-1252'
    ? 'The text file is not UTF-8; it was read as Windows-1252 (Latin-1). Check accented letters in the profile.'
    : `The text file has no byte order mark; it was read as ${name.toUpperCase()}. Check the text.`;
}

export type UploadCv = { fileName: string; contentType?: string | undefined; bytes: Buffer };

/**
 * Parsing and storing the file happen before the unit of work (no transaction waits on them); the row and
 * the usage row are written in it. When the unit fails, at any step or at commit, the stored file is
 * deleted: no row without its file, no file without its row.
 */
export async function uploadCv(
  run: RunWork,
  storage: FileStorage,
  plans: PlanRules,
  userId: string,
  input: UploadCv,
  limits: CvLimits = DEFAULT_CV_LIMITS,
) {
  const fileName = cleanFileName(input.fileName);
  const kind = sniff(input.bytes);
  if (!kind)
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: 'Upload a PDF, a Word (.docx) document or plain text.' });
  const claimed = kindFromName(fileName);
  const declared = input.contentType?.split(';')[0]?.trim().toLowerCase();
  const declaredOk = !declared || declared === 'application/octet-stream' || DECLARED[kind].test(declared);
  if (claimed !== kind || !declaredOk) {
    throw new AppError('CV_TYPE_MISMATCH', { details: { detected: kind, fileName, contentType: declared ?? null } });
  }

  // Admitted and released in units of their own: the read in between holds no transaction.
  const admission = await run(({ tx }) => admitCvParse(tx, userId, limits));
  const { text, pages, profile, encoding, ocr } = await readCv(kind, input.bytes, {
    maxQueue: limits.queueMax,
    ...(limits.ocrTimeoutMs === undefined ? {} : { ocrTimeoutMs: limits.ocrTimeoutMs }),
  }).finally(() => run(({ tx }) => finishCvParse(tx, admission)));
  // The stored file keeps its bytes: its type names the encoding it was written in.
  const mimeType = encoding ? `text/plain; charset=${encoding.name}` : MIME_TYPES[kind];
  const warnings = [
    ...(encoding?.sure === false ? [encodingWarning(encoding.name)] : []),
    ...(ocr ? [ocrWarning(ocr)] : []),
  ];
  const id = randomUUID();
  const storageKey = `cvs/${id}`;
  await storage.put(storageKey, input.bytes, userId);
  try {
    return await run(async ({ tx }) => {
      const [row] = await tx
        .insert(cvs)
        .values({
          id,
          userId,
          fileName,
          fileSize: input.bytes.length,
          parsedContent: text,
          profile,
          skills: profile.skills.value,
          storageKey,
          mimeType,
          contentSha256: createHash('sha256').update(input.bytes).digest('hex'),
          pageCount: pages,
        })
        .returning(detailColumns);
      // The plan's monthly allowance (429 QUOTA_EXCEEDED when spent); rolled back with the CV.
      await consumeQuota(tx, plans, userId, 'cv_upload', { metadata: { cvId: id, kind } });
      if (!row) throw new Error('cv not created');
      return { ...withCorrections(row), warnings };
    });
  } catch (err) {
    await storage.delete(storageKey);
    throw err;
  }
}

/** The caller's own CVs, newest first. */
export async function listCvs(tx: Tx, userId: string) {
  return tx.select(summaryColumns).from(cvs).where(eq(cvs.userId, userId)).orderBy(desc(cvs.uploadedAt), desc(cvs.id));
}

/** One CV: its owner's, or any for an administrator (row-level security decides). */
export async function getCv(tx: Tx, id: string) {
  const [row] = await tx
    .select({ ...detailColumns, storageKey: cvs.storageKey })
    .from(cvs)
    .where(eq(cvs.id, id));
  if (!row) throw new AppError('CV_NOT_FOUND');
  return withCorrections(row);
}

/**
 * Deletes a CV and, by the design document's ON DELETE CASCADE, every application made with it. When
 * there are such applications the caller must confirm, having been told how many.
 */
export async function deleteCv(run: RunWork, storage: FileStorage, id: string, confirm: boolean) {
  const { storageKey, applicationsDeleted } = await run(async ({ tx }) => {
    const [row] = await tx.select({ storageKey: cvs.storageKey }).from(cvs).where(eq(cvs.id, id)).for('update');
    if (!row) throw new AppError('CV_NOT_FOUND');
    const [count] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(applications)
      .where(eq(applications.cvId, id));
    const n = count?.n ?? 0;
    if (n > 0 && !confirm) throw new AppError('CV_DELETE_NEEDS_CONFIRMATION', { details: { applications: n } });
    await tx.delete(cvs).where(eq(cvs.id, id));
    return { storageKey: row.storageKey, applicationsDeleted: n };
  });
  // After the commit: a file outlives its row only if this delete fails, never the other way round.
  if (storageKey) await storage.delete(storageKey);
  return { applicationsDeleted };
}

/**
 * Full-text search over the caller's CVs (an administrator's covers all). Text and query both go through
 * search_text(), as in job search, so C#, C++, .NET and Node.js stay apart (docs/schema-notes.md).
 */
export async function searchCvs({ tx, actor }: Work, q: string, limit: number) {
  const userFilter = actor.kind === 'user' ? sql`and user_id = ${actor.userId}` : sql``;
  const rows = rowsOf<{ id: string; file_name: string; uploaded_at: string; rank: number; snippet: string }>(
    await tx.execute(sql`select id, file_name, uploaded_at, ts_rank(doc, query) as rank,
        ts_headline('english', parsed_content, query, ${headlineOptions('MaxWords=30, MinWords=10, MaxFragments=2')}) as snippet
      from cvs, websearch_to_tsquery('english', search_text(${q})) query,
        to_tsvector('english', search_text(parsed_content)) doc
      where to_tsvector('english', search_text(parsed_content)) @@ query ${userFilter}
      order by rank desc, uploaded_at desc, id desc
      limit ${limit}`),
  );
  return rows.map((r) => ({
    id: r.id,
    fileName: r.file_name,
    uploadedAt: new Date(r.uploaded_at),
    rank: Number(r.rank),
    snippet: renderSnippet(r.snippet, q),
  }));
}
