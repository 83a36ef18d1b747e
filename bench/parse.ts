/**
 * `npm run bench:parse`: time to read a CV per page, PDF and DOCX, against the same text as a plain-text
 * file through the same path (worker start, extraction, profile), measured in the same run.
 * Options: --pages=N (default 5), --runs=N (default 20).
 */
import { readCv } from '../src/modules/cvs/cvs.service.ts';
import { makeDocx, makePdf } from '../test/helpers/documents.ts';
import { percentile, timeEach } from './lib.ts';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const pages = arg('pages', 5);
const runs = arg('runs', 20);

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
const pdf = makePdf(content.map((lines) => lines.map((text) => ({ text, size: 8 }))));
const docx = await makeDocx(content.flat());
const txt = Buffer.from(content.flat().join('\n'));

await timeEach(3, () => readCv('text', txt));
const text = await timeEach(runs, () => readCv('text', txt));
const pdfTimes = await timeEach(runs, () => readCv('pdf', pdf));
const docxTimes = await timeEach(runs, () => readCv('docx', docx));

const perPage = (samples: number[]) => percentile(samples, 50) / pages;
console.log(`bench:parse, ${pages} pages of ${page(1).length} lines each, ${runs} runs (p50)`);
console.log(
  `plain text (baseline)   ${perPage(text).toFixed(1).padStart(6)} ms/page   ${percentile(text, 50).toFixed(1)} ms/file`,
);
console.log(
  `PDF                     ${perPage(pdfTimes).toFixed(1).padStart(6)} ms/page   ${percentile(pdfTimes, 50).toFixed(1)} ms/file   ${(perPage(pdfTimes) / perPage(text)).toFixed(2)}x text`,
);
console.log(
  `DOCX                    ${perPage(docxTimes).toFixed(1).padStart(6)} ms/page   ${percentile(docxTimes, 50).toFixed(1)} ms/file   ${(perPage(docxTimes) / perPage(text)).toFixed(2)}x text`,
);
