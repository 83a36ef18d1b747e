/** Parsing accuracy, measured: our 36 rendered CVs must meet the targets; the shared fixtures are scored when present. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateDir, formatEvaluation, missedTargets } from '../../scripts/cv-eval/evaluate.ts';
import { writeEvalSet } from '../../scripts/cv-eval/generate.ts';
import { testDatabaseUrl } from '../helpers/template.ts';

const dir = mkdtempSync(join(tmpdir(), 'jobr-cv-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixtures = new URL('../../../shared/fixtures/resume-matcher/resumes', import.meta.url).pathname;

// Parsing does not touch the database: run once, in the PGlite pass.
describe.skipIf(testDatabaseUrl)('CV parsing accuracy', () => {
  it('meets the targets on the generated set (PDF in one and two columns, DOCX, tables, text, PDF and DOCX set in bold and larger type)', async () => {
    expect(await writeEvalSet(dir)).toBeGreaterThanOrEqual(30);
    const evaluation = await evaluateDir(dir);
    console.log(formatEvaluation(evaluation));
    expect(evaluation.failed).toEqual([]);
    expect(missedTargets(evaluation)).toEqual([]);
  }, 60_000);

  it.skipIf(!existsSync(fixtures))(
    'meets the targets on the labelled shared fixtures',
    async () => {
      const evaluation = await evaluateDir(
        fixtures,
        new URL('../../scripts/cv-eval/labels/resume-matcher', import.meta.url).pathname,
      );
      console.log(formatEvaluation(evaluation));
      expect(evaluation.documents).toBe(5);
      expect(missedTargets(evaluation)).toEqual([]);
    },
    60_000,
  );
});
