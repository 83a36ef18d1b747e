/**
 * `npm run bench:parse`: time to read a CV per page, PDF (type, and ruled headings with a table of jobs) and DOCX (paragraphs, and tables), against the same text as a plain-text
 * file through the same path (worker start, extraction, profile), measured in the same run.
 * Scanned pages (read by OCR) are reported separately, per page, over fewer runs: the first scan also loads
 * Tesseract's model, which is reported on its own line.
 * Options: --pages=N (default 5), --runs=N (default 20), --ocr-runs=N (default 3; 0 skips OCR).
 */
import { readCv } from '../src/modules/cvs/cvs.service.ts';
import { makeDocx, makePdf, makeScannedPdf } from '../test/helpers/documents.ts';
import { percentile, timeEach } from './lib.ts';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const pages = arg('pages', 5);
const runs = arg('runs', 20);
const ocrRuns = arg('ocr-runs', 3);

const page = (n: number) => [
  n === 0 ? 'Priya Raman' : `Page ${n + 1}`,
  'priya.raman@example.test | +91 98765 43210',
  'Experience',
  ...Array.from(
    { length: 40 },
    (_, i) =>
      `Senior Engineer at Example ${n}-${i}   Jan 2019 - Present. Built payment systems in Node.js and PostgreSQL.`,
  ),
  'Skills',
  'Node.js, TypeScript, PostgreSQL, Kubernetes, C#',
];
const content = Array.from({ length: pages }, (_, n) => page(n));
// Name and headings in bold, as most CVs set them: reading the fonts' names costs a second pass over a page.
const pdf = makePdf(
  content.map((lines) =>
    lines.map((text) => ({ text, size: 8, bold: /^(?:Priya Raman|Experience|Skills)$/.test(text) })),
  ),
);
// The same CV as a template that rules or shades its headings and sets its jobs in a table (Company |
// Role | Duration) with every other row shaded: every page's drawing is read for its rules and bands
// (21 a page to match with the lines), and 40 rows a page are read as a table's.
const pdfRuled = makePdf(
  Array.from({ length: pages }, (_, n) => [
    { text: n === 0 ? 'Priya Raman' : `Page ${n + 1}`, size: 8, bold: n === 0 },
    { text: 'priya.raman@example.test | +91 98765 43210', size: 8 },
    // Text across the page, as a summary or a bullet is: a page of short lines could read as two columns.
    {
      text: `Engineer who builds payment systems in Node.js and PostgreSQL for teams across ${n + 1} regions and time zones.`,
      size: 8,
    },
    { text: 'Experience', size: 8, below: {} },
    {
      text: '',
      size: 8,
      bold: true,
      cells: [
        { text: 'Company', x: 50 },
        { text: 'Role', x: 200 },
        { text: 'Duration', x: 400 },
      ],
    },
    ...Array.from({ length: 40 }, (_, i) => ({
      text: '',
      size: 8,
      ...(i % 2 === 0 ? { band: { gray: 0.93 } } : {}),
      cells: [
        { text: `Example ${n}-${i}`, x: 50 },
        { text: 'Senior Engineer', x: 200 },
        { text: 'Jan 2019 - Present', x: 400 },
      ],
    })),
    { text: 'Skills', size: 8, band: {} },
    { text: 'Node.js, TypeScript, PostgreSQL, Kubernetes, C#', size: 8 },
  ]),
);
const docx = await makeDocx(content.flat());
// The same CV as a Word template's tables: contacts as labels beside values, the jobs under a heading row.
const docxTables = await makeDocx(
  Array.from({ length: pages }, (_, n) => [
    {
      table: [
        ['Name', 'Priya Raman'],
        ['E-mail', 'priya.raman@example.test'],
        ['Mobile', '+91 98765 43210'],
      ],
    },
    'Experience',
    {
      table: [
        ['Company', 'Role', 'Duration'],
        ...Array.from({ length: 40 }, (_, i) => [
          `Example ${n}-${i}`,
          ['Senior Engineer', 'Built payment systems in Node.js and PostgreSQL.'],
          'Jan 2019 - Present',
        ]),
      ],
    },
    'Skills',
    {
      table: [
        ['Languages', 'Node.js, TypeScript, C#'],
        ['Databases', 'PostgreSQL'],
      ],
    },
  ]).flat(),
);
const txt = Buffer.from(content.flat().join('\n'));

await timeEach(3, () => readCv('text', txt));
const text = await timeEach(runs, () => readCv('text', txt));
const pdfTimes = await timeEach(runs, () => readCv('pdf', pdf));
const ruledTimes = await timeEach(runs, () => readCv('pdf', pdfRuled));
const docxTimes = await timeEach(runs, () => readCv('docx', docx));
const tableTimes = await timeEach(runs, () => readCv('docx', docxTables));

const perPage = (samples: number[]) => percentile(samples, 50) / pages;
console.log(`bench:parse, ${pages} pages of ${page(1).length} lines each, ${runs} runs (p50)`);
console.log(
  `plain text (baseline)   ${perPage(text).toFixed(1).padStart(6)} ms/page   ${percentile(text, 50).toFixed(1)} ms/file`,
);
console.log(
  `PDF                     ${perPage(pdfTimes).toFixed(1).padStart(6)} ms/page   ${percentile(pdfTimes, 50).toFixed(1)} ms/file   ${(perPage(pdfTimes) / perPage(text)).toFixed(2)}x text`,
);
console.log(
  `PDF, rules and a table  ${perPage(ruledTimes).toFixed(1).padStart(6)} ms/page   ${percentile(ruledTimes, 50).toFixed(1)} ms/file   ${(perPage(ruledTimes) / perPage(text)).toFixed(2)}x text`,
);
console.log(
  `DOCX                    ${perPage(docxTimes).toFixed(1).padStart(6)} ms/page   ${percentile(docxTimes, 50).toFixed(1)} ms/file   ${(perPage(docxTimes) / perPage(text)).toFixed(2)}x text`,
);
console.log(
  `DOCX, tables            ${perPage(tableTimes).toFixed(1).padStart(6)} ms/page   ${percentile(tableTimes, 50).toFixed(1)} ms/file   ${(perPage(tableTimes) / perPage(text)).toFixed(2)}x text`,
);

if (ocrRuns > 0) {
  // A normal CV page's worth of lines at a readable size (a page of 8-point type does not fit a scan at 150 dpi).
  const scan = makeScannedPdf([
    page(0)
      .slice(0, 24)
      .map((text) => ({ text, size: 10 })),
  ]);
  const started = performance.now();
  await readCv('pdf', scan);
  const first = performance.now() - started;
  const ocr = await timeEach(ocrRuns, () => readCv('pdf', scan));
  console.log(
    `scanned PDF (OCR)       ${percentile(ocr, 50).toFixed(0).padStart(6)} ms/page   first scan ${first.toFixed(0)} ms (loads the OCR model)   ${(percentile(ocr, 50) / perPage(text)).toFixed(0)}x text`,
  );
}
