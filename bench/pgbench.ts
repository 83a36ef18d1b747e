/** The baseline: recorded statements as pgbench scripts, and a pgbench run over them. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TracedStatement } from './trace-pg.ts';

const pgbench = process.env.PGBENCH ?? 'pgbench';

/** A pgbench script of recorded statements, parameters written in as literals. */
export function pgbenchScript(statements: TracedStatement[]): string {
  return statements
    .map((s) => {
      const text = s.text.replace(/\$(\d+)\b/g, (_, n: string) => {
        const v = s.values[Number(n) - 1];
        return v === null || v === undefined ? 'NULL' : pg.escapeLiteral(String(v));
      });
      return `${text.trim().replace(/;$/, '')};\n`;
    })
    .join('');
}

/**
 * pgbench over a set of scripts (one chosen at random per transaction, at most 128), `clients`
 * connections on 2 threads for `seconds`, simple protocol; returns transactions/s.
 */
export function runPgbench(
  scripts: string[],
  { seconds, clients, server, database }: { seconds: number; clients: number; server: string; database: string },
): number {
  const dir = mkdtempSync(join(tmpdir(), 'jobr-pgbench-'));
  try {
    const files = scripts.slice(0, 128).map((text, i) => {
      const file = join(dir, `s${i}.sql`);
      writeFileSync(file, text);
      return file;
    });
    const u = new URL(server);
    const out = execFileSync(
      pgbench,
      [
        '-n',
        ...files.flatMap((f) => ['-f', f]),
        '-c',
        String(clients),
        '-j',
        '2',
        '-T',
        String(seconds),
        '-h',
        u.hostname,
        '-p',
        u.port || '5432',
        '-U',
        decodeURIComponent(u.username || 'postgres'),
        database,
      ],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) },
      },
    );
    const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
    if (failed > 0) throw new Error(`pgbench: ${failed} failed transactions`);
    return Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1] ?? Number.NaN);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
