/**
 * Parsing accuracy on the DataTurks "Entity Recognition in Resumes" set (../shared/data/cvs): 200 real
 * CVs as plain text with human span labels. Per field, precision and recall over the distinct values of
 * each document, matched leniently (case and whitespace ignored, one value containing the other), because
 * the labels cut spans at different places than a parser would ("Infosys Ltd" vs "Infosys Ltd -").
 * Only aggregate figures are printed: the set holds real people's CVs.
 */
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

type Doc = { content: string; annotation: Array<{ label: string[]; points: Array<{ text: string }> }> | null };
export type DataturksScore = {
  tp: number;
  predicted: number;
  matched: number;
  expected: number;
  precision: number;
  recall: number;
};

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

export function evaluateDataturks(docs: Doc[]): Record<Field, DataturksScore> {
  const counts = Object.fromEntries(
    DATATURKS_FIELDS.map((f) => [f, { tp: 0, predicted: 0, matched: 0, expected: 0 }]),
  ) as Record<Field, { tp: number; predicted: number; matched: number; expected: number }>;
  for (const doc of docs) {
    const found = predictedFields(doc.content);
    for (const f of DATATURKS_FIELDS) {
      const gold = [
        ...new Set(
          (doc.annotation ?? [])
            .filter((a) => a.label.includes(LABELS[f]))
            .flatMap((a) => a.points.map((p) => norm(p.text)))
            .filter(Boolean),
        ),
      ];
      const got = [
        ...new Set(
          found[f]
            .filter((v): v is string => typeof v === 'string')
            .map(norm)
            .filter(Boolean),
        ),
      ];
      const c = counts[f];
      c.predicted += got.length;
      c.expected += gold.length;
      c.tp += got.filter((g) => gold.some((w) => matches(g, w))).length;
      c.matched += gold.filter((w) => got.some((g) => matches(g, w))).length;
    }
  }
  return Object.fromEntries(
    DATATURKS_FIELDS.map((f) => {
      const c = counts[f];
      return [
        f,
        { ...c, precision: c.predicted ? c.tp / c.predicted : 1, recall: c.expected ? c.matched / c.expected : 1 },
      ];
    }),
  ) as Record<Field, DataturksScore>;
}

export function formatDataturks(docs: number, scores: Record<Field, DataturksScore>): string {
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`.padStart(7);
  return [
    `${docs} DataTurks CVs (lenient span matching)`,
    'field      precision  recall',
    ...DATATURKS_FIELDS.map((f) => {
      const s = scores[f];
      return `${f.padEnd(10)} ${pct(s.precision)}  ${pct(s.recall)}   ${String(s.tp).padStart(4)} / ${String(s.predicted).padStart(4)} found right, ${String(s.matched).padStart(4)} / ${String(s.expected).padStart(4)} labels found`;
    }),
  ].join('\n');
}

export const DATATURKS_PATH = new URL('../../../shared/data/cvs/dataturks-train.jsonl', import.meta.url).pathname;
export const hasDataturks = () => existsSync(DATATURKS_PATH);
