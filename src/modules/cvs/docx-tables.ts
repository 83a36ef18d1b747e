/**
 * Word tables as lines the profile rules read (issue 14). CV templates put education ("Degree |
 * Institute | Year | Grade"), personal details ("Phone | +91 …"), skills ("Languages | Python, C++")
 * and jobs in tables; read cell by cell, a row's values lose their relation. Here a table with a
 * heading row becomes one line per row in the order the rules expect ("B.Tech in CSE, XYZ Institute of
 * Technology, 2015 - 2019, 8.1 CGPA"; "Backend Engineer, Acme Ltd   2019 - 2021"), a table of labels
 * beside values becomes "Label: value" lines, and a table used for layout (a sidebar beside the main
 * column) is still read cell by cell. The input is mammoth's HTML, already split into cells; every
 * pattern here runs on one cell's line (bounded below) and is linear.
 */
import { datesIn, sectionOf } from './profile.ts';

/** A line of the document: its text, its heading level (0: none) and whether all of it is bold. */
export type DocLine = { text: string; heading: number; bold: boolean };
/** A cell is its lines (paragraphs); a row is its cells, in order. */
export type Row = DocLine[][];

/** Sections whose names also label one row of a skills table. */
const LISTS = new Set(['skills', 'languages']);
/** A cell with more lines than this is a column of the page, not a value: the table is a layout. */
const LAYOUT_CELL_LINES = 4;
/** Longer than this, a cell's text is not a label or a column's heading. */
const SHORT = 40;

type Role = 'degree' | 'field' | 'institution' | 'dates' | 'grade' | 'company' | 'title' | 'place' | 'level' | 'other';

/**
 * What a heading cell names, tested in this order: "Class/Grade" is a grade, "University/Board" an
 * institution, "Organisation" an employer, "Year of passing" a date.
 */
const ROLES: Array<[Role, RegExp]> = [
  ['grade', /\b(?:grade|c?gpa|cpi|sgpa|percent(?:age)?|marks|score|division|result|aggregate)\b|%/i],
  ['dates', /\b(?:years?|dates?|duration|period|from|to|passing|session|batch|tenure)\b/i],
  ['institution', /institut|universit|college|school|board|academy/i],
  ['field', /\b(?:field|major|speciali[sz]ation|stream|branch|subject|discipline)\b/i],
  ['degree', /\b(?:degree|qualifications?|course|program(?:me)?|exam(?:ination)?|class|standard|certificate)\b/i],
  ['company', /\b(?:company|organi[sz]ation|employer|firm|client)\b/i],
  ['title', /\b(?:role|designation|position|title|post|job)\b/i],
  ['place', /\b(?:location|city|place)\b/i],
  ['level', /\b(?:level|proficiency|rating|expertise)\b/i],
  ['other', /\b(?:skills?|technolog(?:y|ies)|tools|category|area|details|description|responsibilit(?:y|ies))\b/i],
];

const text = (cell: DocLine[] | undefined) => (cell ?? []).map((l) => l.text).join(' ');
const single = (cell: DocLine[]) => cell.length <= 1 && text(cell).length <= SHORT;

/** The roles of the first row's cells when it is a heading row (every cell short, without digits, named). */
function headingRoles(row: Row): Role[] | null {
  const filled = row.filter((c) => c.length > 0);
  if (filled.length < 2) return null;
  const roles: Role[] = [];
  for (const cell of row) {
    const words = text(cell);
    if (!words) {
      roles.push('other');
      continue;
    }
    if (!single(cell) || /\d/.test(words)) return null;
    const role = ROLES.find(([, re]) => re.test(words))?.[0];
    if (!role) return null;
    roles.push(role);
  }
  return roles;
}

/** A label: a few words without digits or the separators entries use ("Phone", "Date of Birth"). */
function labelLike(cell: DocLine[] | undefined): boolean {
  const words = text(cell).replace(/[:：]$/, '');
  return (
    cell !== undefined &&
    single(cell) &&
    words.length > 0 &&
    words.split(' ').length <= 5 &&
    !/[\d@|,–—]|\s-\s|\s(?:at|in|for)\s/i.test(words)
  );
}

/**
 * A grade written as a bare number takes its unit from the heading: "8.1" under "CGPA" is "8.1 CGPA",
 * "78" under "Percentage" is "78%"; under "CGPA / %" the size of the number decides.
 */
function gradeText(value: string, heading: string): string {
  if (!/^\d{1,3}(?:\.\d{1,2})?$/.test(value)) return value;
  const unit = /\b(?:c?gpa|cpi|sgpa)\b/i.exec(heading)?.[0];
  if (unit && Number(value) <= 10) return `${value} ${unit.toUpperCase()}`;
  return /%|percent/i.test(heading) ? `${value}%` : value;
}

const line = (value: string, from: DocLine[]): DocLine => ({
  text: value,
  heading: 0,
  bold: from.length > 0 && from.every((l) => l.bold),
});

/**
 * A row under a heading row, in the order the rules read: an education entry as "Degree in Field,
 * Institution, dates, grade", a job as "Title, Company   dates", anything else as its cells joined by
 * " | ". A cell's further lines (a job's bullets) follow the row's line.
 */
function headedRow(row: Row, roles: Role[], headings: string[]): DocLine[] {
  const first = (role: Role) =>
    row
      .map((c, i) => (roles[i] === role ? (c[0]?.text ?? '') : ''))
      .filter(Boolean)
      .join(role === 'dates' ? ' - ' : ', ');
  const used = row.filter((c) => c.length > 0);
  const rest = row.flatMap((c) => c.slice(1));
  const isEducation = roles.includes('degree') || roles.includes('institution');
  const isJob = roles.includes('company') || roles.includes('title');
  let value: string;
  if (isEducation) {
    const degree = [first('degree'), first('field')].filter(Boolean).join(' in ');
    const grades = row
      .map((c, i) => (roles[i] === 'grade' && c[0] ? gradeText(c[0].text, headings[i] ?? '') : ''))
      .filter(Boolean);
    const others = row.map((c, i) => (roles[i] === 'other' || roles[i] === 'place' ? (c[0]?.text ?? '') : ''));
    value = [degree, first('institution'), first('dates'), ...grades, ...others].filter(Boolean).join(', ');
  } else if (isJob) {
    const names = [first('title'), first('company')].filter(Boolean).join(', ');
    value = [names, first('dates')].filter(Boolean).join('   ');
    // A job's other columns (place, description) are its description.
    rest.unshift(...row.flatMap((c, i) => (roles[i] === 'other' || roles[i] === 'place' ? c.slice(0, 1) : [])));
  } else {
    // A skill's level ("Python | Expert") is not a skill.
    const kept = row.filter((c, i) => roles[i] !== 'level' && c.length > 0);
    return kept.length === 2 && labelLike(kept[0]) ? labelValue(kept) : joined(kept);
  }
  return value
    ? [
        line(
          value,
          used.map((c) => c[0] as DocLine),
        ),
        ...rest,
      ]
    : rest;
}

/**
 * Labels beside values, in pairs across the row ("Phone | +91 … | E-mail | …"): "Label: value". A label
 * naming a section ("Education" beside its entries) stays a heading over the value's lines, except a
 * list's name beside one line: "Languages | Python, C++" and "Tools | Git" are rows of a skills table.
 */
function labelValue(row: Row): DocLine[] {
  const out: DocLine[] = [];
  for (let i = 0; i + 1 < row.length; i += 2) {
    const label = (row[i] as DocLine[])[0] as DocLine;
    const value = row[i + 1] as DocLine[];
    const name = label.text.replace(/\s?[:：]$/, '');
    const section = sectionOf(name);
    if (value.length === 0) out.push(label);
    else if (section && (!LISTS.has(section) || value.length > 1)) out.push(label, ...value);
    else out.push(line(`${name}: ${value[0]?.text}`, [label, value[0] as DocLine]), ...value.slice(1));
  }
  return out;
}

/** Cells of one line each on one line, " | " between them; cells of several lines one after another. */
function joined(row: Row): DocLine[] {
  const cells = row.filter((c) => c.length > 0);
  if (cells.length > 1 && cells.every((c) => c.length === 1)) {
    return [
      line(
        cells.map((c) => c[0]?.text).join(' | '),
        cells.map((c) => c[0] as DocLine),
      ),
    ];
  }
  return cells.flat();
}

/** A row of labels beside values: an even number of cells, a label in each odd place, no date range beside it. */
function labelRow(row: Row): boolean {
  const cells = row.filter((c) => c.length > 0);
  if (cells.length < 2 || cells.length % 2 !== 0) return false;
  return cells.every((c, i) => (i % 2 === 0 ? labelLike(c) : !datesIn(text(c).slice(0, 200))));
}

/**
 * Records set down the page: every row a label naming a part of a job or a degree beside its value
 * ("Company | Northwind Labs", "Designation | Backend Engineer", "Duration | 2019 - Present"). Each record
 * reads as a row under a heading row would; a label seen again starts the next record.
 */
function verticalRecords(rows: Row[]): DocLine[] | null {
  const pairs = rows.map((r) => r.filter((c) => c.length > 0));
  if (pairs.length < 2 || !pairs.every((p) => p.length === 2 && labelLike(p[0]))) return null;
  const roles = pairs.map((p) => ROLES.find(([, re]) => re.test(text(p[0])))?.[0]);
  const named = (r: Role | undefined) => r === 'company' || r === 'title' || r === 'degree' || r === 'institution';
  if (roles.some((r) => r === undefined) || !roles.some(named)) return null;
  const out: DocLine[] = [];
  let record: { cells: Row; roles: Role[]; headings: string[] } = { cells: [], roles: [], headings: [] };
  const close = () => {
    if (record.cells.length > 0) out.push(...headedRow(record.cells, record.roles, record.headings));
    record = { cells: [], roles: [], headings: [] };
  };
  pairs.forEach((p, i) => {
    const role = roles[i] as Role;
    if (role !== 'other' && record.roles.includes(role)) close();
    record.cells.push(p[1] as DocLine[]);
    record.roles.push(role);
    record.headings.push(text(p[0]));
  });
  close();
  return out;
}

/**
 * How a table reads: under a heading row whose cells name roles (`headed`), as a page's layout (a cell of
 * many paragraphs), as records set down the page, as labels beside values, or `plain` (each row's cells
 * joined). The PDF reader asks first: a two-column run of aligned text is read as a table only when its
 * rows say what they are (pdf-layout.ts).
 */
export type TableKind = 'headed' | 'layout' | 'records' | 'labels' | 'plain';

export function tableKind(table: Row[]): TableKind {
  const rows = table.filter((r) => r.some((c) => c.length > 0));
  const [head] = rows;
  if (head && headingRoles(head)) return 'headed';
  if (rows.some((r) => r.some((c) => c.length > LAYOUT_CELL_LINES))) return 'layout';
  if (verticalRecords(rows)) return 'records';
  const multi = rows.filter((r) => r.filter((c) => c.length > 0).length > 1);
  return multi.length > 0 && multi.every(labelRow) ? 'labels' : 'plain';
}

/** The lines a table reads as, in the document's order. */
export function tableLines(table: Row[]): DocLine[] {
  const rows = table.filter((r) => r.some((c) => c.length > 0));
  const [head, ...body] = rows;
  if (!head) return [];
  switch (tableKind(rows)) {
    case 'headed': {
      const roles = headingRoles(head) as Role[];
      const headings = head.map((c) => text(c));
      return body.length > 0 ? body.flatMap((r) => headedRow(r, roles, headings)) : joined(head);
    }
    // A page laid out in a table (a sidebar cell beside the main one): each cell is a column, read in turn.
    case 'layout':
      return rows.flat(2);
    case 'records':
      return verticalRecords(rows) ?? [];
    case 'labels':
      return rows.flatMap((r) => {
        const cells = r.filter((c) => c.length > 0);
        return cells.length > 1 ? labelValue(cells) : cells.flat();
      });
    case 'plain':
      return joinedRows(rows);
  }
}

/** Each row's cells joined by " | ": a table that says nothing of its rows (pdf-layout.ts reads a grid so). */
export const joinedRows = (rows: Row[]): DocLine[] => rows.flatMap(joined);
