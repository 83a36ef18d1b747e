/** `jobr jobs import FILE`: stream a job file into the catalogue with progress on the terminal. */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { systemActor } from '../db/context.ts';
import { SALARY_CURRENCIES } from '../db/schema/index.ts';
import { AppError } from '../lib/errors.ts';
import { byteCounter } from '../lib/streams.ts';
import { type ImportProgress, importJobs } from '../modules/jobs/import/import.service.ts';
import { MAPPABLE_FIELDS, recognisedHeaders } from '../modules/jobs/import/map.ts';
import type { RowIssue } from '../modules/jobs/import/prepare.ts';
import { detectFormat, IMPORT_FORMATS } from '../modules/jobs/import/read.ts';
import { CSV_REPORT_HEADER, reportLine } from '../modules/jobs/import/report-file.ts';
import { type Command, UsageError } from './command.ts';

const SHOWN_ERRORS = 20;

/**
 * `title=Job Title` pairs (repeatable, or comma-separated) to a field -> value object: for `--map` a
 * column (empty: the field takes no column), for `--set` a constant.
 */
export function parseMapping(values: string[], flag = '--map'): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const pair of flag === '--map' ? values.flatMap((v) => v.split(',')) : values) {
    const [field, ...column] = pair.split('=');
    if (!field?.trim() || column.length === 0 || (flag === '--set' && !column.join('=').trim())) {
      throw new UsageError(`${flag} takes field=value pairs, e.g. ${flag} "title=Job Title". Got: ${pair}`);
    }
    if (!MAPPABLE_FIELDS.includes(field.trim())) {
      throw new UsageError(`${flag}: unknown field "${field.trim()}". Fields: ${MAPPABLE_FIELDS.join(', ')}.`);
    }
    mapping[field.trim()] = column.join('=').trim();
  }
  return mapping;
}

/** A report file of every warning and rejection: CSV by its extension, else NDJSON. */
function reportWriter(path: string) {
  const out = createWriteStream(path);
  const format = extname(path).toLowerCase() === '.csv' ? 'csv' : 'ndjson';
  if (format === 'csv') out.write(CSV_REPORT_HEADER);
  return {
    write(issue: RowIssue) {
      out.write(reportLine(issue, format));
    },
    close: () =>
      new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve()))),
  };
}

const headerHelp = () =>
  Object.entries(recognisedHeaders())
    .map(([field, names]) => `  ${field}: ${names.join(', ')}`)
    .join('\n');

const number = (n: number) => n.toLocaleString('en-US');

export const jobsImportCommand: Command = {
  summary: 'Import jobs from a JSON, NDJSON, CSV, JSON-LD or HTML file (upserts by source and external id)',
  get usage() {
    return `jobr jobs import FILE [--format ${IMPORT_FORMATS.join('|')}] [--source NAME] [--map field=Column ...]
       [--set field=value ...] [--currency ${SALARY_CURRENCIES.join('|')}] [--dayfirst] [--company-missing TEXT]
       [--report FILE.csv|FILE.ndjson]

A bad value in an optional field never rejects a row: the field is left empty and the row is imported
with a warning. Only rows without a title are rejected; the exit code is 1 when any row was.
--map field=Column wins over header matching (--map field= ignores the field); a column the file does
not have is an error before anything is written. --set gives every row a constant. --currency applies
to rows that state an amount but no currency. --report writes every warning and rejection.

CSV headers recognised (case, spaces and punctuation ignored):
${headerHelp()}`;
  },
  needsDatabase: true,
  async run(args, { database, io }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        source: { type: 'string' },
        map: { type: 'string', multiple: true },
        set: { type: 'string', multiple: true },
        currency: { type: 'string' },
        dayfirst: { type: 'boolean' },
        'company-missing': { type: 'string' },
        report: { type: 'string' },
      },
    });
    const currency = values.currency?.toUpperCase();
    if (currency && !(SALARY_CURRENCIES as readonly string[]).includes(currency)) {
      throw new UsageError(`--currency must be one of ${SALARY_CURRENCIES.join(', ')}.`);
    }
    const mapping = values.map ? parseMapping(values.map) : undefined;
    const set = values.set ? parseMapping(values.set, '--set') : undefined;
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
    const issues = values.report ? reportWriter(values.report) : undefined;
    try {
      const report = await importJobs(database.db, systemActor, createReadStream(file).pipe(counter), {
        format,
        source: values.source,
        mapping,
        set,
        currency,
        dayfirst: values.dayfirst,
        companyNotStated: values['company-missing'],
        onProgress: (p) => show(p),
        onIssue: issues ? (issue) => issues.write(issue) : undefined,
      });
      show(report, true);
      const seconds = (Date.now() - started) / 1000;
      io.out(
        `Done in ${seconds.toFixed(1)} s: ${number(report.inserted)} inserted, ${number(report.updated)} updated, ` +
          `${number(report.skipped)} skipped, ${number(report.merged)} merged (same posting, another id), ${number(report.rejected)} rejected; ` +
          `${number(report.warned)} rows imported with warnings.`,
      );
      for (const e of report.errors.slice(0, SHOWN_ERRORS)) io.out(`  line ${e.line}: ${e.reason}`);
      if (report.rejected > SHOWN_ERRORS)
        io.out(`  ... and ${number(report.rejected - SHOWN_ERRORS)} more rejected rows.`);
      for (const w of report.warnings.slice(0, SHOWN_ERRORS))
        io.out(
          `  line ${w.line}: warning: ${w.field ?? ''}${w.value === undefined ? '' : ` "${w.value}"`}: ${w.reason}`,
        );
      if (report.warnings.length > SHOWN_ERRORS || report.warningsTruncated)
        io.out(`  ... more warnings${values.report ? ` in ${values.report}` : ' (--report FILE lists them all)'}.`);
      return report.rejected > 0 ? 1 : 0;
    } catch (err) {
      if (err instanceof AppError) {
        io.err(`\nImport stopped: ${err.message}`);
        return 1;
      }
      throw err;
    } finally {
      await issues?.close();
    }
  },
};
