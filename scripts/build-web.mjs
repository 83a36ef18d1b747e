#!/usr/bin/env node
/**
 * Builds the web app into web/dist and prints the initial JavaScript of the search page (gzip),
 * which the issue caps at 200 KB. With --if-stale it builds only when web/dist is missing or older
 * than a source file, so `npm start` on a fresh clone serves the app without a separate step.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { stale } from './stale.mjs';

const root = join(import.meta.dirname, '..', 'web');
const dist = join(root, 'dist');
const BUDGET_KB = 200;

/** The entry chunk and every chunk it imports statically: what the browser loads before the first result. */
export function initialJs(distDir = dist) {
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite', 'manifest.json'), 'utf8'));
  const entry = Object.values(manifest).find((c) => c.isEntry);
  const seen = new Set();
  const walk = (chunk) => {
    if (!chunk || seen.has(chunk.file)) return;
    seen.add(chunk.file);
    for (const i of chunk.imports ?? []) walk(manifest[i]);
  };
  walk(entry);
  let raw = 0;
  let gzip = 0;
  for (const file of seen) {
    const bytes = readFileSync(join(distDir, file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: [...seen], raw, gzip };
}

const sources = [join(root, 'src'), join(root, 'index.html'), join(root, 'vite.config.ts')];
if (process.argv.includes('--if-stale') && !stale(join(dist, 'index.html'), sources)) process.exit(0);

let build;
try {
  ({ build } = await import('vite'));
} catch {
  // Installed without dev dependencies (npm ci --omit=dev) and nothing built: serve the API alone.
  console.warn(
    'web app: not built and Vite is not installed (run `npm install` and `npm run build`); serving the API only.',
  );
  process.exit(process.argv.includes('--if-stale') ? 0 : 1);
}
await build({ configFile: join(root, 'vite.config.ts'), logLevel: process.argv.includes('--quiet') ? 'warn' : 'info' });
const size = initialJs();
const kb = (n) => (n / 1024).toFixed(1);
console.log(
  `Initial JavaScript for the search page: ${kb(size.gzip)} KB gzipped (${kb(size.raw)} KB raw, ${size.files.length} file(s); budget ${BUDGET_KB} KB)`,
);
if (size.gzip > BUDGET_KB * 1024) {
  console.error('Over budget: move code out of the first bundle (lazy routes) or drop a dependency.');
  process.exit(1);
}
