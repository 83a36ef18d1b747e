/**
 * Parsing accuracy: for every document in a folder with a JSON of expected fields beside it, read the
 * document the way an upload is read and compare. Per field: precision (of what was found, how much is
 * right) and recall (of what should be found, how much was), micro-averaged over the folder.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCv } from '../../src/modules/cvs/cvs.service.ts';
import { sniff } from '../../src/modules/cvs/file-type.ts';
import { normalizeSkill } from '../../src/modules/skills/skills.ts';

export const FIELDS = ['name', 'email', 'phone', 'skills', 'titles', 'companies'] as const;
export type FieldName = (typeof FIELDS)[number];
export type Score = { truePositives: number; predicted: number; expected: number; precision: number; recall: number };
export type Evaluation = {
  documents: number;
  failed: Array<{ file: string; error: string }>;
  scores: Record<FieldName, Score>;
};

/** The targets the issue sets: contact fields 95%, skills, titles and companies 90%. */
export const TARGETS: Record<FieldName, number> = {
  name: 0.95,
  email: 0.95,
  phone: 0.95,
  skills: 0.9,
  titles: 0.9,
  companies: 0.9,
};

const text = (s: string) => s.normalize('NFC').toLowerCase().replace(/[’']/g, "'").replace(/\s+/g, ' ').trim();
const digits = (s: string) => s.replace(/\D/g, '');

type Found = Record<FieldName, string[]>;

function comparable(field: FieldName, values: Array<string | null | undefined>): string[] {
  const present = values.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (field === 'phone') return present.map(digits);
  if (field === 'skills') return present.map((s) => normalizeSkill(s) ?? text(s));
  return present.map(text);
}

/** Scores the documents in `dir` against labels in `labelsDir` (default: beside the documents). */
export async function evaluateDir(dir: string, labelsDir = dir): Promise<Evaluation> {
  const counts = Object.fromEntries(FIELDS.map((f) => [f, { truePositives: 0, predicted: 0, expected: 0 }])) as Record<
    FieldName,
    Omit<Score, 'precision' | 'recall'>
  >;
  const failed: Evaluation['failed'] = [];
  let documents = 0;
  const files = readdirSync(dir)
    .filter((f) => /\.(pdf|docx|txt)$/i.test(f))
    .sort();
  for (const file of files) {
    const labels = join(labelsDir, file.replace(/\.[^.]+$/, '.json'));
    let expectedRaw: Record<string, unknown>;
    try {
      expectedRaw = JSON.parse(readFileSync(labels, 'utf8'));
    } catch {
      continue; // unlabelled documents are not scored
    }
    documents++;
    const expected: Found = Object.fromEntries(
      FIELDS.map((f) => {
        const v = expectedRaw[f];
        return [f, comparable(f, Array.isArray(v) ? v : [v as string | undefined])];
      }),
    ) as Found;
    let found: Found = { name: [], email: [], phone: [], skills: [], titles: [], companies: [] };
    try {
      const bytes = readFileSync(join(dir, file));
      const kind = sniff(bytes);
      if (!kind) throw new Error('unsupported file type');
      const { profile } = await readCv(kind, bytes);
      found = {
        name: comparable('name', [profile.name.value]),
        email: comparable('email', [profile.email.value]),
        phone: comparable('phone', [profile.phone.value]),
        skills: comparable('skills', profile.skills.value),
        titles: comparable(
          'titles',
          profile.experience.value.map((j) => j.title),
        ),
        companies: comparable(
          'companies',
          profile.experience.value.map((j) => j.company),
        ),
      };
    } catch (err) {
      failed.push({ file, error: err instanceof Error ? err.message : String(err) });
    }
    for (const f of FIELDS) {
      // A label file that leaves a field out does not score it (older label sets have no companies).
      if (expectedRaw[f] === undefined) continue;
      const wanted = new Set(expected[f]);
      const got = new Set(found[f]);
      counts[f].expected += wanted.size;
      counts[f].predicted += got.size;
      counts[f].truePositives += [...got].filter((v) => wanted.has(v)).length;
    }
  }
  const scores = Object.fromEntries(
    FIELDS.map((f) => {
      const c = counts[f];
      return [
        f,
        {
          ...c,
          precision: c.predicted ? c.truePositives / c.predicted : 1,
          recall: c.expected ? c.truePositives / c.expected : 1,
        },
      ];
    }),
  ) as Record<FieldName, Score>;
  return { documents, failed, scores };
}

export function formatEvaluation(e: Evaluation): string {
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`.padStart(7);
  const rows = FIELDS.map((f) => {
    const s = e.scores[f];
    return `${f.padEnd(9)} ${pct(s.precision)}  ${pct(s.recall)}   ${String(s.truePositives).padStart(4)} / ${String(s.predicted).padStart(4)} found, ${String(s.expected).padStart(4)} expected   target ${pct(TARGETS[f])}`;
  });
  const failures = e.failed.map((f) => `  could not read ${f.file}: ${f.error}`);
  return [`${e.documents} labelled documents`, `field     precision  recall`, ...rows, ...failures].join('\n');
}

/** Fields below target, in precision or recall. */
export function missedTargets(e: Evaluation): FieldName[] {
  return FIELDS.filter((f) => e.scores[f].precision < TARGETS[f] || e.scores[f].recall < TARGETS[f]);
}
