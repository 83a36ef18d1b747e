/**
 * HTTP load from wrk (a C load generator), when it is installed: the counterpart of pgbench on the SQL
 * side. A Node client spends about as much CPU per request as the server it measures (0.5-1.3 ms per
 * fetch here), which on a two-core machine halves the server's share; wrk's cost is near zero, as is
 * pgbench's. Debian: `apt-get install wrk`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const wrk = process.env.WRK ?? 'wrk';

export const hasWrk = (): boolean => spawnSync(wrk, ['--version']).error === undefined;

export type WrkResult = { perSecond: number; p50: number; p99: number; failed: number };

/** `clients` connections on 2 threads for `seconds`, each request a path drawn at random from `paths`. */
export function runWrk(base: string, paths: string[], { seconds, clients }: { seconds: number; clients: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'jobr-wrk-'));
  try {
    const script = join(dir, 'paths.lua');
    writeFileSync(
      script,
      `local paths = {${paths.map((p) => JSON.stringify(p)).join(',')}}
request = function() return wrk.format("GET", paths[math.random(#paths)]) end\n`,
    );
    const out = execFileSync(
      wrk,
      ['-t', '2', '-c', String(clients), '-d', `${seconds}s`, '--latency', '-s', script, base],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    const perSecond = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN);
    const latency = (pct: string) => {
      const m = new RegExp(`^\\s+${pct}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(out);
      if (!m) return Number.NaN;
      return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
    };
    const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
    const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
    const socketErrors = socket ? socket.slice(1).reduce((n, v) => n + Number(v), 0) : 0;
    return { perSecond, p50: latency('50'), p99: latency('99'), failed: non2xx + socketErrors } satisfies WrkResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
