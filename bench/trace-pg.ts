/**
 * Preloaded into the benchmarked server (`node --import tsx --import ./bench/trace-pg.ts src/server.ts`):
 * records every statement the application sends through `pg`, whatever code sends it, so the benchmark
 * can count round trips per request and replay the very same statements as its SQL baseline. Nothing in
 * src/ knows about it. The parent drives it over the IPC channel:
 *   { trace: 'start' } clears the record, starts recording and answers { recording: true }; { trace: 'stop' } stops and sends
 *   { statements: [{ text, values }] } back.
 */
import pg from 'pg';

/** `name` is set when the application prepares the statement (a named statement, parsed once per connection). */
export type TracedStatement = { text: string; values: unknown[]; name?: string };

let recording: TracedStatement[] | null = null;
/** pg's own serialiser (not in its type declarations). */
const { prepareValue } = (pg as unknown as { utils: { prepareValue(v: unknown): unknown } }).utils;

const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (recording) {
    const [first, second] = args;
    const config =
      typeof first === 'string' ? { text: first } : (first as { text?: string; values?: unknown[]; name?: string });
    const values = Array.isArray(second) ? second : (config.values ?? []);
    // The text pg sends for each value (its own prepareValue: Dates, arrays, JSON), as sent.
    if (config.text) {
      const statement: TracedStatement = { text: config.text, values: values.map(prepareValue) };
      if ('name' in config && config.name) statement.name = config.name;
      recording.push(statement);
    }
  }
  return original.apply(this, args);
} as typeof pg.Client.prototype.query;

process.on('message', (message: { trace?: 'start' | 'stop' }) => {
  if (message.trace === 'start') {
    recording = [];
    process.send?.({ recording: true });
  }
  if (message.trace === 'stop') {
    process.send?.({ statements: recording ?? [] });
    recording = null;
  }
});
