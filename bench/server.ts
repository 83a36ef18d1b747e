/**
 * The benchmarked server: the real entry point (src/server.ts, or its build) in a child process of its own, so the
 * load generator does not share its event loop, with bench/trace-pg.ts preloaded to record the
 * statements it sends. Whatever src/ does at start-up (pool warm-up, prepared statements) is measured.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { TracedStatement } from './trace-pg.ts';

export type BenchServer = {
  url: string;
  pid: number;
  /** Milliseconds from spawn to the first successful GET /readyz. */
  startMs: number;
  /** Records the statements sent while `fn` runs. */
  traced<T>(fn: () => Promise<T>): Promise<{ result: T; statements: TracedStatement[] }>;
  /** Resident memory of the server process (VmRSS), MB. */
  rssMb(): number;
  stop(): Promise<void>;
};

/**
 * `src`: the TypeScript sources through tsx (what `npm run dev` runs); `dist`: the compiled build (what
 * `npm start` runs). The tracer is TypeScript, so tracing loads tsx either way.
 */
function serverArgs(entry: 'src' | 'dist', trace: boolean): string[] {
  const tracer = trace ? ['--import', './bench/trace-pg.ts'] : [];
  return entry === 'src'
    ? ['--import', 'tsx', ...tracer, 'src/server.ts']
    : [...(trace ? ['--import', 'tsx', ...tracer] : []), 'dist/server.js'];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts src/server.ts with `env` (on top of a quiet production-like default) and waits until ready.
 * `trace: false` leaves the tracer out (memory figures; PGlite, which does not use pg).
 */
export async function startServer(
  env: Record<string, string>,
  options: { trace?: boolean; readyTimeoutMs?: number; entry?: 'src' | 'dist' } = {},
): Promise<BenchServer> {
  const port = await freePort();
  // A first embedded start migrates and seeds: minutes on a loaded machine.
  const readyTimeoutMs = options.readyTimeoutMs ?? 600_000;
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, serverArgs(options.entry ?? 'src', options.trace !== false), {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error(`the server exited during start-up (exit code ${child.exitCode})`);
    if (Date.now() - started > readyTimeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`the server did not become ready in ${readyTimeoutMs / 1000} s`);
    }
    const ok = await fetch(`${url}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const startMs = Date.now() - started;

  let tracing: Promise<void> = Promise.resolve();
  return {
    url,
    pid: child.pid as number,
    startMs,
    async traced(fn) {
      // One trace at a time: a trace is a window over everything the server sends.
      const previous = tracing;
      let done!: () => void;
      tracing = new Promise((r) => {
        done = r;
      });
      await previous;
      try {
        // Wait for the answer, so recording is on before the request goes out.
        await new Promise((resolve) => {
          child.once('message', resolve);
          child.send({ trace: 'start' });
        });
        const result = await fn();
        const statements = await new Promise<TracedStatement[]>((resolve) => {
          child.once('message', (m: { statements: TracedStatement[] }) => resolve(m.statements));
          child.send({ trace: 'stop' });
        });
        return { result, statements };
      } finally {
        done();
      }
    },
    rssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
      return kb / 1024;
    },
    async stop() {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}
