/** `jobr jobs import FILE`: stream a job file into the catalogue with progress on the terminal. */
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { systemActor } from '../db/context.ts';
import { AppError } from '../lib/errors.ts';
import { byteCounter } from '../lib/streams.ts';
import { type ImportProgress, importJobs } from '../modules/jobs/import/import.service.ts';
import { MAPPABLE_FIELDS } from '../modules/jobs/import/map.ts';
import { detectFormat, IMPORT_FORMATS } from '../modules/jobs/import/read.ts';
import { type Command, UsageError } from './command.ts';

const SHOWN_ERRORS = 20;

/** `title=Job Title` pairs (repeatable, or comma-separated) to a field -> column mapping. */
export function parseMapping(values: string[]): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const pair of values.flatMap((v) => v.split(','))) {
    const [field, ...column] = pair.split('=');
    if (!field?.trim() || column.length === 0 || !column.join('=').trim()) {
      throw new UsageError(`--map takes field=Column pairs, e.g. --map "title=Job Title". Got: ${pair}`);
    }
    if (!MAPPABLE_FIELDS.includes(field.trim())) {
      throw new UsageError(`--map: unknown field "${field.trim()}". Fields: ${MAPPABLE_FIELDS.join(', ')}.`);
    }
    mapping[field.trim()] = column.join('=').trim();
  }
  return mapping;
}

const number = (n: number) => n.toLocaleString('en-US');

export const jobsImportCommand: Command = {
  summary: 'Import jobs from a JSON, NDJSON, CSV, JSON-LD or HTML file (upserts by source and external id)',
  usage: `jobr jobs import FILE [--format ${IMPORT_FORMATS.join('|')}] [--source NAME] [--map field=Column ...]`,
  needsDatabase: true,
  async run(args, { database, io }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        source: { type: 'string' },
        map: { type: 'string', multiple: true },
      },
    });
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new UsageError('Give exactly one file to import.');
    if (values.format && !(IMPORT_FORMATS as readonly string[]).includes(values.format)) {
      throw new UsageError(`--format must be one of ${IMPORT_FORMATS.join(', ')}.`);
    }
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      io.err(`Cannot read ${file}. Check the path and try again.`);
      return 1;
    }
    if (!database) throw new Error('database not opened');

    const format = detectFormat({ format: values.format, fileName: basename(file) });
    const counter = byteCounter();
    const started = Date.now();
    let lastShown = 0;
    const interactive = Boolean(process.stderr.isTTY);
    const show = (p: ImportProgress, final = false) => {
      const now = Date.now();
      if (!final && now - lastShown < (interactive ? 250 : 5000)) return;
      lastShown = now;
      const seconds = Math.max((now - started) / 1000, 0.001);
      const percent = size > 0 ? Math.min(100, Math.floor((counter.bytes() / size) * 100)) : 100;
      const line = `  ${String(percent).padStart(3)}%  ${number(p.rows)} rows  ${number(Math.round(p.rows / seconds))} rows/s  (${number(p.rejected)} rejected)`;
      if (interactive) process.stderr.write(`\r${line}${final ? '\n' : ''}`);
      else io.err(line);
    };

    io.err(`Importing ${file} as ${format}...`);
    try {
      const report = await importJobs(database.db, systemActor, createReadStream(file).pipe(counter), {
        format,
        source: values.source,
        mapping: values.map ? parseMapping(values.map) : undefined,
        onProgress: (p) => show(p),
      });
      show(report, true);
      const seconds = (Date.now() - started) / 1000;
      io.out(
        `Done in ${seconds.toFixed(1)} s: ${number(report.inserted)} inserted, ${number(report.updated)} updated, ` +
          `${number(report.skipped)} skipped, ${number(report.rejected)} rejected.`,
      );
      for (const e of report.errors.slice(0, SHOWN_ERRORS)) io.out(`  line ${e.line}: ${e.reason}`);
      if (report.rejected > SHOWN_ERRORS)
        io.out(`  ... and ${number(report.rejected - SHOWN_ERRORS)} more rejected rows.`);
      return report.rejected > 0 && report.inserted + report.updated + report.skipped === 0 ? 1 : 0;
    } catch (err) {
      if (err instanceof AppError) {
        io.err(`\nImport stopped: ${err.message}`);
        return 1;
      }
      throw err;
    }
  },
};
