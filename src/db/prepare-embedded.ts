/**
 * The embedded database's first start (and the first start after an upgrade) migrates and seeds in a
 * child process that then exits: migrations, the demo catalogue and the demo CV's reading grow the
 * process's memory (WebAssembly tiers, the parse worker's allocator arenas) and none of it is given back,
 * so a server that did that work itself idles ~70 MB higher than the same server restarted
 * (docs/decisions/027-cluster-mode-and-embedded-memory.md). A marker in the data folder records what
 * was prepared: later starts see it and skip the child (their own migrate/seed step is then a no-op).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsFolder } from './migrate.ts';

/** The argument that makes src/server.ts prepare the database and exit instead of serving. */
export const PREPARE_ONLY_ARG = '--prepare-embedded-database';

const markerFile = (dataDir: string) => join(dataDir, 'jobr.prepared');

/** What a prepared folder holds: the newest migration applied, and whether the demo data was seeded. */
function wanted(seedDemoData: boolean): string {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  return JSON.stringify({ migration: journal.entries.at(-1)?.tag ?? null, seedDemoData });
}

export function isPrepared(dataDir: string, seedDemoData: boolean): boolean {
  try {
    return readFileSync(markerFile(dataDir), 'utf8') === wanted(seedDemoData);
  } catch {
    return false;
  }
}

/**
 * Runs this same entry point (same Node options, same environment) with PREPARE_ONLY_ARG and waits for
 * it; its output is this process's. Marks the folder prepared when it succeeds.
 */
export async function prepareInChild(dataDir: string, seedDemoData: boolean): Promise<void> {
  const entry = process.argv[1];
  if (!entry) throw new Error('cannot find the entry point to prepare the embedded database with');
  const child = spawn(process.execPath, [...process.execArgv, entry, PREPARE_ONLY_ARG], { stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  if (code !== 0) throw new Error(`preparing the embedded database failed (exit code ${code})`);
  writeFileSync(markerFile(dataDir), wanted(seedDemoData));
}
