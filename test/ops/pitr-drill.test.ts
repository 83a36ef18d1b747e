/**
 * The point-in-time recovery drill (ops/pitr-drill.sh) in the PostgreSQL test run: base backup + WAL
 * archive on a private cluster, restore to a time between two writes, the first present and the
 * second absent. Skipped without the PostgreSQL server binaries.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pgBin } from '../helpers/pg-cluster.ts';
import { testDatabaseUrl } from '../helpers/template.ts';

describe.skipIf(!testDatabaseUrl || !pgBin)('point-in-time recovery drill', () => {
  it('restores to a time between two writes: the first is there, the second is not', () => {
    const script = new URL('../../ops/pitr-drill.sh', import.meta.url).pathname;
    const output = execFileSync('bash', [script], {
      env: { ...process.env, PG_BIN_DIR: pgBin },
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(output).toContain('after recovery: 100 rows A (want 100), 0 rows B (want 0)');
    expect(output).toMatch(/PITR drill: PASS/);
  }, 100_000);
});
