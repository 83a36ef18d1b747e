/**
 * Where a benchmarked run's database time goes: every statement sent through `pg` in this process while
 * recording, grouped by the start of its text, with its count and the time from sending it to its answer
 * being handled (round trip included). The import prepares the next batch while one is written, so that
 * time includes what the event loop spent on it meanwhile, and statement time and Node's work overlap.
 */
import pg from 'pg';

export type StatementStats = { label: string; count: number; ms: number };

let recording: Map<string, StatementStats> | null = null;

/** "insert into "jobs" (...)" → `insert into "jobs"`: enough of a statement to tell it apart. */
const labelOf = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim().toLowerCase();
  const cut = flat.search(/ \(| values | where | as /);
  return (cut > 0 ? flat.slice(0, cut) : flat).slice(0, 60);
};

const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const stats = recording;
  const [first] = args;
  const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text;
  if (!stats || !text) return original.apply(this, args);
  const started = process.hrtime.bigint();
  const label = labelOf(text);
  const done = () => {
    const entry = stats.get(label) ?? { label, count: 0, ms: 0 };
    entry.count++;
    entry.ms += Number(process.hrtime.bigint() - started) / 1e6;
    stats.set(label, entry);
  };
  // pg.Pool's own query() passes a callback; transactions on a checked-out client get a promise.
  const callback = args.at(-1);
  if (typeof callback === 'function') {
    args[args.length - 1] = (...results: unknown[]) => {
      done();
      return callback(...results);
    };
    return original.apply(this, args);
  }
  const result = original.apply(this, args);
  if (result instanceof Promise) result.then(done, done);
  return result;
} as typeof pg.Client.prototype.query;

/** Records statements until the returned function is called; it gives them, the dearest first. */
export function recordStatements(): () => StatementStats[] {
  const stats = new Map<string, StatementStats>();
  recording = stats;
  return () => {
    recording = null;
    return [...stats.values()].sort((a, b) => b.ms - a.ms);
  };
}

/** The table `bench:import --profile` prints: per statement kind, count per batch, ms each and in total. */
export function profileTable(title: string, stats: StatementStats[], batches: number, seconds: number): string {
  const dbMs = stats.reduce((sum, s) => sum + s.ms, 0);
  const lines = stats.map(
    (s) =>
      `  ${s.label.padEnd(60)} ${(s.count / batches).toFixed(2).padStart(6)}/batch ${(s.ms / s.count).toFixed(2).padStart(8)} ms each ${(s.ms / 1000).toFixed(2).padStart(7)} s`,
  );
  const statements = stats.reduce((sum, s) => sum + s.count, 0);
  return [
    `${title}: ${batches} batches, ${(statements / batches).toFixed(1)} statements per batch; statements ${(dbMs / 1000).toFixed(2)} s of ${seconds.toFixed(2)} s (overlapping Node's work)`,
    ...lines,
  ].join('\n');
}
