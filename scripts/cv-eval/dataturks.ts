/**
 * Parsing accuracy on the DataTurks "Entity Recognition in Resumes" set (../shared/data/cvs): 200 real
 * CVs as plain text with human span labels. Per field, precision and recall over the distinct values of
 * each document, matched leniently (case and whitespace ignored, one value containing the other), because
 * the labels cut spans at different places than a parser would ("Infosys Ltd" vs "Infosys Ltd -").
 * Only aggregate figures are printed (the set holds real people's CVs), except with `--errors`, which
 * lists the misses on the terminal for diagnosis: never paste that output into the repository.
 *
 * The set is split by a fixed rule into a development half (the parser's rules are tuned on it) and a
 * held-out half (never looked at): the first byte of the SHA-1 of a CV's text, even or odd.
 *
 * The labels mark only some jobs: often just the current designation and employer, so a correct
 * earlier job counts as a false positive. What they do support is the first job a CV lists (its current
 * or latest): "first title" and "first company" are the precision of the parser's first job on the CVs
 * that label that field.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cleanCvText, parseProfile } from '../../src/modules/cvs/profile.ts';

export const DATATURKS_FIELDS = ['name', 'titles', 'companies', 'degrees', 'colleges'] as const;
type Field = (typeof DATATURKS_FIELDS)[number];
const LABELS: Record<Field, string> = {
  name: 'Name',
  titles: 'Designation',
  companies: 'Companies worked at',
  degrees: 'Degree',
  colleges: 'College Name',
};
/** Precision of the first job only: the measure the labels support (see above). */
const FIRST = { 'first title': 'titles', 'first company': 'companies' } as const;
type Row = Field | keyof typeof FIRST;
const ROWS: Row[] = [...DATATURKS_FIELDS, ...(Object.keys(FIRST) as Array<keyof typeof FIRST>)];

type Doc = { content: string; annotation: Array<{ label: string[]; points: Array<{ text: string }> }> | null };
export type DataturksScore = {
  tp: number;
  predicted: number;
  matched: number;
  expected: number;
  precision: number;
  recall: number;
};
export type Half = 'development' | 'held-out';

const norm = (s: string) =>
  s
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}+#&.]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** Same value, or one contains the other (the shorter has at least three characters). */
function matches(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 3 && long.includes(short);
}

export function loadDataturks(path: string): Doc[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Doc);
}

/** The fixed split: tune on the development half, report the held-out half as the unseen figure. */
export function halfOf(doc: Doc): Half {
  return (createHash('sha1').update(doc.content).digest()[0] as number) % 2 === 0 ? 'development' : 'held-out';
}

export function predictedFields(text: string): Record<Field, string[]> {
  const p = parseProfile(cleanCvText(text));
  return {
    name: [p.name.value],
    titles: p.experience.value.map((j) => j.title),
    companies: p.experience.value.map((j) => j.company),
    degrees: p.education.value.map((e) => e.degree),
    colleges: p.education.value.map((e) => e.institution),
  } as Record<Field, Array<string | null>> as Record<Field, string[]>;
}

const distinct = (values: Array<string | null>) => [
  ...new Set(
    values
      .filter((v): v is string => typeof v === 'string')
      .map(norm)
      .filter(Boolean),
  ),
];

type Compared = Record<Row, { got: string[]; gold: string[] }>;

function compare(doc: Doc): Compared {
  const found = predictedFields(doc.content);
  const gold = (f: Field) =>
    distinct(
      (doc.annotation ?? []).filter((a) => a.label.includes(LABELS[f])).flatMap((a) => a.points.map((p) => p.text)),
    );
  const out = Object.fromEntries(
    DATATURKS_FIELDS.map((f) => [f, { got: distinct(found[f]), gold: gold(f) }]),
  ) as Compared;
  for (const [row, f] of Object.entries(FIRST) as Array<[keyof typeof FIRST, Field]>) {
    const first = distinct([found[f][0] ?? null]);
    // Scored only where the labels name this field at all: a CV without labels supports no claim.
    out[row] = {
      got: out[f].gold.length > 0 ? first : [],
      gold: out[f].gold.length > 0 ? out[f].gold.slice(0, 1) : [],
    };
  }
  return out;
}

export function evaluateDataturks(docs: Doc[]): Record<Row, DataturksScore> {
  const counts = Object.fromEntries(ROWS.map((f) => [f, { tp: 0, predicted: 0, matched: 0, expected: 0 }])) as Record<
    Row,
    { tp: number; predicted: number; matched: number; expected: number }
  >;
  for (const doc of docs) {
    const compared = compare(doc);
    const all = (f: Field) => compared[f].gold;
    for (const row of ROWS) {
      const { got } = compared[row];
      // A first job is right when it matches any label of its field.
      const gold = row in FIRST ? all(FIRST[row as keyof typeof FIRST]) : compared[row].gold;
      const c = counts[row];
      c.predicted += got.length;
      c.tp += got.filter((g) => gold.some((w) => matches(g, w))).length;
      if (row in FIRST) continue; // precision only
      c.expected += gold.length;
      c.matched += gold.filter((w) => got.some((g) => matches(g, w))).length;
    }
  }
  return Object.fromEntries(
    ROWS.map((f) => {
      const c = counts[f];
      return [
        f,
        {
          ...c,
          precision: c.predicted ? c.tp / c.predicted : 1,
          recall: c.expected ? c.matched / c.expected : Number.NaN,
        },
      ];
    }),
  ) as Record<Row, DataturksScore>;
}

/** Per document (by its line number in the file): values found that match no label, labels not found. */
export function dataturksErrors(docs: Doc[], half?: Half): string[] {
  const out: string[] = [];
  for (const [i, doc] of docs.entries()) {
    if (half && halfOf(doc) !== half) continue;
    const compared = compare(doc);
    for (const f of ROWS) {
      const { got } = compared[f];
      const gold = f in FIRST ? compared[FIRST[f as keyof typeof FIRST]].gold : compared[f].gold;
      const wrong = got.filter((g) => !gold.some((w) => matches(g, w)));
      const missed = gold.filter((w) => !got.some((g) => matches(g, w)));
      if (wrong.length) out.push(`#${i} ${f} found, not labelled: ${wrong.join(' ; ')}`);
      if (missed.length && !(f in FIRST)) out.push(`#${i} ${f} labelled, not found: ${missed.join(' ; ')}`);
    }
  }
  return out;
}

const pct = (n: number) => (Number.isNaN(n) ? '     -' : `${(n * 100).toFixed(1)}%`.padStart(6));

/** One table: every row for all documents, then the development and held-out halves side by side. */
export function formatDataturks(docs: Doc[]): string {
  const all = evaluateDataturks(docs);
  const dev = docs.filter((d) => halfOf(d) === 'development');
  const held = docs.filter((d) => halfOf(d) === 'held-out');
  const [d, h] = [evaluateDataturks(dev), evaluateDataturks(held)];
  return [
    `${docs.length} DataTurks CVs (lenient span matching): all, development half (${dev.length}), held-out half (${held.length})`,
    `field          all P    all R   dev P    dev R   held P  held R   (all: found right / found, labels found / labels)`,
    ...ROWS.map((f) => {
      const s = all[f];
      const counts = `${s.tp} / ${s.predicted}${f in FIRST ? '' : `, ${s.matched} / ${s.expected}`}`;
      return `${f.padEnd(13)} ${pct(s.precision)}  ${pct(s.recall)}  ${pct(d[f].precision)}  ${pct(d[f].recall)}  ${pct(h[f].precision)}  ${pct(h[f].recall)}   ${counts}`;
    }),
  ].join('\n');
}

export const DATATURKS_PATH = new URL('../../../shared/data/cvs/dataturks-train.jsonl', import.meta.url).pathname;
export const hasDataturks = () => existsSync(DATATURKS_PATH);
