/**
 * Reading job files as a stream of records, one at a time, whatever their size: JSON arrays,
 * NDJSON, CSV, schema.org JobPosting JSON-LD, and HTML pages that embed JSON-LD.
 *
 * Each record carries the line it starts on, so a report can point at the row to fix. A record that
 * cannot even be parsed is yielded as an error and the rest of the file goes on.
 */

import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { AppError } from '../../../lib/errors.ts';
import { jsonLdBlocks } from './html.ts';
import { fieldForHeader } from './map.ts';
import { decodeChunks, type TextEncoding } from './text.ts';

export const IMPORT_FORMATS = ['json', 'ndjson', 'csv', 'jsonld', 'html'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export type RawRecord =
  | { line: number; kind: 'flat'; value: Record<string, unknown> }
  | { line: number; kind: 'jsonld'; value: Record<string, unknown> }
  | { line: number; kind: 'error'; reason: string };

/** Whole-document formats (one JSON object, an HTML page) are read into memory up to this size. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
const MAX_RECORD_CHARS = 1024 * 1024;

/** The format from an explicit choice, else the file name, else the content type. */
export function detectFormat(hint: { format?: string; fileName?: string; contentType?: string }): ImportFormat {
  if (hint.format) return hint.format as ImportFormat;
  const ext = hint.fileName?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  const byExt: Record<string, ImportFormat> = {
    json: 'json',
    ndjson: 'ndjson',
    jsonl: 'ndjson',
    csv: 'csv',
    jsonld: 'jsonld',
    html: 'html',
    htm: 'html',
  };
  if (ext && byExt[ext]) return byExt[ext];
  const type = hint.contentType?.split(';')[0]?.trim().toLowerCase();
  const byType: Record<string, ImportFormat> = {
    'application/json': 'json',
    'application/x-ndjson': 'ndjson',
    'application/jsonl': 'ndjson',
    'text/csv': 'csv',
    'application/ld+json': 'jsonld',
    'text/html': 'html',
  };
  if (type && byType[type]) return byType[type];
  throw new AppError('IMPORT_FAILED', {
    message: `Cannot tell the file's format. Say it with format=${IMPORT_FORMATS.join('|')}.`,
  });
}

export type ReadOptions = {
  /**
   * CSV: job field -> column header. Columns not named here are matched by their header; a field
   * mapped to "" takes no column at all. Naming a column the file does not have is an error.
   */
  mapping?: Record<string, string> | undefined;
  /** Told the text encoding found (and whether it was a guess). */
  onEncoding?: ((encoding: TextEncoding, sure: boolean) => void) | undefined;
};

export function readRecords(
  stream: Readable,
  format: ImportFormat,
  options: ReadOptions = {},
): AsyncGenerator<RawRecord> {
  switch (format) {
    case 'ndjson':
      return ndjsonRecords(stream, options);
    case 'csv':
      return csvRecords(stream, options);
    case 'json':
      return jsonRecords(stream, options);
    case 'jsonld':
      return jsonLdDocumentRecords(stream, options);
    case 'html':
      return htmlRecords(stream, options);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function classify(value: unknown, line: number): RawRecord {
  if (!isObject(value)) return { line, kind: 'error', reason: 'Expected a JSON object.' };
  return isJobPosting(value) ? { line, kind: 'jsonld', value } : { line, kind: 'flat', value };
}

const decodedChunks = (stream: Readable, options: ReadOptions) => decodeChunks(stream, options.onEncoding);

async function* ndjsonRecords(stream: Readable, options: ReadOptions): AsyncGenerator<RawRecord> {
  let pending = '';
  let line = 0;
  const parseLine = (text: string, at: number): RawRecord | null => {
    const trimmed = text.trim();
    if (!trimmed) return null;
    try {
      return classify(JSON.parse(trimmed), at);
    } catch {
      return { line: at, kind: 'error', reason: 'Not valid JSON.' };
    }
  };
  for await (const chunk of decodedChunks(stream, options)) {
    pending += chunk;
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      line++;
      const record = parseLine(pending.slice(0, nl), line);
      pending = pending.slice(nl + 1);
      if (record) yield record;
      nl = pending.indexOf('\n');
    }
    if (pending.length > MAX_RECORD_CHARS) {
      throw new AppError('IMPORT_FAILED', { message: `Line ${line + 1} is longer than 1 MB.` });
    }
  }
  const last = parseLine(pending, line + 1);
  if (last) yield last;
}

/**
 * A top-level JSON array is split into its elements by a small scanner (strings, escapes and nesting
 * tracked), so each element is parsed alone and the array is never held whole. A top-level object
 * is one record (or, for JSON-LD, the postings inside it).
 */
async function* jsonRecords(stream: Readable, options: ReadOptions): AsyncGenerator<RawRecord> {
  const chunks = decodedChunks(stream, options);
  let first = await chunks.next();
  while (!first.done && first.value.trim() === '') first = await chunks.next();
  if (first.done) return;
  const head = first.value.trimStart();
  if (!head.startsWith('[')) {
    yield* documentRecords(concat(first.value, chunks), (text) => JSON.parse(text));
    return;
  }
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  let startLine = 0;
  let pending = '';
  let elementStart = -1;
  for (let next: IteratorResult<string> = first; !next.done; next = await chunks.next()) {
    const chunk = next.value;
    elementStart = depth >= 2 ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92) escaped = true;
        else if (c === 34) inString = false;
        continue;
      }
      if (c === 34) inString = true;
      else if (c === 123 || c === 91) {
        depth++;
        if (depth === 2) {
          elementStart = i;
          startLine = line;
        }
      } else if (c === 125 || c === 93) {
        depth--;
        if (depth === 1) {
          const text = pending + chunk.slice(elementStart, i + 1);
          pending = '';
          elementStart = -1;
          try {
            yield classify(JSON.parse(text), startLine);
          } catch {
            yield { line: startLine, kind: 'error', reason: 'Not valid JSON.' };
          }
        }
      }
    }
    if (elementStart >= 0) {
      pending += chunk.slice(elementStart);
      if (pending.length > MAX_RECORD_CHARS) {
        throw new AppError('IMPORT_FAILED', {
          message: `The record starting on line ${startLine} is larger than 1 MB.`,
        });
      }
    }
  }
  if (depth !== 0) yield { line, kind: 'error', reason: 'The file ends in the middle of a record.' };
}

async function* concat(first: string, rest: AsyncGenerator<string>): AsyncGenerator<string> {
  yield first;
  yield* rest;
}

async function readWhole(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) {
    text += chunk;
    if (text.length > MAX_DOCUMENT_BYTES) {
      throw new AppError('PAYLOAD_TOO_LARGE', { message: 'A single JSON or HTML document may be at most 10 MB.' });
    }
  }
  return text;
}

async function* documentRecords(
  chunks: AsyncIterable<string>,
  parse: (text: string) => unknown,
): AsyncGenerator<RawRecord> {
  let doc: unknown;
  try {
    doc = parse(await readWhole(chunks));
  } catch (err) {
    if (err instanceof AppError) throw err;
    yield { line: 1, kind: 'error', reason: 'Not valid JSON.' };
    return;
  }
  const postings = findJobPostings(doc);
  if (postings.length > 0) {
    for (const value of postings) yield { line: 1, kind: 'jsonld', value };
  } else {
    yield classify(doc, 1);
  }
}

function jsonLdDocumentRecords(stream: Readable, options: ReadOptions): AsyncGenerator<RawRecord> {
  return documentRecords(decodedChunks(stream, options), (text) => JSON.parse(text));
}

/** Every `<script type="application/ld+json">` block of a page, and the JobPostings in them. */
async function* htmlRecords(stream: Readable, options: ReadOptions): AsyncGenerator<RawRecord> {
  const html = await readWhole(decodedChunks(stream, options));
  let found = 0;
  for (const block of jsonLdBlocks(html)) {
    const line = block.line;
    let doc: unknown;
    try {
      doc = JSON.parse(block.text.trim());
    } catch {
      yield { line, kind: 'error', reason: 'A JSON-LD block is not valid JSON.' };
      continue;
    }
    for (const value of findJobPostings(doc)) {
      found++;
      yield { line, kind: 'jsonld', value };
    }
  }
  if (found === 0) yield { line: 1, kind: 'error', reason: 'The page has no schema.org JobPosting in JSON-LD.' };
}

function isJobPosting(value: Record<string, unknown>): boolean {
  const type = value['@type'];
  return type === 'JobPosting' || (Array.isArray(type) && type.includes('JobPosting'));
}

/** JobPostings at the top, in arrays, or in an `@graph`. */
export function findJobPostings(doc: unknown, depth = 0): Record<string, unknown>[] {
  if (depth > 3) return [];
  if (Array.isArray(doc)) return doc.flatMap((d) => findJobPostings(d, depth + 1));
  if (!isObject(doc)) return [];
  if (isJobPosting(doc)) return [doc];
  return '@graph' in doc ? findJobPostings(doc['@graph'], depth + 1) : [];
}

/** The delimiter of a CSV file from its header line: comma, semicolon or tab, outside quotes. */
export function detectDelimiter(head: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < head.length && i < 64 * 1024; i++) {
    const c = head[i] as string;
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '\n') break;
    else if (!quoted && c in counts) counts[c] = (counts[c] ?? 0) + 1;
  }
  const [best] = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return best && best[1] > 0 ? best[0] : ',';
}

/**
 * Which job field each column feeds. `mapping` wins: a mapped column feeds its field and no other
 * column matched by its header does; a field mapped to "" takes no column.
 */
export function columnFields(header: string[], mapping: Record<string, string> | undefined): Map<string, string> {
  const fields = new Map<string, string>();
  const mapped = mapping ?? {};
  const missing = Object.entries(mapped).filter(([, column]) => column !== '' && !header.includes(column));
  if (missing.length > 0) {
    throw new AppError('IMPORT_FAILED', {
      message: `The file has no column ${missing.map(([f, c]) => `"${c}" (for ${f})`).join(', ')}. Its columns: ${header.filter(Boolean).join(', ')}.`,
    });
  }
  const byColumn = new Map(Object.entries(mapped).map(([field, column]) => [column, field]));
  for (const column of header) {
    const field = byColumn.get(column);
    if (field) fields.set(column, field);
    else {
      const auto = fieldForHeader(column);
      if (auto && !(auto in mapped)) fields.set(column, auto);
    }
  }
  return fields;
}

async function* csvRecords(stream: Readable, options: ReadOptions): AsyncGenerator<RawRecord> {
  const chunks = decodedChunks(stream, options);
  let first = await chunks.next();
  while (!first.done && first.value === '') first = await chunks.next();
  if (first.done) return;
  const skipped: RawRecord[] = [];
  let header: string[] = [];
  const parser = parseCsv({
    columns: (names: string[]) => {
      header = names.map((h) => h.trim());
      return header.map((h, i) => h || `#${i}`);
    },
    bom: true,
    delimiter: detectDelimiter(first.value),
    relax_column_count_less: true,
    trim: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  parser.on('skip', (err: Error & { lines?: number }) => {
    skipped.push({
      line: err.lines ?? 0,
      kind: 'error',
      reason: `Malformed CSV: ${err.message.replace(/^Invalid Record Length: /, '')}`,
    });
  });
  const text = Readable.from(concat(first.value, chunks));
  text.on('error', (err) => parser.destroy(err));
  text.pipe(parser);
  let fields: Map<string, string> | undefined;
  for await (const row of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    fields ??= columnFields(header, options.mapping);
    while (skipped.length > 0) yield skipped.shift() as RawRecord;
    const value: Record<string, unknown> = {};
    for (const [column, cell] of Object.entries(row.record)) {
      const field = fields.get(column);
      if (field && cell !== '' && value[field] === undefined) value[field] = cell;
    }
    yield { line: row.info.lines, kind: 'flat', value };
  }
  yield* skipped;
}
