/**
 * Jobr's own labelled CV set for `npm run eval:parse`: 36 fictional people, each rendered in one of eleven
 * layouts (PDF in one or two columns or as labelled lines, DOCX as paragraphs, with the jobs in a table,
 * or as a form of tables, plain text, PDF and DOCX set in bold and larger type, a PDF form of tables, a
 * PDF whose headings are told only by the rule under them),
 * with varied section names, date formats, phone formats and names from many languages, next to a
 * JSON file with the fields a reader should find. Deterministic: the same set every run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DocxBlock,
  makeDocx,
  makeDocxTable,
  makePdf,
  type PdfLine,
  pdfRow,
} from '../../test/helpers/documents.ts';

export type Expected = {
  name: string;
  email: string;
  phone: string;
  skills: string[];
  titles: string[];
  companies: string[];
};

// Names from many languages. PDFs use a standard font (Windows-1252), so names beyond it become DOCX or text.
const names = [
  'Priya Raman',
  'José Álvarez',
  'Zoë Müller',
  'Søren Kierkegaard-Holm',
  'Aoife Ní Bhriain',
  'François Dubois',
  'Kwame Mensah',
  'Ngozi Okafor',
  'Mateus Gonçalves',
  'Ingrid Bjørnstad',
  'Raúl Peña',
  'Chloé Lefèvre',
  'Arjun Mehta',
  'Fatima Zahra El Idrissi',
  'Liam O’Connor',
  'Mei Ling Tan',
  'Hiroshi Tanaka',
  'Olusegun Adeyemi',
  'Ana Lúcia Ferreira',
  'Björn Andersson',
  'Deepika Iyer',
  'Carlos Mendoza Ruiz',
  'Émilie Gagnon',
  'Tomás Ó Briain',
  'Łukasz Wiśniewski',
  'Nguyễn Thị Mai',
  'Ayşe Yılmaz',
  'Dmitri Volkov',
  'Oğuz Kaya',
  'Zsófia Kovács',
  'Jiří Novák',
  'Văn Minh Trần',
  'Ştefan Popescu',
  'Agnieszka Dąbrowska',
  'Håkon Ødegård',
  'Đorđe Petrović',
];
const titles = [
  'Backend Engineer',
  'Data Analyst',
  'Registered Nurse',
  'Product Manager',
  'Frontend Developer',
  'Accountant',
  'DevOps Engineer',
  'UX Designer',
  'Sales Manager',
  'Electrician',
  'Financial Analyst',
  'Warehouse Supervisor',
  'Machine Learning Engineer',
  'HR Generalist',
  'Marketing Manager',
  'Project Manager',
  'QA Engineer',
  'Teacher',
];
const companies = [
  'Chai Payments',
  'Masala Logistics',
  'Northwind Labs',
  'Bluefin Analytics',
  'Cobalt Health',
  'Juniper Bank',
  'Harbor Freight Co',
  'Lumen Robotics',
  'Quartz Security',
  'Evergreen Energy',
  'Atlas Retail',
  'Kestrel Media',
];
// What CVs write (aliases and all), and what a reader should report (the taxonomy's canonical keys).
const skillPool: Array<[string, string]> = [
  ['JS', 'javascript'],
  ['TypeScript', 'typescript'],
  ['Python', 'python'],
  ['k8s', 'kubernetes'],
  ['Docker', 'docker'],
  ['PostgreSQL', 'postgresql'],
  ['React.js', 'react'],
  ['Node.js', 'node.js'],
  ['C#', 'c#'],
  ['.NET', '.net'],
  ['C++', 'c++'],
  ['MS Excel', 'excel'],
  ['Tableau', 'tableau'],
  ['Power BI', 'power bi'],
  ['Patient Care', 'patient care'],
  ['Triage', 'triage'],
  ['BLS', 'basic life support'],
  ['Figma', 'figma'],
  ['User Research', 'ux research'],
  ['Salesforce', 'salesforce'],
  ['Negotiation', 'negotiation'],
  ['Electrical Wiring', 'electrical wiring'],
  ['PLC Programming', 'plc programming'],
  ['IFRS', 'ifrs'],
  ['Tally', 'tally'],
  ['GST', 'gst'],
  ['SQL', 'sql'],
  ['Jira', 'jira'],
  ['Scrum', 'scrum'],
  ['Terraform', 'terraform'],
  ['AWS', 'amazon web services'],
  ['Go', 'go'],
  ['PyTorch', 'pytorch'],
  ['scikit-learn', 'scikit-learn'],
  ['Recruiting', 'recruitment'],
  ['SEO', 'seo'],
  ['Google Ads', 'google ads'],
  ['Forklift', 'forklift operation'],
  ['Inventory Management', 'inventory management'],
  ['Lesson Planning', 'lesson planning'],
  ['Selenium', 'selenium'],
  ['Cypress', 'cypress'],
];
const phones = (i: number) =>
  [
    `+91 98${String(76543210 + i * 7919).slice(0, 3)} ${String(43210 + i * 37).slice(-5)}`,
    `(020) 7946 ${String(1000 + i * 13).slice(-4)}`,
    `+1 415-555-${String(100 + i).padStart(4, '0')}`,
    `+49 30 ${String(1234567 + i * 101)}`,
    `+44 7700 900${String(100 + i).slice(-3)}`,
  ][i % 5] as string;
const universities = [
  'University of Pune',
  'Trinity College Dublin',
  'Universidad de Sevilla',
  'IIT Madras',
  'University of Lagos',
  'Lund University',
];
const degrees = [
  'B.Tech Computer Science',
  'BSc Nursing',
  'MBA',
  'B.Com',
  'MSc Data Science',
  'Diploma in Electrical Engineering',
];

const sectionNames = [
  { experience: 'Experience', skills: 'Skills', education: 'Education' },
  { experience: 'Work History', skills: 'Technical Skills', education: 'Academic Background' },
  { experience: 'Professional Experience', skills: 'Core Competencies', education: 'Education and Training' },
  { experience: 'EMPLOYMENT HISTORY', skills: 'KEY SKILLS', education: 'QUALIFICATIONS' },
];
const dateRange = (i: number, start: number, end: number | null) =>
  [
    `Jan ${start} - ${end ? `Dec ${end}` : 'Present'}`,
    `03/${start} – ${end ? `06/${end}` : 'Present'}`,
    `${start} - ${end ?? 'Present'}`,
    `March ${start} to ${end ? `June ${end}` : 'present'}`,
  ][i % 4] as string;

type Person = {
  name: string;
  email: string;
  phone: string;
  location: string;
  jobs: Array<{ title: string; company: string; dates: string; line: string }>;
  skills: Array<[string, string]>;
  education: string[];
  sections: (typeof sectionNames)[number];
};

function person(i: number): Person {
  const name = names[i] as string;
  const ascii = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '.')
    .replace(/^\.|\.$/g, '');
  const skills = Array.from(
    { length: 5 + (i % 4) },
    (_, k) => skillPool[(i * 7 + k * 5) % skillPool.length] as [string, string],
  );
  const unique = [...new Map(skills.map((s) => [s[1], s])).values()];
  const jobs = Array.from({ length: 2 + (i % 2) }, (_, k) => {
    const title = `${k === 0 && i % 3 === 0 ? 'Senior ' : ''}${titles[(i + k * 5) % titles.length]}`;
    const company = companies[(i * 3 + k) % companies.length] as string;
    const end = k === 0 ? null : 2024 - k * 3;
    const dates = dateRange(i + k, 2021 - k * 3 - (k === 0 ? 0 : 1), end);
    const style = (i + k) % 3;
    const line =
      style === 0 ? `${title}, ${company}` : style === 1 ? `${title} at ${company}` : `${title} | ${company}`;
    return { title, company, dates, line };
  });
  return {
    name,
    email: `${ascii}@example.test`,
    phone: phones(i),
    location: ['Pune, India', 'Dublin, Ireland', 'Berlin, Germany', 'Lagos, Nigeria', 'Austin, TX', 'Lisbon, Portugal'][
      i % 6
    ] as string,
    jobs,
    skills: unique,
    education: [
      universities[i % universities.length] as string,
      `${degrees[i % degrees.length]}   ${2010 + (i % 6)} - ${2014 + (i % 6)}`,
    ],
    sections: sectionNames[i % sectionNames.length] as Person['sections'],
  };
}

function lines(p: Person, options: { sameLineDates: boolean }): string[] {
  const out = [
    p.name,
    `${p.location} | ${p.email} | ${p.phone}`,
    'Summary',
    `${p.jobs[0]?.title} with a record of shipping work people rely on.`,
  ];
  out.push(p.sections.experience);
  for (const job of p.jobs) {
    if (options.sameLineDates) out.push(`${job.line}   ${job.dates}`);
    else out.push(job.line, job.dates);
    out.push(`Owned day-to-day delivery at ${job.company} and improved how the team works.`);
  }
  out.push(p.sections.education, ...p.education);
  out.push(p.sections.skills, p.skills.map((s) => s[0]).join(', '));
  return out;
}

/**
 * Set in type the way designed CVs are: the name large, headings in bold capitals, each job's employer
 * in bold with its dates and the role on the line below, and a section whose heading no rule knows
 * ("Leadership") holding an entry that must not join the work history.
 */
function styledLines(p: Person): Array<{ text: string; bold?: boolean; heading?: boolean }> {
  return [
    { text: p.name, heading: true },
    { text: `${p.location} | ${p.email} | ${p.phone}` },
    { text: p.sections.experience.toUpperCase(), heading: true },
    ...p.jobs.flatMap((j) => [
      { text: `${j.company}   ${j.dates}`, bold: true },
      { text: j.title },
      { text: `Owned day-to-day delivery at ${j.company}.` },
    ]),
    { text: 'LEADERSHIP', heading: true },
    { text: 'President' },
    { text: 'Riverside Debating Society' },
    { text: '2012 - 2013' },
    { text: p.sections.education.toUpperCase(), heading: true },
    ...p.education.map((text) => ({ text })),
    { text: p.sections.skills.toUpperCase(), heading: true },
    { text: p.skills.map((s) => s[0]).join(', ') },
  ];
}

export const LAYOUTS = [
  'pdf',
  'pdf-two-columns',
  'docx',
  'docx-table',
  'txt',
  'pdf-labels',
  'pdf-styled',
  'docx-styled',
  'docx-form',
  'pdf-ruled',
  'pdf-form',
] as const;

/**
 * Headings in the body's type, each with a rule under it (LaTeX's `\titlerule`, Word's paragraph border):
 * the rule is their only cue. A rule under the contact line and separators between the jobs are
 * decoration; a `Leadership` section must end the work history; the skills are a grid of two columns.
 */
function ruledLines(p: Person): PdfLine[] {
  const heading = (text: string): PdfLine => ({ text, below: {} });
  const caps = p.sections.experience === p.sections.experience.toUpperCase();
  const grid: PdfLine[] = [];
  for (let k = 0; k < p.skills.length; k += 2) {
    const pair = p.skills.slice(k, k + 2).map(([name], n) => ({ text: name, x: 50 + n * 250 }));
    grid.push(pair.length > 1 ? { text: '', cells: pair } : { text: pair[0]?.text ?? '' });
  }
  return [
    { text: p.name, size: 18 },
    { text: `${p.location} | ${p.email} | ${p.phone}`, below: { gap: 8 } },
    heading(caps ? 'SUMMARY' : 'Summary'),
    { text: `${p.jobs[0]?.title} with a record of shipping work people rely on, in teams large and small.` },
    heading(p.sections.experience),
    ...p.jobs.flatMap((j, k) => [
      ...(k > 0 ? [{ text: '', hr: { x0: 150, x1: 445 } }] : []),
      { text: `${j.line}   ${j.dates}` },
      { text: `Owned day-to-day delivery at ${j.company}.` },
    ]),
    heading(caps ? 'LEADERSHIP' : 'Leadership'),
    { text: 'President' },
    { text: 'Riverside Debating Society' },
    { text: '2012 - 2013' },
    heading(p.sections.education),
    ...p.education.map((text) => ({ text })),
    heading(p.sections.skills),
    ...grid,
  ];
}

/**
 * The Word form's tables (formBlocks) as a PDF sets them: cells at their columns' places, a heading row
 * in bold, a job's description under its role in the same column; a summary across the page.
 */
function formLines(p: Person): PdfLine[] {
  const row = pdfRow;
  const half = Math.ceil(p.skills.length / 2);
  const names = p.skills.map((s) => s[0]);
  return [
    { text: 'Curriculum Vitae', size: 18 },
    // The contact details as a form: labels on the left, values beside them.
    ...(
      [
        ['Name', p.name],
        ['Mobile', p.phone],
        ['E-mail', p.email],
        ['Address', p.location],
      ] as const
    ).map(([label, value]) =>
      row([
        [label, 50],
        [value, 180],
      ]),
    ),
    { text: `${p.jobs[0]?.title} with a record of shipping work people rely on, in teams large and small.` },
    { text: p.sections.experience, bold: true },
    row(
      [
        ['Company', 50],
        ['Designation', 200],
        ['Duration', 380],
      ],
      true,
    ),
    ...p.jobs.flatMap((j) => [
      row([
        [j.company, 50],
        [j.title, 200],
        [j.dates, 380],
      ]),
      row([['Owned day-to-day delivery.', 200]]),
    ]),
    { text: p.sections.education, bold: true },
    row(
      [
        ['Qualification', 50],
        ['Institute', 250],
        ['Year', 430],
        ['Percentage', 490],
      ],
      true,
    ),
    row([
      [p.education[1]?.split('   ')[0] ?? '', 50],
      [p.education[0] ?? '', 250],
      ['2014', 430],
      ['72', 490],
    ]),
    { text: p.sections.skills, bold: true },
    row([
      ['Core', 50],
      [names.slice(0, half).join(', '), 180],
    ]),
    row([
      ['Tools', 50],
      [names.slice(half).join(', '), 180],
    ]),
  ];
}

/**
 * A Word template's form: personal details as a table of labels and values, the jobs and the degrees
 * in tables under a heading row (Company | Designation | Duration; Qualification | Institute | Year |
 * Percentage), the skills as a table of groups.
 */
function formBlocks(p: Person): DocxBlock[] {
  const half = Math.ceil(p.skills.length / 2);
  const names = p.skills.map((s) => s[0]);
  return [
    { text: 'Curriculum Vitae', style: 'Title' },
    {
      table: [
        ['Name', p.name],
        ['Mobile', p.phone],
        ['E-mail', p.email],
        ['Address', p.location],
      ],
    },
    p.sections.experience,
    {
      table: [
        ['Company', 'Designation', 'Duration'],
        ...p.jobs.map((j) => [j.company, [j.title, `Owned day-to-day delivery at ${j.company}.`], j.dates]),
      ],
    },
    p.sections.education,
    {
      table: [
        ['Qualification', 'Institute', 'Year', 'Percentage'],
        [p.education[1]?.split('   ')[0] ?? '', p.education[0] ?? '', '2014', '72'],
      ],
    },
    p.sections.skills,
    {
      table: [
        ['Core', names.slice(0, half).join(', ')],
        ['Tools', names.slice(half).join(', ')],
      ],
    },
  ];
}

async function render(p: Person, layout: (typeof LAYOUTS)[number]): Promise<{ ext: string; bytes: Buffer }> {
  switch (layout) {
    case 'pdf':
      return { ext: 'pdf', bytes: makePdf([lines(p, { sameLineDates: true }).map((text) => ({ text }))]) };
    case 'pdf-labels': {
      const body = lines(p, { sameLineDates: false }).slice(2);
      const head = [p.name, `Email: ${p.email}`, `Phone: ${p.phone}`, `Location: ${p.location}`];
      return { ext: 'pdf', bytes: makePdf([[...head, ...body].map((text) => ({ text }))]) };
    }
    case 'pdf-two-columns': {
      // A sidebar with contact details and skills on the left; the story on the right.
      const left = [p.name, p.email, p.phone, p.location, p.sections.skills, ...p.skills.map((s) => s[0])];
      const right = [
        'Summary',
        `${p.jobs[0]?.title} with a record of shipping work people rely on.`,
        p.sections.experience,
        ...p.jobs.flatMap((j) => [j.line, j.dates, `Delivery at ${j.company}.`]),
        p.sections.education,
        ...p.education,
      ];
      const page = [
        ...left.map((text) => ({ text, x: 40, size: 9 })),
        ...right.map((text) => ({ text, x: 230, size: 9 })),
      ];
      return { ext: 'pdf', bytes: makePdf([page]) };
    }
    case 'docx':
      return { ext: 'docx', bytes: await makeDocx(lines(p, { sameLineDates: true })) };
    case 'docx-table': {
      const head = [p.name, `${p.email} | ${p.phone} | ${p.location}`, p.sections.experience];
      const rows = p.jobs.map((j) => [j.line, j.dates]);
      const tail = [p.sections.education, ...p.education, p.sections.skills, p.skills.map((s) => s[0]).join(' | ')];
      return { ext: 'docx', bytes: await makeDocxTable(head, rows, tail) };
    }
    case 'txt':
      return { ext: 'txt', bytes: Buffer.from(lines(p, { sameLineDates: true }).join('\n')) };
    case 'pdf-styled': {
      const page = styledLines(p).map((l, n) => ({
        text: l.text,
        bold: l.bold || l.heading,
        size: l.heading ? (n === 0 ? 20 : 13) : 10,
      }));
      return { ext: 'pdf', bytes: makePdf([page]) };
    }
    case 'docx-form':
      return { ext: 'docx', bytes: await makeDocx(formBlocks(p)) };
    case 'pdf-ruled':
      return { ext: 'pdf', bytes: makePdf([ruledLines(p)]) };
    case 'pdf-form':
      return { ext: 'pdf', bytes: makePdf([formLines(p)]) };
    case 'docx-styled': {
      const paragraphs = styledLines(p).map((l, n) =>
        l.heading ? { text: l.text, style: n === 0 ? 'Title' : 'Heading1' } : { text: l.text, bold: l.bold },
      );
      return { ext: 'docx', bytes: await makeDocx(paragraphs) };
    }
  }
}

/** Writes the set into `dir`: `NN-layout.ext` and `NN-layout.json` (the expected fields). */
export async function writeEvalSet(dir: string): Promise<number> {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < names.length; i++) {
    const p = person(i);
    // Names outside Latin-1 cannot be drawn with the standard PDF font: those people get DOCX or text.
    const latin1 = [...p.name].every((c) => c === '’' || (c.codePointAt(0) ?? 0) <= 0xff);
    const layout = LAYOUTS[i % LAYOUTS.length] as (typeof LAYOUTS)[number];
    const chosen = !latin1 && layout.startsWith('pdf') ? (i % 2 === 0 ? 'docx' : 'txt') : layout;
    const { ext, bytes } = await render(p, chosen);
    const base = join(dir, `${String(i + 1).padStart(2, '0')}-${chosen}`);
    writeFileSync(`${base}.${ext}`, bytes);
    const expected: Expected = {
      name: p.name,
      email: p.email,
      phone: p.phone,
      skills: p.skills.map((s) => s[1]),
      titles: p.jobs.map((j) => j.title),
      companies: p.jobs.map((j) => j.company),
    };
    writeFileSync(`${base}.json`, `${JSON.stringify(expected, null, 2)}\n`);
  }
  return names.length;
}
