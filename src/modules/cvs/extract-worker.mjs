// Text extraction for uploaded CVs, in a worker thread: a hostile file can only stall or crash this
// worker, which the server kills after a time limit (src/modules/cvs/extract.ts). Plain JavaScript so
// it runs the same under tsx, vitest and node.
import { existsSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { inflateSync, constants as zlibConstants } from 'node:zlib';
import mammoth from 'mammoth';
import { getDocumentProxy, getResolvedPDFJS } from 'unpdf';
import yauzl from 'yauzl';

// The profile rules are a TypeScript module next to this file; compiled (dist/, `npm start`) they are
// JavaScript. From the sources, a worker does not inherit the TypeScript loader of its parent under
// every runner (vitest), so it registers tsx itself; the compiled build loads no TypeScript tooling.
const fromSources = existsSync(new URL('./profile.ts', import.meta.url));
if (fromSources) {
  const { register } = await import('tsx/esm/api');
  register();
}
const ext = fromSources ? 'ts' : 'js';
const { cleanCvText, MIN_TEXT_CHARS, parseProfile } = await import(`./profile.${ext}`);
const { decodeText } = await import(`./file-type.${ext}`);
const { tableLines } = await import(`./docx-tables.${ext}`);
const { horizontalRules, linesText, markRules, tableGap, withTables } = await import(`./pdf-layout.${ext}`);
// pdf.js's operator codes, to read the rules a page draws (pdf-layout.ts).
const { OPS } = await getResolvedPDFJS();

// pdf.js hands a page's fonts (with their names, which say "Bold") to this side with
// ArrayBuffer.prototype.transferToFixedLength, which Node 20 lacks: without it the fonts never arrive and
// every line reads as regular type. This worker thread is the only place pdf.js runs.
if (!ArrayBuffer.prototype.transferToFixedLength) {
  Object.defineProperty(ArrayBuffer.prototype, 'transferToFixedLength', {
    value: function transferToFixedLength(length = this.byteLength) {
      const out = new ArrayBuffer(length);
      new Uint8Array(out).set(new Uint8Array(this, 0, Math.min(length, this.byteLength)));
      return out;
    },
    configurable: true,
    writable: true,
  });
}

const MAX_PAGES = 20;
const MAX_PAGE_POINTS = 14_400;
const MAX_PDF_INFLATED = 64 * 1024 * 1024;
const MAX_ENTRIES = 500;
const MAX_TOTAL_UNCOMPRESSED = 30 * 1024 * 1024;
const MAX_RATIO = 100;

class Refusal extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** A page with fewer visible characters than this has no real text layer: a scan, read by OCR when allowed. */
const MIN_PAGE_CHARS = 20;

parentPort.on('message', async ({ kind, bytes, ocr }) => {
  try {
    const result =
      kind === 'pdf'
        ? await pdfText(new Uint8Array(bytes), ocr)
        : kind === 'docx'
          ? await docxText(Buffer.from(bytes))
          : plainText(bytes);
    const text = cleanCvText(result.text);
    // The profile rules run here too, under the same time limit: untrusted text never reaches them on
    // the server's event loop.
    const parsed =
      text.replace(/\s/g, '').length < MIN_TEXT_CHARS
        ? null
        : parseProfile(text, new Date(), { name: result.nameHint, styled: result.styled });
    const profile = parsed && result.ocr ? withConfidenceScaled(parsed, result.ocr.confidence) : parsed;
    const encoding = result.encoding ? { name: result.encoding, sure: result.sure } : null;
    parentPort.postMessage({ ok: true, text, pages: result.pages, profile, encoding, ocr: result.ocr ?? null });
  } catch (err) {
    if (err instanceof Refusal) parentPort.postMessage({ ok: false, code: err.code, message: err.message });
    else
      parentPort.postMessage({
        ok: false,
        code: 'CV_UNREADABLE',
        message: 'The file is damaged or not what it claims to be.',
      });
  }
});

/**
 * Fields read from OCR text are less certain than the same fields read from a text layer: every
 * confidence is scaled by Tesseract's mean confidence, and by at most 0.9 even for a clean scan.
 */
function withConfidenceScaled(profile, ocrConfidence) {
  const factor = Math.min(0.9, ocrConfidence / 100);
  return Object.fromEntries(
    Object.entries(profile).map(([key, field]) =>
      field && typeof field === 'object' && typeof field.confidence === 'number'
        ? [key, { ...field, confidence: Math.round(field.confidence * factor * 100) / 100 }]
        : [key, field],
    ),
  );
}

function plainText(bytes) {
  const decoded = decodeText(new Uint8Array(bytes));
  if (!decoded) throw new Refusal('CV_UNREADABLE', 'The file is not text in an encoding we can read.');
  return { text: decoded.text.replace(/\r\n?/g, '\n'), pages: null, encoding: decoded.encoding, sure: decoded.sure };
}

// ---- PDF ----------------------------------------------------------------------------------------

/**
 * A flate bomb is refused before pdf.js sees the file (issue 11 item 6): every Flate-compressed stream
 * is inflated with a shared output budget, and a file that unpacks to more than 64 MB is not a CV. The
 * scan is linear (indexOf); a damaged stream is left for pdf.js to judge. Costs a few milliseconds for
 * an ordinary CV, whose fonts and pages unpack to a few megabytes.
 */
function checkInflatedSize(data) {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let total = 0;
  let from = 0;
  for (;;) {
    const at = buf.indexOf('stream', from, 'latin1');
    if (at < 0) return;
    if (at >= 3 && buf.toString('latin1', at - 3, at) === 'end') {
      from = at + 6;
      continue;
    }
    let start = at + 6;
    if (buf[start] === 0x0d) start++;
    if (buf[start] === 0x0a) start++;
    const end = buf.indexOf('endstream', start, 'latin1');
    if (end < 0) return;
    const before = buf.toString('latin1', Math.max(0, at - 1024), at);
    if (/\/(?:FlateDecode|Fl)\b/.test(before.slice(before.lastIndexOf('<<')))) {
      try {
        total += inflateSync(buf.subarray(start, end), {
          maxOutputLength: MAX_PDF_INFLATED - total + 1,
          finishFlush: zlibConstants.Z_SYNC_FLUSH,
        }).length;
      } catch (err) {
        if (err?.code === 'ERR_BUFFER_TOO_LARGE') total = MAX_PDF_INFLATED + 1;
      }
      if (total > MAX_PDF_INFLATED)
        throw new Refusal('CV_UNSAFE_ARCHIVE', 'The PDF unpacks to more than 64 MB (a compression bomb?).');
    }
    from = end + 9;
  }
}

async function pdfText(data, ocr) {
  checkInflatedSize(data);
  const pdf = await getDocumentProxy(data, { verbosity: 0 }); // errors only: no warnings on stdout
  try {
    if (pdf.numPages > MAX_PAGES) {
      throw new Refusal('CV_TOO_MANY_PAGES', `The PDF has ${pdf.numPages} pages; a CV may have at most ${MAX_PAGES}.`);
    }
    const pages = [];
    const styledLines = [];
    const fontWeights = new Map(); // pdf.js font name -> bold?, shared by the pages
    let ruled = false; // a page so far has drawn a rule
    let nameHint = null;
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const { width, height } = page.getViewport({ scale: 1 });
      // Checked before the page's content is read: a page 200,000,000 points wide held a worker for
      // the whole time limit (issue 11 item 6). PDF itself caps pages at 14,400 points (200 inches).
      if (!(width > 0 && height > 0 && width <= MAX_PAGE_POINTS && height <= MAX_PAGE_POINTS)) {
        throw new Refusal(
          'CV_UNREADABLE',
          `Page ${n} is ${Math.round(width)} x ${Math.round(height)} points: not a CV page.`,
        );
      }
      const content = await page.getTextContent();
      const items = content.items.filter((i) => typeof i.str === 'string');
      // The page's drawing operations: its rules (lines under headings), and the names of its fonts (bold).
      // Reading them costs about a third as much again as the text (with embedded fonts), so they are read
      // on the first page, on a page with fonts not seen before, and on every page once a page has drawn
      // rules: a template rules its headings from the first page on. A page whose drawing pdf.js cannot
      // read still has its text, without rules, in regular type.
      const fontsToName = unknownFonts(items, fontWeights);
      const drawing =
        n === 1 || ruled || fontsToName.length > 0 ? await page.getOperatorList().catch(() => null) : null;
      const bold = await boldFonts(page, items, fontWeights, fontsToName, drawing !== null);
      if (n === 1) nameHint = largestTopLine(items, height, bold);
      const rules = drawing ? horizontalRules(drawing, OPS) : [];
      ruled ||= rules.length > 0;
      const lines = pageLines(items, width, bold, rules);
      pages.push(linesText(lines));
      styledLines.push(...lines);
    }
    const scanned = pages.flatMap((text, i) => (text.replace(/\s/g, '').length < MIN_PAGE_CHARS ? [i + 1] : []));
    let read = null;
    if (ocr && scanned.length > 0) {
      // Tells the server to allow this read the OCR time limit instead of the text one.
      parentPort.postMessage({ progress: 'ocr' });
      const { ocrPages } = await import('./ocr.mjs'); // loaded on the first scan only
      const { texts, confidence } = await ocrPages(pdf, scanned);
      texts.forEach((text, i) => {
        pages[scanned[i] - 1] = text;
      });
      read = { pages: scanned.slice(0, texts.length), confidence };
    }
    return {
      text: withoutRunningLines(pages).join('\n\n'),
      pages: pdf.numPages,
      nameHint,
      styled: styledOf(styledLines),
      ocr: read,
    };
  } finally {
    await pdf.destroy();
  }
}

/**
 * The line set in the largest type in the top 40% of the first page, when it stands out (at least 1.3
 * times the median size): where a CV puts its owner's name, whatever the reading order makes of it.
 */
function largestTopLine(items, pageHeight, bold) {
  const boxes = items
    .filter((i) => i.str.trim() !== '')
    .map((i) => ({
      x: i.transform[4],
      y: i.transform[5],
      h: Math.abs(i.transform[3]) || 0,
      s: i.str,
      bold: bold.has(i.fontName),
    }));
  if (boxes.length < 3) return null;
  const sizes = boxes.map((b) => b.h).sort((a, b) => a - b);
  const median = sizes[Math.floor(sizes.length / 2)];
  const top = boxes.filter((b) => b.y > pageHeight * 0.6);
  let largest = top.reduce((m, b) => (b.h > m.h ? b : m), { h: 0 });
  if (!largest.s || largest.h < median * 1.3) {
    // Nothing larger: the first bold line at the very top, in a CV set in one size.
    largest = top.filter((b) => b.bold && b.y > pageHeight * 0.8).reduce((m, b) => (b.y > m.y ? b : m), { y: 0 });
    if (!largest.s) return null;
  }
  return top
    .filter((b) => Math.abs(b.y - largest.y) <= largest.h * 0.4 && b.h >= largest.h * 0.9 && b.bold === largest.bold)
    .sort((a, b) => a.x - b.x)
    .map((b) => b.s.trim())
    .join(' ')
    .slice(0, 200);
}

/**
 * Page furniture out of the text: page numbers ("2/3", "Page 2 of 3", "- 2 -") anywhere, and a header
 * or footer line repeated at the top or bottom of several pages (a name and e-mail, "Curriculum Vitae",
 * a confidentiality note). The first page keeps its top lines: that is where the name belongs.
 */
function withoutRunningLines(pages) {
  const PAGE_NUMBER = /^(?:page\s{0,2})?-?\s{0,2}\d{1,3}\s{0,2}(?:(?:\/|of)\s{0,2}\d{1,3})?\s{0,2}-?$/i;
  const split = pages.map((p) => p.split('\n').filter((l) => !PAGE_NUMBER.test(l.trim())));
  if (split.length < 2) return split.map((lines) => lines.join('\n'));
  // Each page's first and last two lines with words (blank lines set blocks apart: linesText).
  const edges = split.map((lines) => {
    const worded = lines.flatMap((l, i) => (l.trim() ? [i] : []));
    return { top: worded.slice(0, 2), all: new Set([...worded.slice(0, 2), ...worded.slice(-2)]) };
  });
  const seen = new Map();
  split.forEach((lines, n) => {
    for (const l of new Set([...edges[n].all].map((i) => lines[i].trim()))) seen.set(l, (seen.get(l) ?? 0) + 1);
  });
  const repeated = new Set([...seen].filter(([, n]) => n >= 2).map(([l]) => l));
  return split.map((lines, n) =>
    lines
      .filter((l, i) => {
        if (!edges[n].all.has(i) || !repeated.has(l.trim())) return true;
        return n === 0 && edges[n].top.includes(i); // the first page's header is the CV's own
      })
      .join('\n'),
  );
}

/**
 * Reading order from positions: items are grouped into lines by their baseline, and a page laid out
 * in two columns (a vertical gap that no line crosses, with text on both sides) is read left column
 * first, then right.
 */
function pageLines(items, pageWidth, bold, rules) {
  const boxes = items
    .filter((i) => i.str.trim() !== '')
    .map((i) => ({
      x: i.transform[4],
      y: i.transform[5],
      w: i.width ?? 0,
      h: Math.abs(i.transform[3]) || 10,
      s: i.str,
      bold: bold.has(i.fontName),
    }));
  if (boxes.length === 0) return [];
  // Per column: a rule marks the line it is drawn against (a rule on the other side of the gutter is
  // the other column's), then aligned rows are read as tables.
  const read = (lines, own) => {
    markRules(lines, own);
    return withTables(lines);
  };
  const gutter = findGutter(boxes, pageWidth);
  if (gutter === null) return read(linesOf(boxes), rules);
  // A gap that only a table's columns make (no text across the page) is the table's, not a gutter.
  const whole = linesOf(boxes);
  if (tableGap(whole, gutter)) return read(whole, rules);
  return [
    ...read(
      linesOf(boxes.filter((b) => b.x < gutter)),
      rules.filter((r) => r.x0 < gutter),
    ),
    ...read(
      linesOf(boxes.filter((b) => b.x >= gutter)),
      rules.filter((r) => r.x1 > gutter),
    ),
  ];
}

/** Font names that say the type is bold ("Helvetica-Bold", "Lato-Black", "CMBX10" in LaTeX, "Arial,Bold"). */
const BOLD_FONT = /bold|black|heavy|semibold|demibold|extrabold|[-,]bd$|cmbx|cmssbx|cmb\d/i;

/**
 * The page's fonts whose names say bold. pdf.js names the real font only once the page's drawing
 * operations are read (`drawn`), so the fonts `unknown` to earlier pages are looked up then, once per
 * document, and in a document set in one font not at all: there is nothing to tell apart.
 */
async function boldFonts(page, items, weights, unknown, drawn) {
  const names = [...new Set(items.map((i) => i.fontName).filter(Boolean))];
  if (unknown.length > 0) {
    const fonts = drawn ? await Promise.all(unknown.map((name) => fontOf(page, name))) : [];
    unknown.forEach((name, i) => {
      weights.set(name, BOLD_FONT.test(String(fonts[i]?.name ?? '').replace(/^[A-Z]{6}\+/, '')));
    });
  }
  return new Set(names.filter((name) => weights.get(name)));
}

/** The page's fonts not named yet (at most 50); none in a document set in one font. */
function unknownFonts(items, weights) {
  const names = [...new Set(items.map((i) => i.fontName).filter(Boolean))];
  const unknown = names.filter((name) => !weights.has(name)).slice(0, 50);
  return weights.size + unknown.length >= 2 ? unknown : [];
}

/** The font object pdf.js has bound to a name: it arrives a few ticks after the page's operators. */
function fontOf(page, name) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), 200);
    page.commonObjs.get(name, (font) => {
      clearTimeout(timer);
      resolve(font);
    });
  });
}

/**
 * What the profile rules learn from the layout: lines set in bold or in larger type than the body
 * (`scale` is the line's size over the median size of the document's characters), at most 400 of them.
 */
function styledOf(lines) {
  const sizes = lines.flatMap((l) => Array(Math.min(l.text.length, 200)).fill(l.size)).sort((a, b) => a - b);
  const body = sizes[Math.floor(sizes.length / 2)] || 10;
  return lines
    .map((l) => ({ text: l.text, bold: l.bold, scale: Math.round((l.size / body) * 100) / 100, rule: l.rule }))
    .filter((l) => l.bold || l.scale >= 1.1 || l.rule)
    .slice(0, 400);
}

function findGutter(boxes, pageWidth) {
  const chars = boxes.reduce((n, b) => n + b.s.length, 0);
  for (let x = pageWidth * 0.25; x <= pageWidth * 0.75; x += 2) {
    if (boxes.some((b) => b.x < x && b.x + b.w > x)) continue;
    const left = boxes.filter((b) => b.x + b.w <= x).reduce((n, b) => n + b.s.length, 0);
    // Both sides carry real text (a sidebar may hold little of it).
    if (left > chars * 0.08 && chars - left > chars * 0.08) {
      // A column of labels ("Email:", "Phone:") beside their values is a form, read line by line.
      const leftItems = boxes.filter((b) => b.x < x);
      const labels = leftItems.filter((b) => b.s.trim().endsWith(':')).length;
      if (labels < leftItems.length * 0.6) return x;
    }
  }
  return null;
}

function linesOf(boxes) {
  const sorted = [...boxes].sort((a, b) => b.y - a.y || a.x - b.x);
  const lines = [];
  for (const box of sorted) {
    const line = lines.at(-1);
    if (line && Math.abs(line.y - box.y) <= Math.max(2, box.h * 0.4)) line.boxes.push(box);
    else lines.push({ y: box.y, boxes: [box] });
  }
  return lines.map((line) => {
    const parts = line.boxes.sort((a, b) => a.x - b.x);
    let text = '';
    let end = null;
    for (const p of parts) {
      if (end !== null && p.x - end > p.h * 0.15 && !text.endsWith(' ')) text += ' ';
      text += p.s;
      end = p.x + p.w;
    }
    // A line is bold when all its letters are; its size is its largest type's.
    const lettered = parts.filter((p) => /\p{L}/u.test(p.s));
    const bold = lettered.length > 0 && lettered.every((p) => p.bold);
    return {
      text: text.trim(),
      bold,
      size: Math.max(...parts.map((p) => p.h)),
      // Where it stands, and its items: for the rules drawn beside it and for tables (pdf-layout.ts).
      y: line.y,
      x0: parts[0].x,
      x1: Math.max(...parts.map((p) => p.x + p.w)),
      boxes: parts,
    };
  });
}

// ---- DOCX ---------------------------------------------------------------------------------------

function openZip(buffer) {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      buffer,
      { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false },
      (err, zip) => (err ? reject(new Refusal('CV_UNREADABLE', 'The Word document is damaged.')) : resolve(zip)),
    );
  });
}

/** Checks the archive's directory before anything is inflated, then reads its XML parts. */
async function inspectDocx(buffer) {
  const zip = await openZip(buffer);
  if (zip.entryCount > MAX_ENTRIES) throw new Refusal('CV_UNSAFE_ARCHIVE', 'The document has too many parts.');
  const entries = await new Promise((resolve, reject) => {
    const all = [];
    zip.on('entry', (entry) => {
      all.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(all));
    zip.on('error', (err) =>
      reject(
        // yauzl refuses entry names that climb out of the archive or are absolute.
        /invalid relative path|absolute path|invalid characters/.test(String(err?.message))
          ? new Refusal('CV_UNSAFE_ARCHIVE', 'The document contains a path outside itself.')
          : new Refusal('CV_UNREADABLE', 'The Word document is damaged.'),
      ),
    );
    zip.readEntry();
  });
  let total = 0;
  for (const entry of entries) {
    const name = entry.fileName;
    if (name.startsWith('/') || name.includes('\\') || /^[a-z]:/i.test(name) || name.split('/').includes('..')) {
      throw new Refusal('CV_UNSAFE_ARCHIVE', 'The document contains a path outside itself.');
    }
    total += entry.uncompressedSize;
    if (total > MAX_TOTAL_UNCOMPRESSED)
      throw new Refusal('CV_UNSAFE_ARCHIVE', 'The document unpacks to more than 30 MB.');
    if (
      entry.compressedSize > 0 &&
      entry.uncompressedSize / entry.compressedSize > MAX_RATIO &&
      entry.uncompressedSize > 1024 * 1024
    ) {
      throw new Refusal('CV_UNSAFE_ARCHIVE', 'The document is compressed suspiciously well (a zip bomb?).');
    }
  }
  const names = new Set(entries.map((e) => e.fileName));
  if (!names.has('word/document.xml') || !names.has('[Content_Types].xml')) {
    throw new Refusal('CV_TYPE_MISMATCH', 'The file is a ZIP archive, not a Word (.docx) document.');
  }
  for (const entry of entries.filter((e) => /\.(xml|rels)$/i.test(e.fileName))) {
    const xml = await readEntry(zip, entry);
    // No document type definitions: they are how XML external entities and entity bombs arrive.
    if (/<!DOCTYPE|<!ENTITY/i.test(xml))
      throw new Refusal('CV_UNSAFE_XML', 'The document contains XML entity declarations.');
  }
  zip.close();
}

function readEntry(zip, entry) {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err) return reject(new Refusal('CV_UNREADABLE', 'The Word document is damaged.'));
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      stream.on('error', () =>
        reject(new Refusal('CV_UNSAFE_ARCHIVE', 'A part of the document is not the size it claims.')),
      );
    });
  });
}

async function docxText(buffer) {
  await inspectDocx(buffer);
  const { value } = await mammoth.convertToHtml(
    { buffer },
    {
      // A document's title style is where its owner's name goes; images are not read at all.
      styleMap: ["p[style-name='Title'] => h1:fresh", 'p.Title => h1:fresh', "p[style-name='Subtitle'] => h2:fresh"],
      convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      // An empty paragraph is how a Word CV sets a block apart, as a blank line does in text: kept as one.
      ignoreEmptyParagraphs: false,
    },
  );
  const all = htmlLines(value);
  const lines = all.filter((l) => l.text !== '');
  const styled = lines
    .filter((l) => l.heading > 0 || l.bold)
    .map((l) => ({ text: l.text, bold: true, scale: l.heading > 0 ? HEADING_SCALE[l.heading - 1] : 1 }))
    .slice(0, 400);
  // The name: a title-styled (or Heading 1) paragraph at the top, else a bold one.
  const top = lines.slice(0, 3);
  const first = top.find((l) => l.heading === 1) ?? top.find((l) => l.bold);
  return {
    text: all.map((l) => l.text).join('\n'),
    pages: null,
    styled,
    nameHint: first?.text.slice(0, 200) ?? null,
  };
}

/** Word's heading levels as sizes over the body text's, as the styles usually set them. */
const HEADING_SCALE = [1.6, 1.4, 1.2, 1.2, 1.2, 1.2];
const BLOCK = /^(?:p|h[1-6]|li|ul|ol|br)$/;
const TABLE = /^(?:table|tr|td|th)$/;
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/**
 * mammoth's HTML as lines, one per paragraph, heading and list item, each marked with its heading level
 * (0: none) and whether all its text is bold; an empty paragraph outside tables is an empty line. A
 * table is gathered row by row, cell by cell (tables inside cells too), and read as rows by `tableLines`
 * (docx-tables.ts) when it closes.
 */
function htmlLines(html) {
  const top = [];
  const tables = []; // open tables, innermost last: { rows, row, cell }
  // Where a finished line goes: the innermost open cell, else the document (text between a table's
  // tags outside any cell, which mammoth does not write, joins the document).
  const sink = () => tables.at(-1)?.cell ?? top;
  let text = '';
  let heading = 0;
  let strong = 0;
  let plain = false; // some of the line's text is outside <strong>
  let empty = false; // a paragraph is open and has no text yet
  const flush = () => {
    const line = text.replace(/\s+/g, ' ').trim();
    if (line) {
      sink().push({ text: line, heading, bold: !plain });
      empty = false;
    }
    text = '';
    plain = false;
  };
  for (const m of html.matchAll(/<(\/?)([a-z0-9]{1,10})[^>]{0,100000}>|[^<]{1,100000}/g)) {
    const [token, closing, tag] = m;
    if (tag === undefined) {
      const decoded = token.replace(/&(amp|lt|gt|quot|#39);/g, (_, e) => ENTITIES[e]);
      if (decoded.trim() && strong === 0) plain = true;
      text += decoded;
    } else if (BLOCK.test(tag)) {
      flush();
      if (tag === 'p' && closing && empty && tables.length === 0 && top.at(-1)?.text !== '')
        top.push({ text: '', heading: 0, bold: false });
      empty = tag === 'p' && !closing;
      const level = /^h([1-6])$/.exec(tag);
      if (level) heading = closing ? 0 : Number(level[1]);
    } else if (TABLE.test(tag)) {
      flush();
      tableTag(tables, tag, closing, sink);
    } else if (tag === 'strong') strong = Math.max(0, strong + (closing ? -1 : 1));
  }
  flush();
  while (tables.length > 0) tableTag(tables, 'table', '/', sink);
  return top;
}

/** One table tag: opens or closes a table, row or cell; a closed table's lines join what holds it. */
function tableTag(tables, tag, closing, sink) {
  const table = tables.at(-1);
  if (tag === 'table' && !closing) tables.push({ rows: [], row: null, cell: null });
  else if (!table) return;
  else if (tag === 'table') {
    tableTag(tables, 'tr', '/', sink);
    tables.pop();
    sink().push(...tableLines(table.rows));
  } else if (tag === 'tr') {
    tableTag(tables, 'td', '/', sink);
    if (table.row) table.rows.push(table.row);
    table.row = closing ? null : [];
  } else {
    if (table.cell) {
      table.row ??= [];
      table.row.push(table.cell);
    }
    table.cell = closing ? null : [];
  }
}
