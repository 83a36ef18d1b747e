/**
 * Word tables read as rows (issue 14): education, contact, skills and job tables as CV templates set
 * them, through the real worker (mammoth's HTML). All content is fictional.
 */
import { describe, expect, it } from 'vitest';
import { readCv } from '../../src/modules/cvs/cvs.service.ts';
import { type DocLine, tableLines } from '../../src/modules/cvs/docx-tables.ts';
import { type DocxBlock, EDUCATION_TABLE_ENTRIES, makeDocx } from '../helpers/documents.ts';

const read = async (blocks: DocxBlock[]) => readCv('docx', await makeDocx(blocks));

describe('DOCX tables read as rows', () => {
  it('reads an education table under a heading row as one entry per row, grades kept out of the names', async () => {
    const { text, profile } = await read([
      'Asha Rao',
      'asha.rao@example.test',
      'Education',
      {
        table: [
          ['Degree', 'Specialization', 'Institute', 'Year of Passing', 'CGPA / %'],
          ['B.Tech', 'Computer Science', 'XYZ Institute of Technology', '2019', '8.1'],
          ['12th', '', 'Sunrise Junior College', '2015', '78'],
        ],
      },
    ]);
    expect(text).toContain('B.Tech in Computer Science, XYZ Institute of Technology, 2019, 8.1 CGPA');
    expect(text).toContain('12th, Sunrise Junior College, 2015, 78%');
    expect(text).not.toMatch(/Year of Passing/);
    expect(profile.education.value).toEqual(EDUCATION_TABLE_ENTRIES);
  });

  it('gives a bare grade the unit its heading names', async () => {
    const { text } = await read([
      'Education',
      {
        table: [
          ['Qualification', 'University / Board', 'From', 'To', 'CGPA'],
          ['M.Tech', 'Lakeshore University', '2019', '2021', '9.2'],
        ],
      },
    ]);
    expect(text).toContain('M.Tech, Lakeshore University, 2019 - 2021, 9.2 CGPA');
  });

  it('reads a two-column table of labels and values as "Label: value" lines, the contacts found', async () => {
    const { text, profile } = await read([
      {
        table: [
          ['Name', 'Asha Rao'],
          ['Mobile', '+91 98450 12345'],
          ['E-mail', 'asha.rao@example.test'],
        ],
      },
      { table: [['Address:', 'Pune, India', 'Date of Birth', '12/05/1996']] },
      'Skills',
      'Go, SQL',
    ]);
    expect(text.split('\n').slice(0, 5)).toEqual([
      'Name: Asha Rao',
      'Mobile: +91 98450 12345',
      'E-mail: asha.rao@example.test',
      'Address: Pune, India',
      'Date of Birth: 12/05/1996',
    ]);
    expect(profile.name.value).toBe('Asha Rao');
    expect(profile.phone.value).toBe('+91 98450 12345');
    expect(profile.email.value).toBe('asha.rao@example.test');
    expect(profile.location.value).toBe('Pune, India');
  });

  it('reads a skills table row by row, each row its own list ("Languages" there is not the spoken-languages section)', async () => {
    const { profile } = await read([
      'Asha Rao',
      'Technical Skills',
      {
        table: [
          ['Languages', 'Python, C++'],
          ['Databases', 'PostgreSQL, MongoDB'],
          ['Tools', 'Git, Docker'],
        ],
      },
    ]);
    expect(profile.skills.value).toEqual(['python', 'c++', 'postgresql', 'mongodb', 'git', 'docker']);
    expect(profile.languages.value).toEqual([]);
  });

  it('drops a skill table’s heading row and its level column', async () => {
    const { text, profile } = await read([
      'Asha Rao',
      'asha.rao@example.test',
      'Skills',
      {
        table: [
          ['Skill', 'Proficiency'],
          ['Kubernetes', 'Expert'],
          ['Terraform', 'Intermediate'],
        ],
      },
    ]);
    expect(text).not.toMatch(/Expert|Proficiency/);
    expect(profile.skills.value).toEqual(['kubernetes', 'terraform']);
  });

  it('reads an experience table (Company | Role | Dates) as jobs, a cell’s bullets as the job’s description', async () => {
    const { profile } = await read([
      'Asha Rao',
      'Work Experience',
      {
        table: [
          ['Company', 'Role', 'Duration'],
          [
            'Northwind Labs Pvt Ltd',
            ['Backend Engineer', '• Built the settlement service in Go.'],
            'Jan 2019 - Present',
          ],
          ['Kestrel Systems', 'Software Developer', 'Jun 2016 - Dec 2018'],
        ],
      },
    ]);
    expect(profile.experience.value).toEqual([
      {
        title: 'Backend Engineer',
        company: 'Northwind Labs Pvt Ltd',
        start: 'Jan 2019',
        end: 'Present',
        description: '• Built the settlement service in Go.',
      },
      { title: 'Software Developer', company: 'Kestrel Systems', start: 'Jun 2016', end: 'Dec 2018', description: '' },
    ]);
  });

  it('reads records set down the page (a label beside each part of a job or a degree), a repeated label opening the next', async () => {
    const { profile } = await read([
      'Asha Rao',
      'asha.rao@example.test',
      'Experience',
      {
        table: [
          ['Company', 'Northwind Labs Pvt Ltd'],
          ['Designation', 'Backend Engineer'],
          ['Duration', 'Jan 2019 - Present'],
          ['Company', 'Kestrel Systems'],
          ['Designation', 'Software Developer'],
          ['Duration', 'Jun 2016 - Dec 2018'],
        ],
      },
      'Education',
      {
        table: [
          ['Degree:', 'B.Tech'],
          ['University:', 'Lakeshore University'],
          ['Year:', '2016'],
        ],
      },
    ]);
    expect(profile.experience.value.map((j) => [j.title, j.company, j.start, j.end])).toEqual([
      ['Backend Engineer', 'Northwind Labs Pvt Ltd', 'Jan 2019', 'Present'],
      ['Software Developer', 'Kestrel Systems', 'Jun 2016', 'Dec 2018'],
    ]);
    expect(profile.education.value).toEqual([
      { degree: 'B.Tech', field: null, institution: 'Lakeshore University', grade: null, start: null, end: '2016' },
    ]);
  });

  it('reads rows without a heading row with their cells together (a job and its dates)', async () => {
    const { profile } = await read([
      'Experience',
      {
        table: [
          ['Data Analyst at Umbra Labs', 'Mar 2020 - Present'],
          ['Software Engineer, Kestrel Systems', '2016 - 2020'],
        ],
      },
    ]);
    expect(profile.experience.value.map((j) => [j.title, j.company, j.start, j.end])).toEqual([
      ['Data Analyst', 'Umbra Labs', 'Mar 2020', 'Present'],
      ['Software Engineer', 'Kestrel Systems', '2016', '2020'],
    ]);
  });

  it('reads a page laid out in a table (a sidebar cell beside the main one) column by column', async () => {
    const sidebar = ['Asha Rao', 'asha.rao@example.test', '+44 20 7946 0958', 'Skills', 'Go, SQL'];
    const main = ['Experience', 'Backend Engineer, Northwind Labs', '2019 - 2021', 'Built the billing code.'];
    const { text, profile } = await read([{ table: [[sidebar, main]] }]);
    expect(text.split('\n')).toEqual([...sidebar, ...main]);
    expect(profile.name.value).toBe('Asha Rao');
    expect(profile.experience.value.map((j) => [j.title, j.company])).toEqual([['Backend Engineer', 'Northwind Labs']]);
  });

  it('reads a table inside a table’s cell as rows, where it stands', async () => {
    const { text, profile } = await read([
      'Asha Rao',
      {
        table: [
          [
            [
              'Personal details',
              {
                table: [
                  ['Mobile', '+91 98450 12345'],
                  ['E-mail', 'asha.rao@example.test'],
                ],
              },
            ],
            ['Skills', 'Go, SQL'],
          ],
        ],
      },
    ]);
    expect(text.split('\n')).toEqual([
      'Asha Rao',
      'Personal details',
      'Mobile: +91 98450 12345',
      'E-mail: asha.rao@example.test',
      'Skills',
      'Go, SQL',
    ]);
    expect(profile.phone.value).toBe('+91 98450 12345');
    expect(profile.skills.value).toEqual(['go', 'sql']);
  });

  it('reads a CV without tables exactly as its paragraphs read as text', async () => {
    const lines = [
      'Asha Rao',
      'Pune, India | asha.rao@example.test | +91 98450 12345',
      'Experience',
      'Backend Engineer, Northwind Labs   Jan 2019 - Present',
      'Owned day-to-day delivery.',
      'Education',
      'B.Tech, XYZ Institute of Technology   2014 - 2018',
      'Skills',
      'Go, PostgreSQL, Docker',
    ];
    const docx = await readCv('docx', await makeDocx(lines));
    const txt = await readCv('text', new TextEncoder().encode(lines.join('\n')));
    expect(docx.text).toBe(txt.text);
    // Years of experience count up to the moment each was read.
    expect({ ...docx.profile, totalYearsExperience: null }).toEqual({ ...txt.profile, totalYearsExperience: null });
  });
});

describe('tableLines', () => {
  const cell = (...texts: string[]): DocLine[] => texts.map((text) => ({ text, heading: 0, bold: false }));

  it('keeps a heading row alone (no data) as it is, and skips empty rows and cells', () => {
    expect(tableLines([[cell('Degree'), cell('Institute')]]).map((l) => l.text)).toEqual(['Degree | Institute']);
    expect(
      tableLines([
        [cell(), cell()],
        [cell('Umbra Labs, Pune'), cell(), cell('2019')],
      ]).map((l) => l.text),
    ).toEqual(['Umbra Labs, Pune | 2019']);
    expect(tableLines([])).toEqual([]);
  });

  it('reads a large table of long cells (hostile input) in one pass', () => {
    const long = 'abcdefghij'.repeat(2_000);
    const rows = Array.from({ length: 2_000 }, () => [cell(long), cell(`${long}:`), cell('2019 - '.repeat(500))]);
    expect(tableLines(rows)).toHaveLength(2_000);
  });

  it('marks a label/value line bold only when both halves are bold', () => {
    const bold = (text: string): DocLine[] => [{ text, heading: 0, bold: true }];
    expect(tableLines([[bold('Phone'), cell('+91 98450 12345')]])).toEqual([
      { text: 'Phone: +91 98450 12345', heading: 0, bold: false },
    ]);
    expect(tableLines([[bold('Phone'), bold('+91 98450 12345')]])[0]?.bold).toBe(true);
  });

  it('keeps a section’s name beside its entries as a heading over them', () => {
    expect(
      tableLines([[cell('Education'), cell('B.Tech, XYZ Institute of Technology', '2014 - 2018')]]).map((l) => l.text),
    ).toEqual(['Education', 'B.Tech, XYZ Institute of Technology', '2014 - 2018']);
  });
});
