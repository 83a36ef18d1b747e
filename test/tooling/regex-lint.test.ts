/**
 * `npm run check` refuses regular expressions whose matching time grows faster than linearly with the
 * input (ReDoS). This proves the rule is live for source files: a pattern of the kind that froze the
 * server on an 80,000-letter CV is reported, its linear rewrite is not.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });
const problems = async (code: string) => {
  const [result] = await eslint.lintText(code, { filePath: 'src/modules/example.ts' });
  return (result?.messages ?? []).map((m) => m.ruleId);
};

describe('super-linear regular expressions', () => {
  it('are reported in source files', async () => {
    expect(await problems("export const trimDots = (s: string) => s.replace(/[.,]+$/, '');\n")).toContain(
      'regexp/no-super-linear-move',
    );
    expect(await problems('export const email = /^([a-z0-9]+)+@x\\.com$/;\n')).toContain(
      'regexp/no-super-linear-backtracking',
    );
  });

  it('are not reported for their linear rewrites', async () => {
    expect(await problems("export const trimDots = (s: string) => s.replace(/^[.,]+/, '');\n")).toEqual([]);
  });
});
