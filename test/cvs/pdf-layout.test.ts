/**
 * PDF layout beyond type (issue 14): rules drawn against headings, and tables set in aligned columns,
 * through the real worker (pdf.js). All content is fictional.
 */
import { getResolvedPDFJS } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { readCv } from '../../src/modules/cvs/cvs.service.ts';
import { horizontalRules, linesText, markRules, type OpCodes, type PdfLine } from '../../src/modules/cvs/pdf-layout.ts';
import { EDUCATION_TABLE_ENTRIES, type PdfLine as Line, makePdf, pdfRow } from '../helpers/documents.ts';

const read = (pages: Line[][]) => readCv('pdf', makePdf(pages));
const jobs = (profile: Awaited<ReturnType<typeof read>>['profile']) =>
  profile.experience.value.map((j) => [j.title, j.company]);

// A summary across the page, as CVs have (a page without it: the table test on page gutters).
const top: Line[] = [
  { text: 'Asha Rao', size: 20 },
  { text: 'asha.rao@example.test | +91 98765 43210' },
  { text: 'Backend engineer who builds payment services, data pipelines and the tools teams run them with.' },
];

/** Headings in the body's type, told apart only by `rule`; "Leadership" is a heading no rule knows. */
const ruledCv = (rule: Partial<Line>): Line[] => {
  const h = (text: string): Line => ({ text, ...rule });
  return [
    ...top,
    h('Experience'),
    { text: 'Backend Engineer, Northwind Labs   2019 - 2021' },
    { text: 'Built services in Go.' },
    h('Leadership'),
    { text: 'President' },
    { text: 'Debating Society Club' },
    { text: '2015 - 2016' },
    h('Education'),
    { text: 'B.Sc. Physics, Kestrel University' },
    h('Skills'),
    { text: 'Go, PostgreSQL' },
  ];
};

describe('rules drawn against headings in a PDF (issue 14)', () => {
  it('takes a line in the body’s type with a rule under it, as the known headings have, for a heading', async () => {
    const { profile } = await read([ruledCv({ below: {} })]);
    expect(jobs(profile)).toEqual([['Backend Engineer', 'Northwind Labs']]);
    expect(profile.education.value.map((e) => e.institution)).toEqual(['Kestrel University']);
    expect(profile.skills.value).toEqual(['go', 'postgresql']);
    // The same CV without its rules: "Leadership" is text, and its entry joins the work history.
    const plain = await read([ruledCv({})]);
    expect(jobs(plain.profile)).toEqual([
      ['Backend Engineer', 'Northwind Labs'],
      ['President', 'Debating Society Club'],
    ]);
  });

  it.each([
    ['a stroked line under the title (LaTeX \\titlerule, Word’s bottom border)', { below: {} }],
    ['a thin filled rectangle under it', { below: { filled: true, thickness: 1.2 } }],
    ['a rule over it', { above: {} }],
    ['a bar in the margin on its left (moderncv)', { beside: 'left' as const }],
    ['a rule from its end to the margin (awesome-cv)', { beside: 'right' as const }],
    ['an underline', { below: { gap: 2, x1: 110 } }],
  ])('reads %s as a heading cue', async (_, rule) => {
    const { profile } = await read([ruledCv(rule)]);
    expect(jobs(profile)).toEqual([['Backend Engineer', 'Northwind Labs']]);
    expect(profile.education.value.map((e) => e.institution)).toEqual(['Kestrel University']);
  });

  it('adds the rule to bold or larger headings’ look', async () => {
    const page = ruledCv({ below: {}, bold: true, size: 13 }).map((l, i) => (i === 0 ? { ...l, bold: true } : l));
    const { profile } = await read([page]);
    expect(jobs(profile)).toEqual([['Backend Engineer', 'Northwind Labs']]);
  });

  it('makes no heading of body text beside decorative rules and table borders', async () => {
    const h = (text: string): Line => ({ text, below: {} });
    const border = { gap: 0.35 * 11 };
    const { text, profile } = await read([
      [
        // A rule under the name and one under the contact line (where the header ends).
        { text: 'Asha Rao', size: 20, below: { gap: 8 } },
        { text: 'asha.rao@example.test | +91 98765 43210', below: { gap: 2, x0: 50, x1: 160 } },
        top[2] as Line,
        h('Experience'),
        { text: 'Backend Engineer, Northwind Labs   2019 - 2021' },
        { text: 'Mentored two interns' },
        // A separator between two jobs, halfway between their lines.
        { text: '', hr: {} },
        { text: 'Platform Engineer, Kestrel Systems   2016 - 2019' },
        { text: 'Ran the build farm' },
        h('Skills'),
        // A table of skills in two columns, a border under each row.
        {
          text: '',
          cells: [
            { text: 'Go', x: 50 },
            { text: 'Python', x: 250 },
          ],
          below: border,
        },
        {
          text: '',
          cells: [
            { text: 'Docker', x: 50 },
            { text: 'Kubernetes', x: 250 },
          ],
          below: border,
        },
        h('Education'),
        { text: 'B.Sc. Physics, Kestrel University' },
      ],
    ]);
    expect(profile.name.value).toBe('Asha Rao');
    expect(profile.email.value).toBe('asha.rao@example.test');
    expect(jobs(profile)).toEqual([
      ['Backend Engineer', 'Northwind Labs'],
      ['Platform Engineer', 'Kestrel Systems'],
    ]);
    expect(profile.experience.value[0]?.description).toBe('Mentored two interns');
    expect(profile.skills.value).toEqual(['go', 'python', 'docker', 'kubernetes']);
    expect(text).toContain('Go | Python\nDocker | Kubernetes');
    expect(profile.education.value.map((e) => e.institution)).toEqual(['Kestrel University']);
  });

  it('reads the rules of every page once the first page has them', async () => {
    const page = ruledCv({ below: {} });
    // "Leadership" opens page two, set in the fonts page one used.
    const { profile } = await read([page.slice(0, 6), page.slice(6)]);
    expect(jobs(profile)).toEqual([['Backend Engineer', 'Northwind Labs']]);
    expect(profile.education.value.map((e) => e.institution)).toEqual(['Kestrel University']);
  });

  it('needs two known headings to share a rule in the body’s type before it makes others headings', async () => {
    // Only "Experience" has a rule (a border that happens to fall under it): "Leadership" stays text.
    const page = ruledCv({}).map((l) => (l.text === 'Experience' || l.text === 'Leadership' ? { ...l, below: {} } : l));
    const { profile } = await read([page]);
    expect(jobs(profile)).toEqual([
      ['Backend Engineer', 'Northwind Labs'],
      ['President', 'Debating Society Club'],
    ]);
  });
});

describe('headings by their words in a PDF (issue 14)', () => {
  it('gives a line that looks like the known headings the section its words name', async () => {
    const h = (text: string): Line => ({ text, bold: true, size: 14 });
    const { profile } = await read([
      [
        ...top,
        h('EXPERIENCE'),
        { text: 'Backend Engineer, Northwind Labs   2019 - 2021' },
        { text: 'Built services in Go.' },
        h('ACADEMIC PROFILE'),
        { text: 'B.Sc. Physics, Kestrel University' },
        h('TOOLBOX'),
        { text: 'Kubernetes, PostgreSQL' },
      ],
    ]);
    expect(jobs(profile)).toEqual([['Backend Engineer', 'Northwind Labs']]);
    expect(profile.education.value.map((e) => e.institution)).toEqual(['Kestrel University']);
    expect(profile.skills.value).toEqual(['kubernetes', 'postgresql']);
  });
});

describe('shaded bands behind headings in a PDF (issue 14)', () => {
  it.each([
    ['a light gray band across the column (Word, Canva)', { band: {} }],
    ['a coloured band', { band: { rgb: [0.82, 0.9, 1] as [number, number, number] } }],
    ['a band just wider than the words', { band: { x1: 150 } }],
    ['a band as tall as two lines of type', { band: { height: 24 } }],
  ])('reads %s behind a line in the body’s type as a heading cue', async (_, band) => {
    const { profile } = await read([ruledCv(band)]);
    expect(jobs(profile)).toEqual([['Backend Engineer', 'Northwind Labs']]);
    expect(profile.experience.value[0]?.description).toBe('Built services in Go.');
    expect(profile.education.value.map((e) => [e.degree, e.institution])).toEqual([
      ['B.Sc. Physics', 'Kestrel University'],
    ]);
    expect(profile.skills.value).toEqual(['go', 'postgresql']);
  });

  it('takes no white or transparent-looking fill for a band: it draws nothing on a white page', async () => {
    for (const band of [{ gray: 1 }, { rgb: [1, 1, 1] as [number, number, number] }]) {
      const { profile } = await read([ruledCv({ band })]);
      expect(jobs(profile)).toEqual([
        ['Backend Engineer', 'Northwind Labs'],
        ['President', 'Debating Society Club'],
      ]);
    }
  });

  it('takes no page background, and no panel round a heading and its next line, for a band', async () => {
    // A panel from the heading's top into the line after it (1.6 lines lower): two lines in one shape.
    const panel = { band: { below: 14, height: 24 } };
    const background: Partial<Line> = { band: { x0: 0, x1: 595, below: 800, height: 842, gray: 0.95 } };
    for (const page of [ruledCv(panel), ruledCv({}).map((l, i) => (i === 0 ? { ...l, ...background } : l))]) {
      const { profile } = await read([page]);
      expect(jobs(profile)).toEqual([
        ['Backend Engineer', 'Northwind Labs'],
        ['President', 'Debating Society Club'],
      ]);
    }
  });

  // Headings on bands, and lines that must stay what they are whatever is shaded behind them.
  const decorated = (shaded?: 'word' | 'sentence' | 'rows'): Line[] => {
    const band = (what: typeof shaded, b: Line['band'] = {}) => (shaded === what ? { band: b } : {});
    const h = (text: string): Line => ({ text, band: {} });
    const row = (a: string, b: string): Line => ({
      text: '',
      cells: [
        { text: a, x: 50 },
        { text: b, x: 250 },
      ],
      ...band('rows'),
    });
    return [
      ...top,
      h('Experience'),
      { text: 'Backend Engineer, Northwind Labs   2019 - 2021' },
      { text: 'Mentoring and Hiring', ...band('word', { x0: 48, x1: 100 }) },
      { text: 'Built services in Go.', ...band('sentence') },
      h('Skills'),
      row('Go', 'Python'),
      row('Docker', 'Kubernetes'),
      h('Education'),
      { text: 'B.Sc. Physics, Kestrel University' },
    ];
  };

  it.each([
    ['a word highlighted in a short line', 'word'],
    ['a sentence on a band', 'sentence'],
    ['a table’s shaded rows', 'rows'],
  ] as const)('makes no heading of %s', async (_, shaded) => {
    const plain = await read([decorated()]);
    const { text, profile } = await read([decorated(shaded)]);
    expect(jobs(profile)).toEqual([['Backend Engineer', 'Northwind Labs']]);
    expect(profile.experience.value[0]?.description).toBe('Mentoring and Hiring\nBuilt services in Go.');
    expect(profile.skills.value).toEqual(['go', 'python', 'docker', 'kubernetes']);
    expect(profile).toEqual(plain.profile);
    expect(text).toBe(plain.text);
  });
});

describe('horizontalRules and markRules', () => {
  const opCodes = async () => (await getResolvedPDFJS()).OPS as unknown as OpCodes;
  const path = (...numbers: number[]) => [new Float32Array(numbers)];
  // pdf.js's path codes: moveTo 0, lineTo 1, curveTo 2, closePath 4.
  const rect = (x: number, y: number, w: number, h: number) =>
    path(0, x, y, 1, x + w, y, 1, x + w, y + h, 1, x, y + h, 4);

  it('reads rules through transforms, save and restore; boxes give their edges, pictures and clips nothing', async () => {
    const o = await opCodes();
    const list = {
      fnArray: [
        o.save,
        o.transform,
        o.constructPath, // moderncv's bar: a thin rectangle drawn at the origin of a moved space
        o.restore,
        o.constructPath, // a sidebar's background: not thin
        o.setLineWidth,
        o.constructPath, // a box stroked round a paragraph: its top and bottom edges
        o.constructPath, // a curved blob
        o.constructPath, // a clipping rectangle: painted with endPath
        o.constructPath, // a slanted line
      ],
      argsArray: [
        null,
        [1, 0, 0, 1, 74.4, 623.8],
        [o.fill, rect(0, 0, 62.8, 4.6), null],
        null,
        [o.fill, rect(0, 0, 180, 842), null],
        [0.5],
        [o.stroke, rect(50, 100, 400, 60), null],
        [o.fill, path(0, 50, 50, 2, 60, 80, 90, 80, 100, 50, 4), null],
        [28, rect(0, 0, 595, 1), null],
        [o.stroke, path(0, 50, 300, 1, 300, 340), null],
      ],
    };
    const rules = horizontalRules(list, o).map((r) => ({
      x0: Math.round(r.x0),
      x1: Math.round(r.x1),
      y: Math.round(r.y),
    }));
    expect(rules).toEqual([
      { x0: 74, x1: 137, y: 626 },
      { x0: 50, x1: 450, y: 100 },
      { x0: 50, x1: 450, y: 160 },
    ]);
  });

  it('reads bands in the fill colours that show, up to a line or two high; white, transparent and panels not', async () => {
    const o = await opCodes();
    const list = {
      fnArray: [
        o.setFillRGBColor,
        o.constructPath, // a gray band behind a heading in 11-point type
        o.save,
        o.setFillRGBColor,
        o.constructPath, // a white one: nothing to see on the page
        o.setGState,
        o.restore,
        o.constructPath, // gray again after restore
        o.save,
        o.setGState,
        o.constructPath, // filled at no opacity
        o.setGState,
        o.constructPath, // and at full opacity again
        o.restore,
        o.setFillTransparent,
        o.constructPath, // a transparent fill (a pattern pdf.js cannot paint)
        o.setFillRGBColor,
        o.constructPath, // a panel round several lines: too tall
        o.constructPath, // a square badge: not wide enough
      ],
      argsArray: [
        ['#d9d9d9'],
        [o.fill, rect(46, 694, 499, 16.5), null],
        null,
        ['#fefefe'],
        [o.fill, rect(46, 600, 499, 16.5), null],
        [[['ca', 1]]],
        null,
        [o.fill, rect(46, 500, 499, 16.5), null],
        null,
        [[['ca', 0]]],
        [o.fill, rect(46, 450, 499, 16.5), null],
        [[['ca', 1]]],
        [o.fill, rect(46, 430, 499, 16.5), null],
        null,
        [],
        [o.fill, rect(46, 400, 499, 16.5), null],
        ['#1f3a5f'],
        [o.fill, rect(46, 200, 499, 120), null],
        [o.fill, rect(46, 100, 30, 20), null],
      ],
    };
    expect(horizontalRules(list, o)).toEqual([
      { x0: 46, x1: 545, y: 702.25, h: 16.5 },
      { x0: 46, x1: 545, y: 508.25, h: 16.5 },
      { x0: 46, x1: 545, y: 438.25, h: 16.5 },
    ]);
  });

  /** A line of 10-point type from x 50 to `x1`; `cells` gives where each of a table row's cells starts. */
  const line = (text: string, y: number, x1 = 300, cells: number[] = [50]): PdfLine => ({
    text,
    bold: false,
    size: 10,
    y,
    x0: 50,
    x1,
    boxes: cells.map((x) => ({ x, y, w: cells.length > 1 ? 40 : x1 - x, h: 10, s: text, bold: false })),
  });

  it('marks the one line a band encloses; not a panel round two, a highlighted word, a shaded row of cells', () => {
    const lines = [
      line('Experience', 700),
      line('Backend Engineer', 684),
      line('Built services in Go with a highlighted word', 668, 400),
      line('Leadership', 640),
      line('Debating Society', 624),
      line('Go | Python', 600, 320, [50, 250]),
      line('Skills', 570),
    ];
    const band = (y: number, h: number, x0 = 46, x1 = 545) => ({ x0, x1, y: y + 3.5, h });
    markRules(lines, [
      band(700, 15), // behind "Experience": its band
      band(666, 12, 180, 240), // behind one word of the sentence
      band(632, 22), // round "Leadership" and the line under it
      band(600, 15), // a table's shaded row
      band(570, 40), // four times the type's size: a panel, not a band
    ]);
    expect(lines.map((l) => l.rule)).toEqual([
      'band',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('gives a rule to the line it is clearly nearest to, and none halfway between two', () => {
    const lines = [line('Experience', 700), line('Backend Engineer', 680), line('Mentored two interns', 668)];
    const next = line('Platform Engineer', 640);
    markRules(
      [...lines, next],
      [
        { x0: 50, x1: 545, y: 695 }, // 2 pt under "Experience", 6.5 over the next line's top
        { x0: 50, x1: 545, y: 657 }, // halfway between a paragraph and the next entry
        { x0: 10, x1: 40, y: 683 }, // a bar left of "Backend Engineer", in its height
      ],
    );
    expect([...lines, next].map((l) => l.rule)).toEqual(['below', 'left', undefined, undefined]);
  });
});

describe('tables in a PDF (issue 14)', () => {
  const row = pdfRow;

  // Two degrees in a table under a heading row (EDUCATION_TABLE_ENTRIES).
  const educationTable = (): Line[] => [
    { text: 'Education', bold: true, size: 13 },
    row(
      [
        ['Degree', 50],
        ['Specialization', 130],
        ['Institute', 250],
        ['Year', 430],
        ['CGPA / %', 480],
      ],
      true,
    ),
    row([
      ['B.Tech', 50],
      ['Computer Science', 130],
      ['XYZ Institute of Technology', 250],
      ['2019', 430],
      ['8.1', 480],
    ]),
    row([
      ['12th', 50],
      ['Sunrise Junior College', 250],
      ['2015', 430],
      ['78', 480],
    ]),
    { text: 'Skills', bold: true, size: 13 },
    { text: 'Go, SQL' },
  ];

  it('reads an education table under a heading row as one entry per row', async () => {
    const { text, profile } = await read([[...top, ...educationTable()]]);
    expect(text).toContain('B.Tech in Computer Science, XYZ Institute of Technology, 2019, 8.1 CGPA');
    expect(text).not.toContain('Specialization');
    expect(profile.education.value).toEqual(EDUCATION_TABLE_ENTRIES);
    expect(profile.skills.value).toEqual(['go', 'sql']);
  });

  it('takes the gap between a table’s columns for no page gutter when no text runs across the page', async () => {
    // No summary: the widest text is the table, and nothing crosses the gap before its year column.
    const { text, profile } = await read([[...top.slice(0, 2), ...educationTable()]]);
    expect(text).toContain('B.Tech in Computer Science, XYZ Institute of Technology, 2019, 8.1 CGPA');
    expect(text.split('\n').at(-1)).toBe('Go, SQL');
    expect(profile.education.value).toEqual(EDUCATION_TABLE_ENTRIES);
  });

  it('still reads a sidebar beside the main column as two columns when their lines share baselines', async () => {
    const side = (text: string): Line => ({ text, x: 50 });
    const main = (text: string): Line => ({ text, x: 230 });
    const { text, profile } = await read([
      [
        side('Asha Rao'),
        side('asha.rao@example.test'),
        side('Skills'),
        side('Go'),
        side('Python'),
        side('Docker'),
        main('Experience'),
        main('Backend Engineer, Northwind Labs'),
        main('2019 - 2021'),
        main('Platform Engineer, Kestrel Systems'),
        main('2016 - 2019'),
        main('Ran the build farm.'),
      ],
    ]);
    expect(text).toContain('Docker\nExperience\nBackend Engineer, Northwind Labs\n2019 - 2021');
    expect(jobs(profile)).toEqual([
      ['Backend Engineer', 'Northwind Labs'],
      ['Platform Engineer', 'Kestrel Systems'],
    ]);
  });

  it('joins a cell’s wrapped lines back, in the first column too', async () => {
    const { text, profile } = await read([
      [
        ...top,
        { text: 'Education', bold: true, size: 13 },
        row(
          [
            ['Degree', 50],
            ['Institute', 200],
            ['Year', 400],
            ['Grade', 470],
          ],
          true,
        ),
        row([
          ['Bachelor of Technology', 50],
          ['Kestrel Institute of', 200],
          ['2019', 400],
          ['8.1 CGPA', 470],
        ]),
        row([
          ['in Computer Science', 50],
          ['Technology', 200],
        ]),
        row([['Pune', 200]]),
        row([
          ['Higher Secondary', 50],
          ['Sunrise Junior College', 200],
          ['2015', 400],
          ['78%', 470],
        ]),
        { text: 'Skills', bold: true, size: 13 },
        { text: 'Go, SQL' },
      ],
    ]);
    expect(text).toContain(
      'Bachelor of Technology in Computer Science, Kestrel Institute of Technology, 2019, 8.1 CGPA\nPune\n',
    );
    expect(profile.education.value.map((e) => [e.degree, e.field, e.institution, e.grade])).toEqual([
      ['Bachelor of Technology in Computer Science', 'Computer Science', 'Kestrel Institute of Technology', '8.1 CGPA'],
      ['Higher Secondary', null, 'Sunrise Junior College', '78%'],
    ]);
    expect(profile.skills.value).toEqual(['go', 'sql']);
  });

  it('reads a job table under a heading row as jobs, whatever the columns’ order', async () => {
    const { profile } = await read([
      [
        ...top,
        { text: 'Experience', bold: true, size: 13 },
        row(
          [
            ['Duration', 50],
            ['Company', 180],
            ['Designation', 360],
          ],
          true,
        ),
        row([
          ['Jan 2019 - Present', 50],
          ['Northwind Labs', 180],
          ['Backend Engineer', 360],
        ]),
        // The role's cell goes on: a further paragraph under it, in its column.
        row([['Built the billing services.', 360]]),
        row([
          ['Jun 2016 - Dec 2018', 50],
          ['Kestrel Systems', 180],
          ['Platform Engineer', 360],
        ]),
      ],
    ]);
    expect(profile.experience.value.map((j) => [j.title, j.company, j.start, j.end])).toEqual([
      ['Backend Engineer', 'Northwind Labs', 'Jan 2019', 'Present'],
      ['Platform Engineer', 'Kestrel Systems', 'Jun 2016', 'Dec 2018'],
    ]);
    expect(profile.experience.value[0]?.description).toBe('Built the billing services.');
  });

  it('reads labels beside values as "Label: value": a form’s contacts, a skills table’s groups', async () => {
    const { text, profile } = await read([
      [
        { text: 'Curriculum Vitae', size: 18 },
        row([
          ['Name', 50],
          ['Asha Rao', 180],
        ]),
        row([
          ['Mobile', 50],
          ['+91 98450 12345', 180],
        ]),
        row([
          ['E-mail', 50],
          ['asha.rao@example.test', 180],
        ]),
        top[2] as Line,
        { text: 'Technical Skills', bold: true },
        row([
          ['Languages', 50],
          ['Go, Python', 180],
        ]),
        row([
          ['Tools', 50],
          ['Docker, Git', 180],
        ]),
      ],
    ]);
    expect(text).toContain('Mobile: +91 98450 12345');
    expect(text).toContain('Languages: Go, Python\nTools: Docker, Git');
    expect(profile.phone.value).toBe('+91 98450 12345');
    expect(profile.skills.value).toEqual(['go', 'python', 'docker', 'git']);
  });

  it('leaves two columns that say nothing of themselves as lines: dates in a margin, a place beside an employer', async () => {
    const { text, profile } = await read([
      [
        ...top,
        { text: 'Experience', bold: true, size: 13 },
        row([
          ['Northwind Labs', 50],
          ['Pune, India', 450],
        ]),
        row([
          ['Backend Engineer', 50],
          ['Jan 2019 - Present', 450],
        ]),
        { text: 'Education', bold: true, size: 13 },
        row([
          ['2014 - 2018', 50],
          ['B.Sc. Physics, Kestrel University', 150],
        ]),
        row([
          ['2012 - 2014', 50],
          ['Higher Secondary, Sunrise Junior College', 150],
        ]),
      ],
    ]);
    expect(text).toContain('Northwind Labs Pune, India\nBackend Engineer Jan 2019 - Present');
    expect(text).toContain('2014 - 2018 B.Sc. Physics, Kestrel University');
    expect(profile.education.value.map((e) => e.institution)).toEqual(['Kestrel University', 'Sunrise Junior College']);
  });
});

describe('blank lines from the space between lines', () => {
  const at = (text: string, y: number, size = 10): PdfLine => ({
    text,
    y,
    size,
    bold: false,
    x0: 50,
    x1: 300,
    boxes: [],
  });

  it('reads an empty line where the step down would hold a line of the type, none for a step up', () => {
    const lines = [
      at('Asha Rao', 700, 18),
      at('Skills', 676),
      at('Go, SQL', 664),
      at('Kafka', 652),
      at('Interests', 620),
      at('Chess', 608),
      at('Right column', 690),
    ];
    expect(linesText(lines)).toBe('Asha Rao\nSkills\nGo, SQL\nKafka\n\nInterests\nChess\nRight column');
  });
});
