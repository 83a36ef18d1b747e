// `npm run build`: compile src/ to dist/ with tsc, then copy the files that are not TypeScript
// (worker script, data files) next to the compiled modules that read them via import.meta.url.
// With --if-stale (what `npm start` runs) it builds only when dist/ is missing or older than a source.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stale } from './stale.mjs';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'src');
const dist = join(root, 'dist');
const marker = join(dist, '.built'); // written last: a build stopped half-way is stale
const sources = [src, ...['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((f) => join(root, f))];
if (process.argv.includes('--if-stale') && !stale(marker, sources)) process.exit(0);

rmSync(dist, { recursive: true, force: true });
const started = Date.now();
execFileSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')],
  {
    stdio: 'inherit',
  },
);

let copied = 0;
const copyAssets = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyAssets(path);
    else if (!name.endsWith('.ts')) {
      cpSync(path, join(dist, relative(src, path)));
      copied += 1;
    }
  }
};
copyAssets(src);
writeFileSync(marker, new Date().toISOString());
console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s (${copied} asset files copied)`);
