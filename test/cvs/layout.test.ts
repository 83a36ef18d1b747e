/** Multi-page PDFs: running headers, footers and page numbers do not break the text or the profile. */
import { describe, expect, it } from 'vitest';
import { readCv } from '../../src/modules/cvs/cvs.service.ts';
import { makeDocx, makePdf } from '../helpers/documents.ts';

describe('multi-page PDF CVs', () => {
  it('drops page numbers and the header and footer repeated on each page, keeping the first page’s header', async () => {
    const header = { text: 'Asha Rao — asha.rao@example.test', size: 9 };
    const footer = (n: number) => [
      { text: 'Confidential: prepared for recruiters', size: 8 },
      { text: `Page ${n} of 3`, size: 8 },
    ];
    const job = (k: number) => [
      { text: `Backend Engineer, Northwind Labs ${k} Jan 20${10 + k} - Dec 20${11 + k}` },
      { text: 'Built services in Go and PostgreSQL.' },
    ];
    const pdf = makePdf([
      [{ text: 'Asha Rao', size: 20 }, header, { text: 'Experience' }, ...job(1), ...job(2), ...footer(1)],
      [header, ...job(3), ...job(4), ...footer(2)],
      [header, ...job(5), { text: 'Skills' }, { text: 'Go, PostgreSQL' }, ...footer(3)],
    ]);
    const { text, pages, profile } = await readCv('pdf', pdf);
    expect(pages).toBe(3);
    expect(text).not.toMatch(/Page \d of 3|Confidential/);
    expect(text.match(/asha\.rao@example\.test/g)).toHaveLength(1);
    expect(profile.name.value).toBe('Asha Rao');
    expect(profile.experience.value.map((j) => j.company)).toEqual([1, 2, 3, 4, 5].map((k) => `Northwind Labs ${k}`));
    expect(profile.skills.value).toEqual(['go', 'postgresql']);
  });

  it('takes the name from the largest type at the top, wherever the reading order puts it', async () => {
    // A sidebar read first: contact details and skills on the left, the name in large type on the right.
    const side = (text: string) => ({ text, x: 40, size: 9 });
    const main = (text: string, size = 9) => ({ text, x: 230, size });
    const pdf = makePdf([
      [
        side('asha.rao@example.test'),
        side('+91 98765 43210'),
        side('Skills'),
        side('Go'),
        side('SQL'),
        main('Asha Rao', 24),
        main('Experience'),
        main('Backend Engineer, Northwind Labs 2019 - 2021'),
        main('Built services.'),
      ],
    ]);
    const { text, profile } = await readCv('pdf', pdf);
    expect(text.indexOf('Asha Rao')).toBeGreaterThan(text.indexOf('Skills'));
    expect(profile.name).toEqual({ value: 'Asha Rao', confidence: 0.95 });
    expect(profile.experience.value.map((j) => j.title)).toEqual(['Backend Engineer']);
  });

  it('does not take a large document title for the name', async () => {
    const pdf = makePdf([
      [
        { text: 'Curriculum Vitae', size: 22 },
        { text: 'Asha Rao' },
        { text: 'asha.rao@example.test' },
        { text: 'Skills' },
      ],
    ]);
    expect((await readCv('pdf', pdf)).profile.name.value).toBe('Asha Rao');
  });
});

describe('bold and larger type in a PDF (issue 14)', () => {
  const b = (text: string, size?: number) => ({ text, bold: true, ...(size ? { size } : {}) });
  const heading = (text: string) => b(text, 13);

  it('takes the name from bold type at the top when nothing is larger', async () => {
    // A sidebar read first holds a street that reads like a name; the name is in bold on the right.
    const pdf = makePdf([
      [
        { text: 'Mill Lane Road', x: 40, size: 9 },
        { text: 'asha.rao@example.test', x: 40, size: 9 },
        { text: 'Skills', x: 40, size: 9 },
        { text: 'Go, SQL', x: 40, size: 9 },
        { ...b('Asha Rao', 9), x: 230 },
        { text: 'Experience', x: 230, size: 9 },
        { text: 'Backend Engineer, Northwind Labs 2019 - 2021', x: 230, size: 9 },
      ],
    ]);
    expect((await readCv('pdf', pdf)).profile.name.value).toBe('Asha Rao');
  });

  it('ends the work history at a heading it does not know when it looks like the known ones', async () => {
    const pdf = makePdf([
      [
        b('Asha Rao', 20),
        heading('EXPERIENCE'),
        { text: 'Backend Engineer, Northwind Labs 2019 - 2021' },
        heading('LEADERSHIP'),
        { text: 'President' },
        { text: 'Debating Society Club' },
        { text: '2015 - 2016' },
        heading('EDUCATION'),
        { text: 'B.Sc. Physics, Kestrel University' },
      ],
    ]);
    const { profile } = await readCv('pdf', pdf);
    expect(profile.experience.value.map((j) => [j.title, j.company])).toEqual([['Backend Engineer', 'Northwind Labs']]);
    expect(profile.education.value.map((e) => e.institution)).toEqual(['Kestrel University']);
  });

  it('keeps known wordings only when entries share the headings’ look (a bold employer)', async () => {
    const pdf = makePdf([
      [b('Asha Rao', 20), b('Experience'), b('Northwind'), { text: 'Backend Engineer' }, { text: 'Built services.' }],
    ]);
    const { profile } = await readCv('pdf', pdf);
    expect(profile.experience.value.map((j) => [j.title, j.company])).toEqual([['Backend Engineer', 'Northwind']]);
  });

  it('does not take an employer in the headings’ look for a heading when entries with dates share it', async () => {
    // Headings and employers both in bold capitals of the body's size: "KESTREL" names no section.
    const pdf = makePdf([
      [
        b('Asha Rao', 20),
        b('EXPERIENCE'),
        b('NORTHWIND LABS 2019 - 2021'),
        { text: 'Backend Engineer' },
        b('KESTREL'),
        { text: 'Platform Engineer' },
        { text: '2016 - 2019' },
        b('EDUCATION'),
        { text: 'B.Sc. Physics, Kestrel University' },
      ],
    ]);
    const { profile } = await readCv('pdf', pdf);
    expect(profile.experience.value.map((j) => [j.title, j.company])).toEqual([
      ['Backend Engineer', 'NORTHWIND LABS'],
      ['Platform Engineer', 'KESTREL'],
    ]);
  });

  it('starts an entry at a bold line: the employer with its dates, the role on the next line', async () => {
    const pdf = makePdf([
      [
        b('Asha Rao', 20),
        heading('EXPERIENCE'),
        b('Northwind Labs 2019 - 2021'),
        { text: 'Platform Builder' },
        { text: 'Built services in Go.' },
        b('Kestrel'),
        { text: 'Backend Engineer' },
        { text: 'Wrote the billing code.' },
      ],
    ]);
    const { profile } = await readCv('pdf', pdf);
    expect(profile.experience.value.map((j) => [j.title, j.company, j.start])).toEqual([
      ['Platform Builder', 'Northwind Labs', '2019'],
      ['Backend Engineer', 'Kestrel', null],
    ]);
    // The same lines without bold: "Platform Builder" and "Kestrel" carry no cue and are not taken.
    const plain = makePdf([
      [
        { text: 'Asha Rao', size: 20 },
        { text: 'EXPERIENCE' },
        { text: 'Northwind Labs 2019 - 2021' },
        { text: 'Platform Builder' },
        { text: 'Built services in Go.' },
      ],
    ]);
    expect((await readCv('pdf', plain)).profile.experience.value.map((j) => [j.title, j.company])).toEqual([
      [null, 'Northwind Labs'],
    ]);
  });
});

describe('Word styles and bold runs (issue 14)', () => {
  const cv = [
    { text: 'Asha Rao', style: 'Title' },
    'Mill Lane Road',
    { text: 'Experience', style: 'Heading1' },
    { text: 'Northwind Labs 2019 - 2021', bold: true },
    'Platform Builder',
    'Built services & tools in Go.',
    { text: 'Kestrel', bold: true },
    'Backend Engineer',
    'Wrote the billing code.',
    { text: 'Leadership', style: 'Heading1' },
    'President',
    'Debating Society Club',
    '2015 - 2016',
    { text: 'Skills', style: 'Heading1' },
    'Go, SQL',
  ];

  it('reads headings, bold entries and the title style as the PDF reader reads type', async () => {
    const { text, profile } = await readCv('docx', await makeDocx(cv));
    expect(text.split('\n').slice(0, 6)).toEqual([
      'Asha Rao',
      'Mill Lane Road',
      'Experience',
      'Northwind Labs 2019 - 2021',
      'Platform Builder',
      'Built services & tools in Go.',
    ]);
    expect(profile.name.value).toBe('Asha Rao');
    expect(profile.experience.value.map((j) => [j.title, j.company])).toEqual([
      ['Platform Builder', 'Northwind Labs'],
      ['Backend Engineer', 'Kestrel'],
    ]);
    expect(profile.skills.value).toEqual(['go', 'sql']);
  });

  it('takes a bold paragraph at the top for the name when no paragraph has the title style', async () => {
    const docx = await makeDocx([
      'Mill Lane Road',
      { text: 'Asha Rao', bold: true },
      'asha.rao@example.test',
      'Skills',
      'Go',
    ]);
    expect((await readCv('docx', docx)).profile.name.value).toBe('Asha Rao');
  });

  it('reads the same paragraphs without styles as text, without the layout’s help', async () => {
    const plain = cv.map((p) => (typeof p === 'string' ? p : p.text));
    const { profile } = await readCv('docx', await makeDocx(plain));
    // "Leadership" is no heading we know: its entry joins the work history; "Platform Builder" has no cue.
    expect(profile.experience.value.map((j) => [j.title, j.company])).toEqual([
      [null, 'Northwind Labs'],
      ['President', 'Debating Society Club'],
    ]);
  });
});

describe('blank lines in Word and PDF documents (issue 14)', () => {
  // A job board's export, as a Word document or a PDF sets it: every block apart, the candidate's own
  // "Computer Skills" under "Additional Information" a heading only because a blank line sets it apart.
  const cv = [
    'Asha Rao',
    'Backend Engineer',
    '',
    'WORK EXPERIENCE',
    '',
    'Backend Engineer',
    '',
    'Northwind Labs -',
    '',
    'June 2019 to May 2022',
    '',
    'SKILLS',
    '',
    'postgresql, redis',
    '',
    'ADDITIONAL INFORMATION',
    '',
    'Computer Skills',
    '• Office tools: Excel and Word.',
    '• Languages: Java and Python.',
    '',
    'Other Information',
    '• Plays table tennis.',
  ];
  const expected = ['postgresql', 'redis', 'excel', 'microsoft word', 'java', 'python'];

  it('reads the text with its blank lines', async () => {
    const { profile } = await readCv('text', Buffer.from(cv.join('\n')));
    expect(profile.skills.value).toEqual(expected);
  });

  it('keeps an empty Word paragraph as a blank line', async () => {
    const { text, profile } = await readCv('docx', await makeDocx(cv));
    expect(profile.skills.value).toEqual(expected);
    expect(text.split('\n').slice(0, 4)).toEqual(['Asha Rao', 'Backend Engineer', '', 'WORK EXPERIENCE']);
  });

  it('reads a blank line where a PDF leaves the room of one between lines', async () => {
    const { text, profile } = await readCv('pdf', makePdf([cv.map((line) => ({ text: line }))]));
    expect(profile.skills.value).toEqual(expected);
    // Lines set close (the bullets) stay together.
    expect(text).toContain('Computer Skills\n• Office tools: Excel and Word.\n• Languages: Java and Python.\n\nOther');
  });
});
