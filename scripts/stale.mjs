// Whether a build output is older than its sources, by modification time: what lets `npm start` and the
// process test skip a build that is already up to date.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time of a file, or of a folder and anything under it (a folder's own time changes
 * when a file is added, renamed or deleted in it). */
export function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let t = stat.mtimeMs;
  for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
  return t;
}

/** True when `built` is missing or any of `sources` changed after it. */
export function stale(built, sources) {
  try {
    return Math.max(...sources.map(newest)) > statSync(built).mtimeMs;
  } catch {
    return true;
  }
}
