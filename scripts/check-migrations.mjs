#!/usr/bin/env node
// Fails when src/db/schema and the committed migrations in drizzle/ disagree: runs `drizzle-kit generate`
// against a copy of drizzle/ and checks that it writes nothing new. Used by `npm run db:check` and CI.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const copy = mkdtempSync(join(tmpdir(), 'jobr-drift-'));
try {
  cpSync('drizzle', copy, { recursive: true });
  const before = new Set(readdirSync(copy));
  execFileSync(
    'npx',
    [
      'drizzle-kit',
      'generate',
      '--dialect',
      'postgresql',
      '--schema',
      './src/db/schema/index.ts',
      '--out',
      // Relative: drizzle-kit prefixes "./" to the folder, which breaks an absolute path (it then reads
      // nothing, writes nothing, and this check would pass whatever the schema says).
      relative(process.cwd(), copy),
      '--name',
      'drift',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const added = readdirSync(copy).filter((f) => !before.has(f));
  if (added.length > 0) {
    console.error(`Schema drift: src/db/schema differs from drizzle/ migrations (would generate ${added.join(', ')}).`);
    console.error('Run `npm run db:generate -- --name <change>` and commit the new migration.');
    process.exit(1);
  }
  console.log('Migrations match the schema.');
} finally {
  rmSync(copy, { recursive: true, force: true });
}
