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
 *
 * Designations: the job titles and the profile's headline (the role a CV states under the name), against
 * the same "Designation" labels as titles. The labellers marked a bare role line under the name ("Java
 * Developer") as a designation although it is no job of the work history: the parser reads it as the
 * headline, not as a job, so titles (job titles only) stays as it was and this row shows what the
 * headline adds. A headline that repeats a job's title counts once (values are distinct per document).
 *
 * Skills (an indicative row): the "Skills" labels are whole paragraphs, so their spans cannot be matched
 * to skills one by one. What they support is a set: the taxonomy skills named inside a CV's labelled
 * Skills spans (skillsInText; a line's label such as "Operating Systems:" left out, as it names a group)
 * are the expected skills, and the parser's profile skills the predictions.
 * Recall: expected skills the parser found. Precision: parser skills named in those spans — a taxonomy
 * skill by its name or any alias, a skill the taxonomy does not know by its own words, as whole words,
 * case ignored (a skills list says "excel", which skillsInText does not take in running text). Only CVs
 * with a Skills label are scored, and the spans are cleaned as the parser's text is (cleanCvText).
 * skillsInText is also the parser's tool (for an item the taxonomy does not know whole), but the measure
 * is not circular: the parser reads the whole CV and must find where skills are listed by their headings,
 * split the lists into items and stop at the next heading, and falls back to the work history; the
 * labels' spans are where people saw skills. So recall measures mostly whether the parser reads the right
 * places, precision whether it reads skills from elsewhere or keeps what is no skill. Indicative because
 * the spans are noisy: some cover only part of a skills section (the rest counts against precision) and
 * some lie in a summary or a job's description.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cleanCvText, type Profile, parseProfile } from '../../src/modules/cvs/profile.ts';
import { lookupSkill, skillsInText } from '../../src/modules/skills/skills.ts';

export const DATATURKS_FIELDS = ['name', 'titles', 'designations', 'companies', 'degrees', 'colleges'] as const;
type Field = (typeof DATATURKS_FIELDS)[number];
const LABELS: Record<Field, string> = {
  name: 'Name',
  titles: 'Designation',
  designations: 'Designation',
  companies: 'Companies worked at',
  degrees: 'Degree',
  colleges: 'College Name',
};
/** Precision of the first job only: the measure the labels support (see above). */
const FIRST = { 'first title': 'titles', 'first company': 'companies' } as const;
/** The indicative skills row (see above): its own definition, printed apart from the fields. */
const SKILLS = 'skills*';
type Row = Field | keyof typeof FIRST | typeof SKILLS;
const ROWS: Row[] = [...DATATURKS_FIELDS, ...(Object.keys(FIRST) as Array<keyof typeof FIRST>), SKILLS];

export type Doc = {
  content: string;
  annotation: Array<{ label: string[]; points: Array<{ text: string }> }> | null;
};
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

export type Predicted = Record<Field, string[]> & { skills: string[] };
/** Predictions made elsewhere (`--render`: read from a rendered document), by document. */
export type Found = Map<Doc, Predicted>;

/** A CV where nothing was found (an upload the parser refused). */
export const nothingFound = (): Predicted =>
  Object.fromEntries([...DATATURKS_FIELDS, 'skills'].map((f) => [f, []])) as unknown as Predicted;

export function predictedFields(text: string): Predicted {
  return predictedFromProfile(parseProfile(cleanCvText(text)));
}

export function predictedFromProfile(p: Profile): Predicted {
  return {
    name: [p.name.value],
    titles: p.experience.value.map((j) => j.title),
    designations: [p.headline.value, ...p.experience.value.map((j) => j.title)],
    companies: p.experience.value.map((j) => j.company),
    degrees: p.education.value.map((e) => e.degree),
    colleges: p.education.value.map((e) => e.institution),
    skills: p.skills.value,
  } as Record<keyof Predicted, Array<string | null>> as Predicted;
}

const distinct = (values: Array<string | null>) => [
  ...new Set(
    values
      .filter((v): v is string => typeof v === 'string')
      .map(norm)
      .filter(Boolean),
  ),
];

const labelled = (doc: Doc, label: string) =>
  (doc.annotation ?? []).filter((a) => a.label.includes(label)).flatMap((a) => a.points.map((p) => p.text));

/** A text's words, case and punctuation ignored, between spaces: a run of whole words is a substring. */
const wordsOf = (text: string) => ` ${norm(text).replace(/\.(?= |$)/g, '')} `;

/** A skill named in `words` (from wordsOf): a taxonomy skill by its name or an alias, another by its own words. */
function namedIn(skill: string, words: string): boolean {
  const known = lookupSkill(skill);
  const names = known ? [known.name, ...known.aliases] : [skill];
  return names.some((name) => words.includes(wordsOf(name)));
}

/**
 * One row of one document: the values found and the labels, and when a value found is right and a label
 * is found. `precisionOnly` rows (the first job) count no recall.
 */
type Compared = {
  got: string[];
  gold: string[];
  right: (got: string) => boolean;
  found: (gold: string) => boolean;
  precisionOnly?: boolean;
};

function lenient(got: string[], gold: string[]): Compared {
  return {
    got,
    gold,
    right: (g) => gold.some((w) => matches(g, w)),
    found: (w) => got.some((g) => matches(g, w)),
  };
}

/** The indicative skills row (see the header): taxonomy skills named in the labelled Skills spans. */
export function compareSkills(doc: Doc, found: string[]): Compared {
  const spans = labelled(doc, 'Skills');
  if (spans.length === 0) return lenient([], []);
  // A line's label names the group of skills after it ("Programming Languages: C, Go"), not a skill.
  const text = cleanCvText(spans.join('\n')).replace(/^[^:\n]{1,40}:/gm, ' ');
  const words = wordsOf(text);
  const got = [...new Set(found)];
  return { got, gold: skillsInText(text), right: (g) => namedIn(g, words), found: (w) => got.includes(w) };
}

function compare(doc: Doc, given?: Found): Record<Row, Compared> {
  const found = given?.get(doc) ?? predictedFields(doc.content);
  const out = Object.fromEntries(
    DATATURKS_FIELDS.map((f) => [f, lenient(distinct(found[f]), distinct(labelled(doc, LABELS[f])))]),
  ) as Record<Row, Compared>;
  for (const [row, f] of Object.entries(FIRST) as Array<[keyof typeof FIRST, Field]>) {
    // Scored only where the labels name this field at all: a CV without labels supports no claim. A
    // first job is right when it matches any label of its field.
    const gold = out[f].gold;
    out[row] = { ...lenient(gold.length > 0 ? distinct([found[f][0] ?? null]) : [], gold), precisionOnly: true };
  }
  out[SKILLS] = compareSkills(doc, found.skills);
  return out;
}

export function evaluateDataturks(docs: Doc[], given?: Found): Record<Row, DataturksScore> {
  const counts = Object.fromEntries(ROWS.map((f) => [f, { tp: 0, predicted: 0, matched: 0, expected: 0 }])) as Record<
    Row,
    { tp: number; predicted: number; matched: number; expected: number }
  >;
  for (const doc of docs) {
    const compared = compare(doc, given);
    for (const row of ROWS) {
      const { got, gold, right, found, precisionOnly } = compared[row];
      const c = counts[row];
      c.predicted += got.length;
      c.tp += got.filter(right).length;
      if (precisionOnly) continue;
      c.expected += gold.length;
      c.matched += gold.filter(found).length;
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

/** Per document (by its line number in the file): values found that are not right, labels not found. */
export function dataturksErrors(docs: Doc[], half?: Half, given?: Found): string[] {
  const out: string[] = [];
  for (const [i, doc] of docs.entries()) {
    if (half && halfOf(doc) !== half) continue;
    const compared = compare(doc, given);
    for (const row of ROWS) {
      const { got, gold, right, found, precisionOnly } = compared[row];
      const wrong = got.filter((g) => !right(g));
      const missed = precisionOnly ? [] : gold.filter((w) => !found(w));
      if (wrong.length) out.push(`#${i} ${row} found, not labelled: ${wrong.join(' ; ')}`);
      if (missed.length) out.push(`#${i} ${row} labelled, not found: ${missed.join(' ; ')}`);
    }
  }
  return out;
}

const pct = (n: number) => (Number.isNaN(n) ? '     -' : `${(n * 100).toFixed(1)}%`.padStart(6));

/** One table: every row for all documents, then the development and held-out halves side by side. */
export function formatDataturks(docs: Doc[], given?: Found, read = 'as plain text'): string {
  const all = evaluateDataturks(docs, given);
  const dev = docs.filter((d) => halfOf(d) === 'development');
  const held = docs.filter((d) => halfOf(d) === 'held-out');
  const [d, h] = [evaluateDataturks(dev, given), evaluateDataturks(held, given)];
  return [
    `${docs.length} DataTurks CVs ${read} (lenient span matching): all, development half (${dev.length}), held-out half (${held.length})`,
    `field          all P    all R   dev P    dev R   held P  held R   (all: found right / found, labels found / labels)`,
    ...ROWS.map((f) => {
      const s = all[f];
      const counts = `${s.tp} / ${s.predicted}${f in FIRST ? '' : `, ${s.matched} / ${s.expected}`}`;
      return `${f.padEnd(13)} ${pct(s.precision)}  ${pct(s.recall)}  ${pct(d[f].precision)}  ${pct(d[f].recall)}  ${pct(h[f].precision)}  ${pct(h[f].recall)}   ${counts}`;
    }),
    `* indicative: taxonomy skills named in the labelled Skills paragraphs (recall), parser skills named in them (precision)`,
  ].join('\n');
}

export const DATATURKS_PATH = new URL('../../../shared/data/cvs/dataturks-train.jsonl', import.meta.url).pathname;
export const hasDataturks = () => existsSync(DATATURKS_PATH);
