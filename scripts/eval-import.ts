/**
 * `npm run eval:import [-- FILE.csv TRUTH.csv]`: how the job importer does on a real export.
 *
 * Default: ../shared/data/jobs/glassdoor_jobs.csv with glassdoor_salary_cleaned.csv as the salary truth
 * (min/max in thousands of USD a year, or USD an hour as written when `hourly` is 1). Prints rows
 * imported and rejected (with reasons), warnings by field, salary exact / within 2% / missing / wrong,
 * "unknown" salaries stored as a figure (must be 0), and what was inferred. Then imports the file into
 * an in-memory embedded database to count inserted and merged duplicates. Also runs the shared
 * fixtures' job files. Prints aggregate figures only.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { openPglite } from '../src/db/client.ts';
import { systemActor } from '../src/db/context.ts';
import { runMigrations } from '../src/db/migrate.ts';
import { importJobs } from '../src/modules/jobs/import/import.service.ts';
import { prepareRecord } from '../src/modules/jobs/import/prepare.ts';
import { detectFormat, readRecords } from '../src/modules/jobs/import/read.ts';
import { periodsPerYear } from '../src/modules/jobs/salary.ts';

const [fileArg, truthArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const file = fileArg ?? '../shared/data/jobs/glassdoor_jobs.csv';
const truthFile = truthArg ?? (fileArg ? undefined : '../shared/data/jobs/glassdoor_salary_cleaned.csv');
if (!existsSync(file)) {
  console.error(`No file at ${file} (the shared data folder is not here).`);
  process.exit(0);
}

const pct = (n: number, of: number) => (of === 0 ? '-' : `${((100 * n) / of).toFixed(1)}%`);
const count = (map: Map<string, number>, k: string) => map.set(k, (map.get(k) ?? 0) + 1);
const top = (map: Map<string, number>, n = 8) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

type Truth = { text: string; min: number; max: number; hourly: boolean };

async function evaluateFile(path: string, truthPath: string | undefined) {
  const format = detectFormat({ fileName: path });
  const truth: Truth[] = truthPath
    ? (parse(readFileSync(truthPath), { columns: true, bom: true }) as Record<string, string>[]).map((r) => ({
        text: r['Salary Estimate'] ?? '',
        min: Number(r.min_salary),
        max: Number(r.max_salary),
        hourly: r.hourly === '1',
      }))
    : [];
  let rows = 0;
  let imported = 0;
  let withTitle = 0;
  const rejected = new Map<string, number>();
  const warnings = new Map<string, number>();
  const inferred = { remote: 0, level: new Map<string, number>(), type: new Map<string, number>(), skills: 0 };
  const salary = { stated: 0, exact: 0, within2: 0, missing: 0, wrong: 0, wrongCurrency: 0, unknownStored: 0 };
  const wrongExamples = new Map<string, number>();
  let truthAt = 0;
  let unmatched = 0;
  let encoding = '';
  const started = performance.now();
  for await (const record of readRecords(createReadStream(path), format, {
    onEncoding: (e, sure) => {
      encoding = `${e}${sure ? '' : ' (guessed)'}`;
    },
  })) {
    rows++;
    if (record.kind === 'error') {
      count(rejected, record.reason.slice(0, 60));
      continue;
    }
    const prepared = prepareRecord(record);
    const rawTitle = record.value.title;
    if (typeof rawTitle === 'string' && rawTitle.trim()) withTitle++;
    for (const w of prepared.warnings) count(warnings, `${w.field}: ${w.reason.slice(0, 50)}`);
    if (!prepared.ok) {
      count(rejected, prepared.rejection.reason.slice(0, 60));
      continue;
    }
    imported++;
    const job = prepared.job;
    if (job.remote) inferred.remote++;
    count(inferred.level, job.experienceLevel ?? 'none');
    count(inferred.type, job.jobType ?? 'full-time (default)');
    if (prepared.skillsFromText.length > 0) inferred.skills++;

    const salaryText = typeof record.value.salary === 'string' ? record.value.salary : '';
    const hasFigure = job.salaryMin != null || job.salaryMax != null;
    if (!truthPath) continue;
    const unknown = salaryText.trim() === '' || salaryText.trim() === '-1';
    if (unknown) {
      if (hasFigure) salary.unknownStored++;
      continue;
    }
    const t = truth[truthAt++];
    if (!t || t.text !== salaryText) {
      unmatched++;
      continue;
    }
    salary.stated++;
    if (!hasFigure) {
      salary.missing++;
      continue;
    }
    if ((job.salaryCurrency ?? 'USD') !== 'USD') salary.wrongCurrency++;
    const period = job.salaryPeriod ?? 'yearly';
    const scale = t.hourly ? 1 : 1000;
    const truthPeriod = t.hourly ? 'hourly' : 'yearly';
    const exact = period === truthPeriod && job.salaryMin === t.min * scale && job.salaryMax === t.max * scale;
    const yearly = (n: number | null | undefined) => (n == null ? Number.NaN : n * periodsPerYear(period));
    const truthYearly = (n: number) => n * scale * periodsPerYear(truthPeriod);
    const close = (a: number, b: number) => Math.abs(a - b) <= 0.02 * b;
    const within = close(yearly(job.salaryMin), truthYearly(t.min)) && close(yearly(job.salaryMax), truthYearly(t.max));
    if (exact) salary.exact++;
    if (within) salary.within2++;
    else {
      salary.wrong++;
      count(wrongExamples, salaryText.replace(/\d+/g, 'N'));
    }
  }
  const ms = performance.now() - started;
  console.log(`\n== ${path} (${format}, ${encoding || 'text'}) ==`);
  console.log(
    `rows ${rows}: imported ${imported} (${pct(imported, rows)}), rejected ${rows - imported}; rows with a title imported ${pct(imported, withTitle)}  [${ms.toFixed(0)} ms to read and map]`,
  );
  if (rejected.size > 0) console.log(`  rejected: ${top(rejected)}`);
  if (warnings.size > 0) console.log(`  warnings: ${top(warnings)}`);
  console.log(
    `  inferred: remote ${inferred.remote}; level ${top(inferred.level)}; type ${top(inferred.type)}; skills from text on ${inferred.skills} rows`,
  );
  if (truthPath) {
    const s = salary;
    console.log(
      `  salary vs truth (${s.stated} stated): exact ${s.exact} (${pct(s.exact, s.stated)}), within 2% ${s.within2} (${pct(s.within2, s.stated)}), missing ${s.missing}, wrong ${s.wrong}, wrong currency ${s.wrongCurrency}; unknown stored as a figure ${s.unknownStored}; unmatched truth rows ${unmatched}`,
    );
    if (wrongExamples.size > 0) console.log(`  wrong by shape: ${top(wrongExamples)}`);
  }
}

async function importIntoFreshDatabase(path: string) {
  const database = await openPglite(undefined);
  try {
    await runMigrations(database);
    const started = performance.now();
    const first = await importJobs(database.db, systemActor, createReadStream(path), {
      format: detectFormat({ fileName: path }),
      source: 'eval',
    });
    const firstMs = performance.now() - started;
    const again = performance.now();
    const second = await importJobs(database.db, systemActor, createReadStream(path), {
      format: detectFormat({ fileName: path }),
      source: 'eval',
    });
    const secondMs = performance.now() - again;
    console.log(
      `  embedded import: ${first.inserted} inserted, ${first.skipped} repeated rows (same id) skipped, ${first.merged} merged (same posting under another id), ${first.rejected} rejected, ${first.warned} rows with warnings (${firstMs.toFixed(0)} ms); re-import: ${second.inserted} inserted, ${second.updated} updated, ${second.skipped} unchanged, ${second.merged} merged (${secondMs.toFixed(0)} ms)`,
    );
  } finally {
    await database.close();
  }
}

await evaluateFile(file, truthFile);
await importIntoFreshDatabase(file);

// The shared fixtures' job files (JSON Resume job).
const fixture = '../shared/fixtures/jsonresume/sample.job.json';
if (!fileArg && existsSync(fixture)) {
  await evaluateFile(fixture, undefined);
  for await (const record of readRecords(Readable.from([readFileSync(fixture)]), 'json')) {
    if (record.kind === 'error') continue;
    const prepared = prepareRecord(record);
    if (prepared.ok) {
      const { title, company, salaryMin, salaryMax, salaryCurrency, experienceLevel, jobType, remote } = prepared.job;
      console.log(
        `  ${JSON.stringify({ title, company, salaryMin, salaryMax, salaryCurrency, experienceLevel, jobType, remote, skills: prepared.skillsFromText.length })}`,
      );
    }
  }
}
