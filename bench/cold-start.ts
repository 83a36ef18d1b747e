/**
 * `npm run bench:start`: cold start of the server to a 200 from /readyz, compiled (`node dist/server.js`,
 * what `npm start` runs) against the same source loaded through tsx (what `npm run dev` runs), in the
 * same run, on one already migrated and seeded embedded database so only process start-up is timed.
 * Builds dist/ first.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 5);
const dataDir = mkdtempSync(join(tmpdir(), 'jobr-bench-start-'));
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATA_DIR: dataDir, LOG_LEVEL: 'warn' };

async function startOnce(args: string[], port: number): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env: { ...env, PORT: String(port) }, stdio: 'ignore' });
  try {
    for (;;) {
      const status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return performance.now() - started;
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
// The first start migrates and seeds the database; it is not timed.
await startOnce(['dist/server.js'], 39_871);

const compiled: number[] = [];
const viaTsx: number[] = [];
for (let i = 0; i < runs; i++) {
  compiled.push(await startOnce(['dist/server.js'], 39_871));
  viaTsx.push(await startOnce(['--import', 'tsx', 'src/server.ts'], 39_872));
}
rmSync(dataDir, { recursive: true, force: true });
const c = median(compiled);
const t = median(viaTsx);
console.log(`bench:start, embedded database, ${runs} starts each, median time to a 200 from /readyz`);
console.log(`tsx src/server.ts (baseline)  ${t.toFixed(0)} ms`);
console.log(`node dist/server.js           ${c.toFixed(0)} ms  (${(c / t).toFixed(2)}x the tsx start)`);
