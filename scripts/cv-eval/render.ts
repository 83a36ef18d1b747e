/**
 * `--render=pdf|docx` for the DataTurks run: each real CV's text set as a simple document by the tests'
 * own writers (test/helpers/documents.ts) and read back through the upload's path (readCv: the parse
 * worker's extraction, then the profile rules), so the same labels measure what PDF and DOCX extraction
 * lose. The documents are real text in our own simple layouts: one text line per PDF line (Helvetica,
 * 44 lines a page) or per Word paragraph, a blank line kept as an empty one. Not a substitute for real
 * layouts.
 */
import { readCv } from '../../src/modules/cvs/cvs.service.ts';
import { makeDocx, makePdf, type PdfLine } from '../../test/helpers/documents.ts';
import { type Doc, type Found, nothingFound, predictedFromProfile } from './dataturks.ts';

export const RENDERS = ['pdf', 'docx'] as const;
export type Render = (typeof RENDERS)[number];

/** What a page of makePdf holds: its lines are 17.6 points apart from 800 down. */
const LINES_PER_PAGE = 44;
/** The characters makePdf's WinAnsi encoding writes: printable ASCII, Latin-1 and its typographic marks. */
const WIN_ANSI = /[\x20-\x7e\xa0-\xff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u20ac]/;

/** A line in Windows-1252: symbols (bullets, arrows, check marks) as "•", others by their letters or dropped. */
export function winAnsiLine(line: string): string {
  let out = '';
  for (const c of line
    .replace(/\t/g, ' ')
    .replace(/\u2026/g, '...')
    .replace(/\u2212/g, '-')) {
    if (WIN_ANSI.test(c)) out += c;
    else if (/[\p{So}\p{Co}\p{Sm}]/u.test(c)) out += '\u2022';
    else out += [...c.normalize('NFKD')].filter((d) => WIN_ANSI.test(d)).join('');
  }
  return out;
}

const linesOf = (text: string) => text.replace(/\r\n?/g, '\n').split('\n');

export function renderPdf(text: string): Buffer {
  const lines: PdfLine[] = linesOf(text).map((l) => ({ text: winAnsiLine(l) }));
  const pages: PdfLine[][] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_PAGE) pages.push(lines.slice(i, i + LINES_PER_PAGE));
  return makePdf(pages);
}

export function renderDocx(text: string): Promise<Buffer> {
  // XML holds no control characters (a tab is one: a space, as in the PDF).
  return makeDocx(linesOf(text).map((l) => l.replace(/\t/g, ' ').replace(/[\p{Cc}\ufffe\uffff]/gu, '')));
}

/**
 * Every CV rendered and read as an upload is, two at a time (the parse pool's size). A CV the upload would
 * refuse counts as one where nothing was found; `failed` says how many.
 */
export async function renderedFields(docs: Doc[], render: Render): Promise<{ found: Found; failed: number }> {
  const found: Found = new Map();
  let failed = 0;
  let next = 0;
  const work = async () => {
    for (let i = next++; i < docs.length; i = next++) {
      const doc = docs[i] as Doc;
      const bytes = render === 'pdf' ? renderPdf(doc.content) : await renderDocx(doc.content);
      try {
        const { profile } = await readCv(render, bytes);
        found.set(doc, predictedFromProfile(profile));
      } catch {
        failed++;
        found.set(doc, nothingFound());
      }
    }
  };
  await Promise.all([work(), work()]);
  return { found, failed };
}
