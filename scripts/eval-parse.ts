/**
 * `npm run eval:parse -- DIR [--labels LABELS_DIR]`: parsing accuracy on a folder of CVs labelled with
 * JSON files (beside them, or in LABELS_DIR: our labels for ../shared/fixtures are in scripts/cv-eval/labels).
 * `npm run eval:parse -- --generated`: on Jobr's own 36-CV set (rendered into a temporary folder),
 * failing (exit 1) when a field misses its target — the form CI runs.
 * `npm run eval:parse -- --dataturks [FILE.jsonl]`: on 200 real CVs with human labels
 * (../shared/data/cvs/dataturks-train.jsonl by default): precision and recall for name, titles,
 * designations (the titles and the headline), companies, degrees and colleges, over all 200 and over the
 * development and held-out halves, the precision of the first job (what the labels support), and an
 * indicative skills row (the taxonomy skills named in the labelled Skills paragraphs; see
 * cv-eval/dataturks.ts). Prints aggregates only; `--errors` lists the
 * development half's misses on the terminal (`--errors --held-out`: the other half, for the report's
 * classification only — tune on the development half). `--render=pdf` or `--render=docx`: each CV's
 * text set as a simple PDF or Word document and read as an upload is (cv-eval/render.ts), same labels.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATATURKS_PATH, dataturksErrors, formatDataturks, loadDataturks } from './cv-eval/dataturks.ts';
import { evaluateDir, formatEvaluation, missedTargets } from './cv-eval/evaluate.ts';
import { writeEvalSet } from './cv-eval/generate.ts';
import { RENDERS, type Render, renderedFields } from './cv-eval/render.ts';

const args = process.argv.slice(2);
if (args.includes('--dataturks')) {
  const file = args.find((a) => !a.startsWith('--')) ?? DATATURKS_PATH;
  const docs = loadDataturks(file);
  const render = args.find((a) => a.startsWith('--render='))?.slice('--render='.length);
  if (render !== undefined && !(RENDERS as readonly string[]).includes(render)) {
    console.error(`--render takes ${RENDERS.join(' or ')}`);
    process.exit(2);
  }
  const started = Date.now();
  const { found, failed } = render ? await renderedFields(docs, render as Render) : { found: undefined, failed: 0 };
  if (args.includes('--errors')) {
    const half = args.includes('--held-out') ? 'held-out' : 'development';
    console.log(dataturksErrors(docs, half, found).join('\n'));
  } else console.log(formatDataturks(docs, found, render ? `rendered as ${render.toUpperCase()}` : 'as plain text'));
  if (render) {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `${render.toUpperCase()}: ${docs.length} rendered and read as uploads in ${seconds} s; ${failed} refused`,
    );
  }
  process.exit(0);
}
const generated = args.includes('--generated');
const labelsAt = args.indexOf('--labels');
const labelsDir = labelsAt >= 0 ? args[labelsAt + 1] : undefined;
const dir = generated
  ? mkdtempSync(join(tmpdir(), 'jobr-cv-eval-'))
  : args.find((a, i) => !a.startsWith('--') && (labelsAt < 0 || i !== labelsAt + 1));
if (!dir) {
  console.error(
    'Usage: npm run eval:parse -- DIR [--labels LABELS_DIR]   (NAME.json labels beside the documents, or in LABELS_DIR)\n       npm run eval:parse -- --generated',
  );
  process.exit(2);
}
try {
  if (generated) await writeEvalSet(dir);
  const evaluation = await evaluateDir(dir, labelsDir ?? dir);
  // No document with a label: every field would read 100% of nothing (a wrong folder, or a broken set).
  if (evaluation.documents === 0) {
    console.error(
      `No labelled CV in ${dir}: put NAME.json beside each NAME.pdf/.docx/.txt, or pass --labels LABELS_DIR.`,
    );
    process.exitCode = 2;
  } else {
    console.log(formatEvaluation(evaluation));
    const missed = missedTargets(evaluation);
    if (generated && missed.length > 0) {
      console.error(`Below target: ${missed.join(', ')}`);
      process.exitCode = 1;
    }
  }
} finally {
  if (generated) rmSync(dir, { recursive: true, force: true });
}
