#!/usr/bin/env node
// `npx jobr --help`. In production (NODE_ENV=production, after `npm run build`) it runs the compiled CLI
// with plain node; everywhere else the TypeScript sources through tsx, so a checkout needs no build step.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli.js', import.meta.url);
if (process.env.NODE_ENV === 'production' && existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
