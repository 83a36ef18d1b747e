/**
 * Real documents for tests, built here from text: PDFs (with a text layer, in one or two columns, or
 * without text like a scan) and Word .docx files, plus the broken and hostile variants uploads must
 * survive. All content is fictional.
 */
import { createCanvas } from '@napi-rs/canvas';
import JSZip from 'jszip';

/**
 * A rule drawn against a line (how templates mark headings) or on a line of its own (a separator):
 * `gap` is its distance from the baseline (down for `below` and a separator, up for `above`), `filled`
 * draws it as a thin rectangle instead of a stroked line.
 */
export type PdfRule = { x0?: number; x1?: number; gap?: number; thickness?: number; filled?: boolean };
/**
 * A shaded band behind a line (how Canva and Word's builders set headings): a filled rectangle from
 * `x0` to `x1`, `height` high, its bottom `below` the baseline, in `gray` (0 black, 1 white) or `rgb`
 * (0 to 1 each); by default light gray, across the column, 1.5 times the type size, centred on the words.
 */
export type PdfBand = {
  x0?: number;
  x1?: number;
  height?: number;
  below?: number;
  gray?: number;
  rgb?: [number, number, number];
};
/**
 * A line of a page: its text at `x` (a column), or `cells` set on one baseline at their own `x` (a
 * table's row); rules drawn below, above or beside it (moderncv's bar on the left, awesome-cv's rule
 * after the title on the right); `hr` with empty text is a separator on a line of its own.
 */
export type PdfLine = {
  text: string;
  x?: number;
  size?: number;
  bold?: boolean;
  cells?: Array<{ text: string; x: number; bold?: boolean }>;
  below?: PdfRule;
  above?: PdfRule;
  beside?: 'left' | 'right';
  hr?: PdfRule;
  band?: PdfBand;
};

/** A rule's drawing operators: a stroked line, or a filled rectangle as thick as the rule. */
function ruleOps(x0: number, x1: number, y: number, rule: PdfRule): string {
  const t = rule.thickness ?? 0.8;
  if (rule.filled) return `${x0} ${(y - t / 2).toFixed(2)} ${x1 - x0} ${t} re f`;
  return `q ${t} w ${x0} ${y.toFixed(2)} m ${x1} ${y.toFixed(2)} l S Q`;
}

/** A band's drawing operators, in a saved state so that the text after it keeps its own colour. */
function bandOps(x: number, y: number, size: number, band: PdfBand): string {
  const [x0, x1] = [band.x0 ?? x - 4, band.x1 ?? 545];
  const height = band.height ?? 1.5 * size;
  const bottom = y - (band.below ?? (height - 0.7 * size) / 2);
  const colour = band.rgb ? `${band.rgb.join(' ')} rg` : `${band.gray ?? 0.85} g`;
  return `q ${colour} ${x0} ${bottom.toFixed(2)} ${x1 - x0} ${height.toFixed(2)} re f Q`;
}

const escapePdf = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);

/** WinAnsiEncoding: Latin-1, plus typographic punctuation at the code points Windows-1252 puts it. */
const WIN_ANSI: Record<string, string> = {
  '\u2013': '\x96',
  '\u2014': '\x97',
  '\u2018': '\x91',
  '\u2019': '\x92',
  '\u201c': '\x93',
  '\u201d': '\x94',
  '\u2022': '\x95',
  '\u20ac': '\x80',
};
const winAnsi = (s: string) =>
  s.replace(/[\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u20ac]/g, (c) => WIN_ANSI[c] ?? '?');

/** A table's row for makePdf: each cell's text at its own `x`, on one baseline. */
export const pdfRow = (cells: Array<[string, number]>, bold = false): PdfLine => ({
  text: '',
  bold,
  cells: cells.map(([text, x]) => ({ text, x })),
});

/** A PDF whose pages hold the given lines, top to bottom; `x` places a line in a column. */
export function makePdf(pages: PdfLine[][], options: { drawOnly?: boolean } = {}): Buffer {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body) && objects.length;
  const catalog = add('');
  const pageTree = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const bold = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  const pageIds: number[] = [];
  for (const lines of pages) {
    let y = 800;
    const ops: string[] = [];
    const columnY: Record<number, number> = {};
    for (const line of lines) {
      const x = line.x ?? 50;
      const size = line.size ?? 11;
      const at = columnY[x] ?? y;
      const text = (t: string, tx: number, bold?: boolean) =>
        `BT /F${bold ? 2 : 1} ${size} Tf ${tx} ${at} Td (${escapePdf(winAnsi(t))}) Tj ET`;
      // Drawn first: the words go over it.
      if (line.band) ops.push(bandOps(x, at, size, line.band));
      if (options.drawOnly) ops.push(`${x} ${at} 200 ${size} re f`);
      else if (line.cells) ops.push(...line.cells.map((c) => text(c.text, c.x, c.bold ?? line.bold)));
      else if (line.text) ops.push(text(line.text, x, line.bold));
      const rule = (r: PdfRule, y0: number) => ruleOps(r.x0 ?? x, r.x1 ?? 545, y0, r);
      if (line.hr) ops.push(rule(line.hr, at + (line.hr.gap ?? 0.3 * size)));
      if (line.below) ops.push(rule(line.below, at - (line.below.gap ?? 0.35 * size)));
      if (line.above) ops.push(rule(line.above, at + (line.above.gap ?? 0.95 * size)));
      // Helvetica's letters are at most ~0.7 em wide: a rule beside starts clear of the words.
      if (line.beside === 'left') ops.push(ruleOps(x - 70, x - 8, at + 0.3 * size, { filled: true, thickness: 4.6 }));
      if (line.beside === 'right') ops.push(ruleOps(x + line.text.length * size * 0.7 + 6, 545, at + 0.3 * size, {}));
      columnY[x] = at - size * 1.6;
      if (x === 50) y = columnY[x];
    }
    const stream = ops.join('\n');
    const content = add(`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`);
    pageIds.push(
      add(
        `<< /Type /Page /Parent ${pageTree} 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 ${font} 0 R /F2 ${bold} 0 R >> >> /Contents ${content} 0 R >>`,
      ),
    );
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pageTree} 0 R >>`;
  objects[pageTree - 1] =
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/**
 * A scanned CV: each page is one JPEG image of the lines (what a scanner or a phone app writes), with
 * no text layer. Lines are drawn at 150 dpi on A4; `size` is in points, as in makePdf.
 */
export function makeScannedPdf(pages: PdfLine[][]): Buffer {
  const [width, height] = [1240, 1754];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]?.length ?? 0;
  const push = (b: Buffer) => {
    parts.push(b);
    length += b.length;
  };
  const object = (id: number, head: string, stream?: Buffer) => {
    offsets[id - 1] = length;
    if (!stream) return push(Buffer.from(`${id} 0 obj\n${head}\nendobj\n`, 'latin1'));
    push(Buffer.from(`${id} 0 obj\n${head}\nstream\n`, 'latin1'));
    push(stream);
    push(Buffer.from('\nendstream\nendobj\n', 'latin1'));
  };
  const pageIds = pages.map((_, i) => 3 + i * 3);
  object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  object(2, `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`);
  pages.forEach((lines, i) => {
    const canvas = createCanvas(width, height);
    const g = canvas.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, width, height);
    g.fillStyle = '#111';
    let y = 150;
    for (const line of lines) {
      const px = Math.round(((line.size ?? 11) * 150) / 72);
      g.font = `${px}px sans-serif`;
      y += px * 1.5;
      g.fillText(line.text, Math.round(((line.x ?? 50) * 150) / 72), y);
    }
    const jpeg = canvas.toBuffer('image/jpeg', 85);
    const [page, image, content] = [pageIds[i] ?? 0, (pageIds[i] ?? 0) + 1, (pageIds[i] ?? 0) + 2];
    object(
      page,
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 ${image} 0 R >> >> /Contents ${content} 0 R >>`,
    );
    object(
      image,
      `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>`,
      jpeg,
    );
    const draw = Buffer.from('q 595 0 0 842 0 0 cm /Im0 Do Q', 'latin1');
    object(content, `<< /Length ${draw.length} >>`, draw);
  });
  const xref = length;
  const count = offsets.length + 1;
  push(
    Buffer.from(
      `xref\n0 ${count}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size ${count} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`,
      'latin1',
    ),
  );
  return Buffer.concat(parts);
}

/** A PDF whose page tree points at itself: readers that follow it blindly never finish. */
export function makeLoopingPdf(): Buffer {
  const body = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>',
    '<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  body.forEach((b, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${b}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${body.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${body.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A paragraph: its text, or its text in bold runs or in a paragraph style ("Heading1", "Title"). */
export type DocxParagraph = string | { text: string; bold?: boolean; style?: string };
/** A table cell: one paragraph, or several blocks (a job's bullets, a column of the page, a table in the table). */
export type DocxCell = DocxParagraph | DocxBlock[];
/** What a document's body holds: paragraphs and tables (rows of cells). */
export type DocxBlock = DocxParagraph | { table: DocxCell[][] };

const paragraphXml = (p: DocxParagraph) => {
  const { text, bold, style } = typeof p === 'string' ? { text: p } : p;
  const pPr = style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : '';
  const rPr = bold ? '<w:rPr><w:b/></w:rPr>' : '';
  return `<w:p>${pPr}<w:r>${rPr}<w:t xml:space="preserve">${xmlEscape(text)}</w:t></w:r></w:p>`;
};

// Word wants a paragraph as a cell's last element, after a table in it.
const cellXml = (c: DocxCell): string =>
  `<w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr>${(Array.isArray(c) ? c : [c]).map(blockXml).join('')}${Array.isArray(c) && typeof c.at(-1) === 'object' && 'table' in (c.at(-1) as object) ? '<w:p/>' : ''}</w:tc>`;

const blockXml = (b: DocxBlock): string =>
  typeof b === 'object' && 'table' in b
    ? `<w:tbl><w:tblPr><w:tblW w:w="9000" w:type="dxa"/></w:tblPr>${b.table.map((r) => `<w:tr>${r.map(cellXml).join('')}</w:tr>`).join('')}</w:tbl>`
    : paragraphXml(b);

export function documentXml(blocks: DocxBlock[], prolog = ''): string {
  const body = blocks.map(blockXml).join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${prolog}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`;
}

/** A Word document with the given paragraphs and tables; `extra` adds or replaces archive entries. */
export async function makeDocx(
  blocks: DocxBlock[],
  extra: Record<string, string | Buffer> = {},
  options: { compression?: 'DEFLATE' | 'STORE' } = {},
): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', CONTENT_TYPES);
  zip.file('_rels/.rels', RELS);
  zip.file('word/document.xml', documentXml(blocks));
  for (const [name, content] of Object.entries(extra)) zip.file(name, content);
  return zip.generateAsync({ type: 'nodebuffer', compression: options.compression ?? 'DEFLATE' });
}

/** A Word document: paragraphs, then a table, then more paragraphs. */
export async function makeDocxTable(before: string[], rows: string[][], after: string[]): Promise<Buffer> {
  return makeDocx([...before, { table: rows }, ...after]);
}

/** A ZIP that is not a Word document. */
export async function makeZip(files: Record<string, string>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(files)) zip.file(name, content);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** A multipart/form-data body with one file part, for app.inject. */
export function multipartBody(file: { name: string; type: string; bytes: Buffer }, boundary = 'jobr-test-boundary') {
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, file.bytes, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/**
 * The education entries a CV's table of two degrees gives ("Degree | Specialization | Institute | Year |
 * CGPA / %": a B.Tech in Computer Science from XYZ Institute of Technology, 2019, 8.1; a 12th from
 * Sunrise Junior College, 2015, 78), whether the table comes in a DOCX or a PDF. Fictional.
 */
export const EDUCATION_TABLE_ENTRIES = [
  {
    degree: 'B.Tech in Computer Science',
    field: 'Computer Science',
    institution: 'XYZ Institute of Technology',
    grade: '8.1 CGPA',
    start: null,
    end: '2019',
  },
  { degree: '12th', field: null, institution: 'Sunrise Junior College', grade: '78%', start: null, end: '2015' },
];
