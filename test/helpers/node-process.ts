/**
 * A Jobr server as a child process (the TypeScript sources through tsx: no build step), for tests that
 * need more than one process on one database.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export type NodeProcess = {
  url: string;
  pid: number;
  output(): string;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
};

/** Starts `src/server.ts` with `env` (plus a port and a private files folder) and waits for /readyz. */
export async function startNode(env: Record<string, string>): Promise<NodeProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn('node', ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DB_MIGRATE_ON_START: 'false',
      SEED_DEMO_DATA: 'false',
      // Each node its own folder: a file another node can read must be in the database.
      FILE_STORAGE_DIR: mkdtempSync(join(tmpdir(), 'jobr-node-files-')),
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const node: NodeProcess = {
    url,
    pid: child.pid as number,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
  // A loaded machine compiles and starts in seconds; bounded at 120 s.
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) break;
    const status = await fetch(`${url}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return node;
    await new Promise((r) => setTimeout(r, 500));
  }
  await node.stop();
  throw new Error(`node on port ${port} did not become ready:\n${output}`);
}
