/** The extraction pool: a worker past its time limit is killed and replaced, and the pool keeps serving. */
import { describe, expect, it } from 'vitest';
import { extractText } from '../../src/modules/cvs/extract.ts';
import { makePdf } from '../helpers/documents.ts';

describe('extraction workers', () => {
  it('kills a parse that runs past the time limit, then serves the next files normally', async () => {
    const heavy = makePdf(
      Array.from({ length: 20 }, (_, p) =>
        Array.from({ length: 60 }, (_, i) => ({ text: `Page ${p} line ${i} ${'word '.repeat(18)}` })),
      ),
    );
    // Two at once: both pool workers are busy past the 1 ms limit and both are replaced.
    const results = await Promise.allSettled([
      extractText('pdf', heavy, { timeoutMs: 1 }),
      extractText('pdf', heavy, { timeoutMs: 1 }),
    ]);
    for (const r of results)
      expect(r).toMatchObject({ status: 'rejected', reason: { code: 'CV_PARSE_TIMEOUT', status: 422 } });
    const next = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        extractText('text', new TextEncoder().encode(`File ${i}: plain text that is long enough.`)),
      ),
    );
    expect(next.map((r) => r.text)).toEqual([0, 1, 2, 3].map((i) => `File ${i}: plain text that is long enough.`));
  });
});
