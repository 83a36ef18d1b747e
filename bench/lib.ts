/** Small helpers shared by the benchmarks: timing, percentiles, and a uniform report line. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export async function timeEach(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    await fn(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function report(label: string, samples: number[], baseline?: number[]): string {
  const p50 = percentile(samples, 50);
  const p95 = percentile(samples, 95);
  const ratio = baseline
    ? `  ratio p50 ${(p50 / percentile(baseline, 50)).toFixed(2)}x, p95 ${(p95 / percentile(baseline, 95)).toFixed(2)}x`
    : '';
  return `${label.padEnd(34)} p50 ${p50.toFixed(2).padStart(7)} ms  p95 ${p95.toFixed(2).padStart(7)} ms${ratio}`;
}

/** A named command-line option `--name=value`, or the fallback. */
export const option = (name: string, fallback: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;

export type LoopResult = {
  seconds: number;
  done: number;
  perSecond: number;
  samples: Array<{ ms: number; i: number }>;
};

/**
 * `clients` workers each running `task(i)` back to back for `seconds` (a closed loop: a worker sends its
 * next request when the previous one has answered); `pick()` chooses what each request does.
 */
export async function closedLoop(
  clients: number,
  seconds: number,
  pick: () => number,
  task: (i: number) => Promise<unknown>,
): Promise<LoopResult> {
  const samples: Array<{ ms: number; i: number }> = [];
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  const worker = async () => {
    while (process.hrtime.bigint() < deadline) {
      const i = pick();
      const t = process.hrtime.bigint();
      await task(i);
      samples.push({ ms: Number(process.hrtime.bigint() - t) / 1e6, i });
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds: elapsed, done: samples.length, perSecond: samples.length / elapsed, samples };
}

/** CPU time (user + system, ms) a process and its children have used so far, from /proc (Linux). */
export function cpuMs(pid: number): number {
  const ticks = (p: number) => {
    const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  };
  const children = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean);
  return [pid, ...children.map(Number)].reduce((sum, p) => sum + ticks(p), 0) * 10; // 100 ticks/s
}

/**
 * Waits (up to 120 s) until the server is idle: after start-up each worker fills its job-skills cache
 * in the background ("jobs for me"), CPU that would otherwise be billed to the first requests.
 */
export async function settle(pid: number): Promise<void> {
  for (let i = 0; i < 240; i++) {
    const before = cpuMs(pid);
    await new Promise((r) => setTimeout(r, 500));
    if (cpuMs(pid) - before < 25) return; // under 5% of a core
  }
}

/**
 * The PostgreSQL settings the search figures depend on, as one line ("name=value, …"), printed with them
 * (docs/operations.md, "Server settings"). `query` runs SQL text and returns its rows.
 */
export async function serverSettings(
  query: (text: string) => Promise<Array<{ name: string; setting: string }>>,
): Promise<string> {
  const rows = await query(
    `select name, current_setting(name) as setting from unnest(array['server_version', 'shared_buffers',
       'work_mem', 'effective_cache_size', 'random_page_cost', 'jit', 'huge_pages']) name`,
  );
  return rows.map((s) => `${s.name}=${s.setting}`).join(', ');
}
