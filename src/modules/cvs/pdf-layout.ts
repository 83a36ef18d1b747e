/**
 * What a PDF page's drawing and positions say beyond its words (issue 14), for the parse worker
 * (extract-worker.mjs), one page (and one column) at a time:
 *
 * - **Rules**: horizontal lines drawn under, over or beside a line of text, as templates mark their
 *   section headings (LaTeX's `\titlerule`, moderncv's bar in the margin, awesome-cv's rule after the
 *   title, Word's paragraph border). A line gets a mark saying where its rule is; the profile rules
 *   decide with the other cues whether it is a heading (profile.ts, `headingLooks`).
 * - **Bands**: a line set on a shaded rectangle about its own height that spans the column, as Canva,
 *   Word's builders and "modern" LaTeX templates set their headings, often in the body's type. A band
 *   is read with the rules (a filled shape, only thicker) and marks the one line it encloses "band".
 * - **Tables**: text set in aligned columns over several rows ("Degree | Institute | Year | Grade") is
 *   read row by row through docx-tables.ts, as Word tables are, instead of line by line.
 *
 * Pure functions over what pdf.js returns; every loop is bounded by the page's operators and lines.
 */
import { type DocLine, joinedRows, type Row, tableKind, tableLines } from './docx-tables.ts';
import { sectionOf } from './profile.ts';

/**
 * A horizontal rule in page space (points, y up): from x0 to x1 at height y. `h` is the height of a
 * filled shape (a rule drawn as a rectangle, or a band behind a line of text); a stroked line has none.
 */
export type Rule = { x0: number; x1: number; y: number; h?: number };
/** A text item placed on the page: its left edge, baseline, width, size, text and weight. */
export type Box = { x: number; y: number; w: number; h: number; s: string; bold: boolean };
/**
 * A line of text as the worker builds it: its text, look and place, the items it is made of and, when
 * a rule is drawn next to it, where ("below", "above", "left", "right", or several joined by "+"), or
 * "band" when it is set on a shaded band.
 */
export type PdfLine = {
  text: string;
  bold: boolean;
  size: number;
  y: number;
  x0: number;
  x1: number;
  boxes: Box[];
  rule?: string | undefined;
};

/** pdf.js's operator list, and the codes of the operators read here (`OPS` from pdf.js). */
export type OperatorList = { fnArray: ArrayLike<number>; argsArray: ArrayLike<unknown> };
export type OpCodes = Record<
  | 'setLineWidth'
  | 'setGState'
  | 'setFillRGBColor'
  | 'setFillTransparent'
  | 'save'
  | 'restore'
  | 'transform'
  | 'paintFormXObjectBegin'
  | 'paintFormXObjectEnd'
  | 'constructPath'
  | 'stroke'
  | 'closeStroke'
  | 'fill'
  | 'eoFill'
  | 'fillStroke'
  | 'eoFillStroke'
  | 'closeFillStroke'
  | 'closeEOFillStroke',
  number
>;

/** Thicker than this (points) is a bar or a box, not a rule; moderncv's section bar is 4.6 pt. */
const MAX_THICKNESS = 6;
/** Shorter than this (points) is a dash or a bullet; the underline of "Skills" in 10-point type is ~25. */
const MIN_LENGTH = 18;
/** Path coordinates read per page at most: a drawing richer than this is a picture, not a CV's lines. */
const MAX_PATH_NUMBERS = 200_000;
/** Rules and bands read per page at most. */
const MAX_RULES = 300;
const MAX_DEPTH = 64;
/** Taller than this (points) is a panel or a picture, not a band behind one line (2.5 times 16-point type). */
const MAX_BAND = 40;
/** A band is at least this many times as wide as it is tall: "Skills" in 11-point type on a tight band is ~3. */
const BAND_RATIO = 3;
/** A fill whose every channel is at least this (of 255) is white on a white page: it draws nothing to see. */
const PALE = 250;

type Matrix = [number, number, number, number, number, number];

/** `m` applied first, then `ctm`: PDF's `cm` operator. */
function concat(ctm: Matrix, m: readonly number[]): Matrix {
  const [a, b, c, d, e, f] = m.map(Number) as Matrix;
  return [
    ctm[0] * a + ctm[2] * b,
    ctm[1] * a + ctm[3] * b,
    ctm[0] * c + ctm[2] * d,
    ctm[1] * c + ctm[3] * d,
    ctm[0] * e + ctm[2] * f + ctm[4],
    ctm[1] * e + ctm[3] * f + ctm[5],
  ];
}

const isMatrix = (m: unknown): m is number[] =>
  (Array.isArray(m) || ArrayBuffer.isView(m)) && (m as ArrayLike<unknown>).length === 6;

/**
 * Whether a fill colour shows on a white page. pdf.js hands every fill colour (gray, RGB, CMYK, a
 * colour space's) over as `setFillRGBColor` with "#rrggbb"; a pattern or gradient has no one colour
 * and counts as showing.
 */
const shows = (hex: unknown): boolean => {
  const m = typeof hex === 'string' ? /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex) : null;
  return !m || m.slice(1).some((c) => Number.parseInt(c, 16) < PALE);
};

/**
 * The page's horizontal rules: stroked straight segments that are level (a line, a box's top and
 * bottom edges) and filled shapes that are long and thin (a rule drawn as a rectangle), in page space;
 * with them, filled shapes up to a line or two high and a few times wider (bands, for markRules to
 * match with the line they hold). Fills in white or transparent draw nothing on the page and are left
 * out. pdf.js 5 hands each painted path over as `constructPath` with its painting operator and the path
 * as numbers (moveTo 0, lineTo 1, curveTo 2, quadraticCurveTo 3, closePath 4); the transforms, line
 * widths and fill colour around it are followed through save and restore.
 */
export function horizontalRules(list: OperatorList, OPS: OpCodes): Rule[] {
  const strokes = new Set([
    OPS.stroke,
    OPS.closeStroke,
    OPS.fillStroke,
    OPS.eoFillStroke,
    OPS.closeFillStroke,
    OPS.closeEOFillStroke,
  ]);
  const fills = new Set([
    OPS.fill,
    OPS.eoFill,
    OPS.fillStroke,
    OPS.eoFillStroke,
    OPS.closeFillStroke,
    OPS.closeEOFillStroke,
  ]);
  const rules: Rule[] = [];
  const stack: Array<{ ctm: Matrix; lineWidth: number; visible: boolean; opacity: number }> = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  let lineWidth = 1;
  let visible = true; // the fill colour shows (black until set)
  let opacity = 1; // the fill's
  let budget = MAX_PATH_NUMBERS;
  const add = (x0: number, x1: number, y: number, thickness: number, filled: boolean) => {
    const [from, to] = x0 <= x1 ? [x0, x1] : [x1, x0];
    if (to - from < MIN_LENGTH || !Number.isFinite(y)) return;
    if (!filled && thickness <= MAX_THICKNESS) rules.push({ x0: from, x1: to, y });
    else if (filled && thickness <= MAX_BAND) rules.push({ x0: from, x1: to, y, h: thickness });
  };
  for (let i = 0; i < list.fnArray.length && rules.length < MAX_RULES; i++) {
    const fn = list.fnArray[i];
    const args = list.argsArray[i] as unknown[] | null | undefined;
    if (fn === OPS.save || fn === OPS.paintFormXObjectBegin) {
      if (stack.length >= MAX_DEPTH) return rules;
      stack.push({ ctm, lineWidth, visible, opacity });
      if (fn === OPS.paintFormXObjectBegin && isMatrix(args?.[0])) ctm = concat(ctm, args[0] as number[]);
    } else if (fn === OPS.restore || fn === OPS.paintFormXObjectEnd) {
      const saved = stack.pop();
      if (saved) ({ ctm, lineWidth, visible, opacity } = saved);
    } else if (fn === OPS.transform && isMatrix(args)) ctm = concat(ctm, args as unknown as number[]);
    else if (fn === OPS.setLineWidth) lineWidth = Number(args?.[0]) || 0;
    else if (fn === OPS.setFillRGBColor) visible = shows(args?.[0]);
    else if (fn === OPS.setFillTransparent) visible = false;
    else if (fn === OPS.setGState && Array.isArray(args?.[0])) {
      for (const entry of args[0] as unknown[]) {
        if (Array.isArray(entry) && entry[0] === 'LW') lineWidth = Number(entry[1]) || 0;
        if (Array.isArray(entry) && entry[0] === 'ca') opacity = Number(entry[1]) || 0;
      }
    } else if (fn === OPS.constructPath && Array.isArray(args)) {
      const paint = args[0] as number;
      const data = (args[1] as unknown[] | undefined)?.[0] as ArrayLike<number> | undefined;
      if (!data || typeof data.length !== 'number') continue;
      budget -= data.length;
      if (budget < 0) return rules;
      const stroked = strokes.has(paint);
      // A fill in white, or (almost) fully transparent, is not seen on the page.
      const filled = fills.has(paint) && visible && opacity >= 0.05;
      if (!stroked && !filled) continue; // a clipping path draws nothing
      // A stroke's width as drawn: the line width scaled by the transform (a zero width is the thinnest line).
      const width = Math.max(lineWidth, 0.5) * Math.sqrt(Math.abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]));
      readPath(data, ctm, stroked ? width : null, filled, add);
    }
  }
  return rules;
}

function readPath(
  data: ArrayLike<number>,
  ctm: Matrix,
  strokeWidth: number | null,
  filled: boolean,
  add: (x0: number, x1: number, y: number, thickness: number, filled: boolean) => void,
) {
  const at = (x: number, y: number) => [ctm[0] * x + ctm[2] * y + ctm[4], ctm[1] * x + ctm[3] * y + ctm[5]] as const;
  let start: readonly [number, number] | null = null;
  let current: readonly [number, number] | null = null;
  let points: Array<readonly [number, number]> = [];
  const segment = (p: readonly [number, number], q: readonly [number, number]) => {
    if (strokeWidth !== null && Math.abs(p[1] - q[1]) <= 1) add(p[0], q[0], (p[1] + q[1]) / 2, strokeWidth, false);
  };
  // A filled shape is a rule when its box is long and thin, a band when it is a few times wider than tall.
  const close = () => {
    if (filled && points.length >= 2) {
      // Loops, not Math.min(...points): a path may hold more points than a call takes arguments.
      let [left, right, bottom, top] = [
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
      ];
      for (const [x, y] of points) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        bottom = Math.min(bottom, y);
        top = Math.max(top, y);
      }
      const [width, height] = [right - left, top - bottom];
      if (width >= 5 * height || (height > MAX_THICKNESS && width >= BAND_RATIO * height))
        add(left, right, (top + bottom) / 2, height, true);
    }
    points = [];
  };
  let k = 0;
  while (k < data.length) {
    const op = data[k];
    if (op === 0 || op === 1) {
      const p = at(data[k + 1] ?? 0, data[k + 2] ?? 0);
      if (op === 0) {
        close();
        start = p;
      } else if (current) segment(current, p);
      current = p;
      points.push(p);
      k += 3;
    } else if (op === 2 || op === 3) {
      // A curve bends: no stroke segment, but its points bound a filled shape.
      const n = op === 2 ? 3 : 2;
      for (let j = 0; j < n; j++) points.push(at(data[k + 1 + 2 * j] ?? 0, data[k + 2 + 2 * j] ?? 0));
      current = points.at(-1) ?? current;
      k += 1 + 2 * n;
    } else if (op === 4) {
      if (current && start) segment(current, start);
      current = start;
      k += 1;
    } else break; // not a path pdf.js writes: read no further
  }
  close();
}

const bottomOf = (l: PdfLine) => l.y - 0.3 * l.size;
const topOf = (l: PdfLine) => l.y + 0.85 * l.size;
const overlaps = (r: Rule, l: PdfLine) => Math.min(r.x1, l.x1) - Math.max(r.x0, l.x0) > 0;

/**
 * The line a filled shape is the band of, or null: the shape is the line's height or a little more
 * (0.8 to 2.5 times its type size), covers its words across and from baseline to capitals, and reaches
 * no other line. A page's background or a panel holds several lines; a table's shaded rows are rows of
 * cells (markRules leaves those); a highlighted word leaves the rest of its line out.
 */
function bandOf(band: Rule, lines: PdfLine[]): PdfLine | null {
  const h = band.h ?? 0;
  const [bottom, top] = [band.y - h / 2, band.y + h / 2];
  // The part of a line its letters fill: baseline to x-height and above.
  const reached = lines.filter((l) => overlaps(band, l) && bottom < l.y + 0.6 * l.size && top > l.y);
  const line = reached.length === 1 ? (reached[0] as PdfLine) : null;
  if (!line) return null;
  const { size } = line;
  const fits =
    h >= 0.8 * size &&
    h <= 2.5 * size &&
    bottom <= line.y + 0.1 * size &&
    top >= line.y + 0.6 * size &&
    band.x0 <= line.x0 + 0.5 * size &&
    band.x1 >= line.x1 - 0.5 * size;
  return fits ? line : null;
}

/**
 * Marks each line that a rule is drawn directly under, over or beside. A rule belongs to the line it
 * is clearly nearest to (at most a line's height away and at most half as far as the line on its other
 * side): a separator halfway between two paragraphs, or a table's borders between evenly spaced rows,
 * belong to neither. A rule across the text near its baseline is an underline ("below"); through the
 * middle of it, a strike-through, nothing. A line of several cells (a table's row) takes no mark: the
 * rule is the table's border. A filled shape that is the band of a line marks it "band"; one thicker
 * than a rule that is no band marks nothing.
 */
export function markRules(lines: PdfLine[], rules: Rule[]): void {
  const marks = new Map<PdfLine, Set<string>>();
  const mark = (line: PdfLine, where: string) => {
    // A row of cells is part of a table: a rule against it is the table's border.
    if (cellsOf(line).length > 1) return;
    const set = marks.get(line) ?? new Set<string>();
    set.add(where);
    marks.set(line, set);
  };
  for (const rule of rules) {
    if (rule.h !== undefined) {
      const band = bandOf(rule, lines);
      if (band) mark(band, 'band');
      if (band || rule.h > MAX_THICKNESS) continue;
    }
    // Within a line's height: an underline, or a bar or rule beside the words.
    const level = lines.find((l) => rule.y >= bottomOf(l) && rule.y <= topOf(l));
    if (level) {
      if (overlaps(rule, level)) {
        if (rule.y <= level.y + 0.15 * level.size) mark(level, 'below');
        continue;
      }
      const gap = rule.x0 >= level.x1 ? rule.x0 - level.x1 : level.x0 - rule.x1;
      if (gap <= 3 * level.size) {
        mark(level, rule.x0 >= level.x1 ? 'right' : 'left');
        continue;
      }
    }
    let above: PdfLine | null = null;
    let below: PdfLine | null = null;
    for (const l of lines) {
      if (!overlaps(rule, l)) continue;
      if (bottomOf(l) >= rule.y && (!above || bottomOf(l) < bottomOf(above))) above = l;
      if (topOf(l) <= rule.y && (!below || topOf(l) > topOf(below))) below = l;
    }
    const up = above ? bottomOf(above) - rule.y : Number.POSITIVE_INFINITY;
    const down = below ? rule.y - topOf(below) : Number.POSITIVE_INFINITY;
    if (above && up <= above.size && up <= 0.5 * down) mark(above, 'below');
    else if (below && down <= below.size && down <= 0.5 * up) mark(below, 'above');
  }
  for (const [line, set] of marks) line.rule = [...set].sort().join('+');
}

/** Items further apart than this (times the type size) are in different cells; a word space is ~0.3. */
const CELL_GAP = 0.8;
/** Rows further apart than this (times the type size) are not one table. */
const ROW_GAP = 2.5;
/** Labels a form's left column holds: a two-column run reads as labels beside values only with them. */
const FORM_LABEL =
  /^(?:(?:full\s)?name|e-?mail(?:\sid)?|phone|mobile|mob|cell|tel(?:ephone)?|contact(?:\sno)?|address|location|city|nationality|gender|sex|marital\sstatus|date\sof\sbirth|d\.?o\.?b|birthday|age|linkedin|github|website|portfolio|father'?s\sname|languages?(?:\sknown)?|passport(?:\sno)?|hobbies|interests)$/i;

/** Where a run of items starts on the left. */
const leftOf = (boxes: Box[]) => boxes[0]?.x ?? 0;
/** Where a run of items ends on the right. */
const rightOf = (boxes: Box[]) => boxes.reduce((m, b) => Math.max(m, b.x + b.w), Number.NEGATIVE_INFINITY);

/** A line's items grouped into cells: runs of items closer than a cell's gap. */
function cellsOf(line: PdfLine): Box[][] {
  const cells: Box[][] = [];
  let end = Number.NEGATIVE_INFINITY;
  for (const box of line.boxes) {
    const cell = cells.at(-1);
    if (cell && box.x - end <= CELL_GAP * Math.max(box.h, 1)) cell.push(box);
    else cells.push([box]);
    end = Math.max(end, box.x + box.w);
  }
  return cells;
}

const cellText = (cell: Box[]) => {
  let text = '';
  let end: number | null = null;
  for (const b of cell) {
    if (end !== null && b.x - end > b.h * 0.15 && !text.endsWith(' ')) text += ' ';
    text += b.s;
    end = b.x + b.w;
  }
  return text.replace(/\s+/g, ' ').trim();
};

/**
 * The columns of a run of rows: the spans of their cells, overlapping spans merged. Null when a row
 * puts two cells in one column (its words are not aligned with the others').
 */
function columnsOf(rows: Box[][][]): Array<[number, number]> | null {
  const spans = rows
    .flat()
    .map((c) => [leftOf(c), rightOf(c)] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const columns: Array<[number, number]> = [];
  for (const [from, to] of spans) {
    const last = columns.at(-1);
    if (last && from < last[1]) last[1] = Math.max(last[1], to);
    else columns.push([from, to]);
  }
  for (const row of rows) {
    const used = row.map((c) => columns.findIndex(([from, to]) => leftOf(c) >= from && leftOf(c) < to));
    if (new Set(used).size !== used.length) return null;
  }
  return columns;
}

/** The column a cell starts in: the one whose span holds its left edge, else the last one left of it. */
function columnAt(columns: Array<[number, number]>, x: number): number {
  const inside = columns.findIndex(([from, to]) => x >= from && x < to);
  if (inside >= 0) return inside;
  let at = 0;
  columns.forEach(([from], k) => {
    if (from <= x) at = k;
  });
  return at;
}

/**
 * A cell's line cut mid-phrase, the next going on with it: the line ends on a joining word or a comma
 * ("Kestrel Institute of" / "Technology"), or the next starts in lower case ("B.Tech" / "in Computer
 * Science"). Otherwise the next line is a paragraph of its own ("Backend Engineer" / "Built the …").
 */
const WRAPPED = /(?:\s(?:of|and|&|in|for|the|at|de|du|la|to)|[,–-])\n|\n\p{Ll}/u;

/** A figure as dates and scores write it (a year, "78", "8.1"): "k8s" or "Python 3" hold none. */
const FIGURE = /\b\d{2,4}\b|\d[.,/]\d/;

/**
 * A run of rows as a table, or null when it should stay lines: three columns or more read as a table
 * whatever they hold; two only when their rows say what they are — a heading row naming roles
 * ("Degree | Year"), records ("Company | Northwind Labs"), a form's labels ("Email | …"), or a grid of
 * items without figures (skills) — since a date in the margin beside a job's line, or dates set right
 * of a role, are two columns too. A line of one cell continues the row above it: the same text when
 * it was wrapped (WRAPPED), else a further paragraph of that cell (a job's description under its role),
 * as in a Word table.
 */
function asTable(run: PdfLine[]): PdfLine[] | null {
  const cells = run.map(cellsOf);
  const columns = columnsOf(cells.filter((row) => row.length > 1));
  if (!columns || columns.length < 2) return null;
  const rows: Row[] = [];
  const wraps = (cell: DocLine | undefined, text: string) =>
    cell !== undefined && WRAPPED.test(`${cell.text.slice(-8)}\n${text.slice(0, 1)}`);
  for (const row of cells) {
    // A row whose every cell goes on with the cell above it is the row above, wrapped.
    const above = rows.at(-1);
    const wrapped =
      above !== undefined && row.every((cell) => wraps(above[columnAt(columns, leftOf(cell))]?.at(-1), cellText(cell)));
    const continued = row.length === 1 || wrapped ? above : undefined;
    const out: DocLine[][] = continued ?? columns.map(() => []);
    for (const cell of row) {
      const at = columnAt(columns, leftOf(cell));
      const text = cellText(cell);
      const last = out[at]?.at(-1);
      if (continued && wraps(last, text) && last) last.text = `${last.text} ${text}`;
      else out[at]?.push({ text, heading: 0, bold: cell.every((b) => b.bold || !/\p{L}/u.test(b.s)) });
    }
    if (!continued) rows.push(out);
  }
  let lines: DocLine[] = [];
  if (columns.length === 2) {
    const kind = tableKind(rows);
    const labels = rows.map((r) => (r[0]?.[0]?.text ?? '').replace(/\s?[:：]$/, '')).filter(Boolean);
    const form =
      kind === 'labels' && labels.filter((l) => FORM_LABEL.test(l) || sectionOf(l)).length * 2 >= labels.length;
    // Two columns of short items without a figure among them are a list set in a grid (skills).
    const grid =
      (kind === 'plain' || kind === 'labels') &&
      rows.every((r) => r.every((c) => c.every((l) => !FIGURE.test(l.text))));
    if (kind === 'headed' || kind === 'records' || form) lines = tableLines(rows);
    else if (grid) lines = joinedRows(rows);
    else return null;
  } else lines = tableLines(rows);
  const size = run.reduce((m, l) => Math.max(m, l.size), 0);
  const first = run[0] as PdfLine;
  return lines.map((l) => ({
    text: l.text,
    bold: l.bold,
    size,
    y: first.y,
    x0: first.x0,
    x1: first.x1,
    boxes: [],
  }));
}

/** A column's lines with its tables read as rows (see tableRuns). */
export function withTables(lines: PdfLine[]): PdfLine[] {
  return tableRuns(lines).flatMap(({ from, to, table }) => table ?? lines.slice(from, to));
}

/**
 * Whether a gap down the page is the gap between a table's columns, not a gutter between the page's
 * columns: every line with words right of `x` is a row of a table whose rows also have words left of
 * it. A page whose only wide text is a table (no summary across it) has such a gap.
 */
export function tableGap(lines: PdfLine[], x: number): boolean {
  const inTables = new Set<PdfLine>();
  for (const { from, to, table } of tableRuns(lines)) {
    const rows = lines.slice(from, to);
    if (table && rows.some((l) => l.boxes.some((b) => b.x + b.w <= x))) for (const l of rows) inTables.add(l);
  }
  const right = lines.filter((l) => l.boxes.some((b) => b.x >= x));
  return right.length > 0 && right.every((l) => inTables.has(l));
}

/**
 * A column's lines in runs, each a table (`table`: its lines as rows) or lines to keep as they are
 * (`table` null): a table starts with two consecutive lines of two or more cells each, close together,
 * whose cells line up in columns; a line of one cell that starts right of the first column's text
 * continues the run (a cell's further line), and so does one in the first column between two rows.
 */
function tableRuns(lines: PdfLine[]): Array<{ from: number; to: number; table: PdfLine[] | null }> {
  const out: Array<{ from: number; to: number; table: PdfLine[] | null }> = [];
  const cells = lines.map(cellsOf);
  const close = (k: number) =>
    k > 0 && (lines[k - 1] as PdfLine).y - (lines[k] as PdfLine).y <= ROW_GAP * (lines[k] as PdfLine).size;
  let i = 0;
  while (i < lines.length) {
    let j = i;
    if ((cells[i]?.length ?? 0) >= 2 && (cells[i + 1]?.length ?? 0) >= 2 && close(i + 1)) {
      let firstColumnEnd = 0;
      let secondColumn = Number.POSITIVE_INFINITY;
      while (j < lines.length && (j === i || close(j))) {
        const row = cells[j] as Box[][];
        const only = row.length === 1 ? (row[0] as Box[]) : null;
        if (row.length >= 2) {
          firstColumnEnd = Math.max(firstColumnEnd, rightOf(row[0] as Box[]));
          secondColumn = Math.min(secondColumn, row[1]?.[0]?.x ?? secondColumn);
        } else if (!only) break;
        else if (leftOf(only) <= firstColumnEnd) {
          // In the first column, a line goes on with the row above only when it is that cell's text
          // wrapped, clear of the second column ("B.Tech" / "in Computer Science"): otherwise it is the
          // paragraph or heading after the table.
          const above = cellText(cells[j - 1]?.[0] ?? []);
          const inside = rightOf(only) < secondColumn;
          if (!(inside && WRAPPED.test(`${above.slice(-8)}\n${cellText(only).slice(0, 1)}`))) break;
        }
        j++;
      }
    }
    // A run that is no table stays lines, all of it: each line is looked at once.
    const table = j - i >= 2 ? asTable(lines.slice(i, j)) : null;
    out.push({ from: i, to: Math.max(j, i + 1), table });
    i = Math.max(j, i + 1);
  }
  return out;
}

/**
 * A column's lines as text, with an empty line where the space above a line would hold a line of its
 * type: how a PDF shows the blank line that sets a block apart in text, which the profile rules read (a
 * sub-heading such as "Computer Skills" set apart is a heading). The ordinary step down from one line to
 * the next is the lower quartile of the steps (lines set close, as in a list), or 1.2 times the type on
 * a page of few lines. A step up (the next column) adds nothing.
 */
export function linesText(lines: PdfLine[]): string {
  const steps = lines
    .slice(1)
    .map((l, i) => (lines[i] as PdfLine).y - l.y)
    .filter((d) => d > 0)
    .sort((a, b) => a - b);
  const ordinary = steps.length >= 4 ? (steps[Math.floor(steps.length / 4)] as number) : null;
  return lines
    .map((l, i) => {
      const above = lines[i - 1];
      if (!above) return l.text;
      const size = Math.max(above.size, l.size);
      return above.y - l.y > (ordinary ?? 1.2 * size) + 0.9 * size ? `\n${l.text}` : l.text;
    })
    .join('\n');
}
