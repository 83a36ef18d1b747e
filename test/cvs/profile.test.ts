/** The rules that read a structured profile from CV text. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanCvText, parseProfile, splitSections, totalYears } from '../../src/modules/cvs/profile.ts';

const now = new Date('2026-11-26T00:00:00Z');

describe('profile rules', () => {
  it('title-cases a name written in capitals, and keeps names with accents and apostrophes', () => {
    expect(parseProfile('JOSÉ ÁLVAREZ-O’NEIL\njose@example.test', now).name).toEqual({
      value: 'José Álvarez-O’Neil',
      confidence: 0.95,
    });
    expect(parseProfile('Zhang Wei\nShanghai, China', now).name.value).toBe('Zhang Wei');
  });

  it('does not take a date range or a year list for a phone number', () => {
    const profile = parseProfile('Ana Silva\nExperience\nAnalyst, Banco Exemplo 2018 - 2021', now);
    expect(profile.phone.value).toBeNull();
    expect(parseProfile('Ana Silva\n(020) 7946 0958', now).phone.value).toBe('(020) 7946 0958');
  });

  it('recognises section headings in different words and cases, with or without a colon', () => {
    const sections = splitSections(
      'Name Here\nWORK HISTORY:\nA job\nTechnical Skills\nGo, Rust\nAcademic Background\nA school',
    );
    expect(Object.keys(sections)).toEqual(['header', 'experience', 'skills', 'education']);
  });

  it('counts overlapping jobs once in the total years', () => {
    const jobs = [
      { title: 'A', company: null, start: 'Jan 2015', end: 'Dec 2019', description: '' },
      { title: 'B', company: null, start: '06/2018', end: '2020-12', description: '' },
      { title: 'C', company: null, start: '2022', end: 'present', description: '' },
    ];
    // 2015-01..2020-12 (6 years) + 2022-01..2026-11 (4.8 years)
    expect(totalYears(jobs, now)).toBe(10.8);
    expect(totalYears([], now)).toBeNull();
  });

  it('reports zero confidence for what it could not find', () => {
    const profile = parseProfile('just some words without structure', now);
    expect(profile.email).toEqual({ value: null, confidence: 0 });
    expect(profile.experience.value).toEqual([]);
    expect(profile.experience.confidence).toBe(0);
  });
});

describe('work history and education in common arrangements', () => {
  const jobsOf = (text: string) =>
    parseProfile(`Asha Rao\nExperience\n${text}`, now).experience.value.map((j) => [
      j.title,
      j.company,
      j.start,
      j.end,
    ]);

  it('reads title over employer over dates, employer over title, and both on the date line', () => {
    expect(jobsOf('Systems Engineer\nInfosys Ltd - Pune, Maharashtra -\nMarch 2016 to Present\nBuilt things.')).toEqual(
      [['Systems Engineer', 'Infosys Ltd', 'March 2016', 'Present']],
    );
    expect(jobsOf('Northwind Labs\nData Analyst\n2019 - 2021')).toEqual([
      ['Data Analyst', 'Northwind Labs', '2019', '2021'],
    ]);
    expect(jobsOf('Acme Solutions | QA Engineer | Jan 2018 - Dec 2020')).toEqual([
      ['QA Engineer', 'Acme Solutions', 'Jan 2018', 'Dec 2020'],
    ]);
    expect(jobsOf('Senior Engineer in Axis Bank Ltd 2015 - 2018\nDescription\nRan payments.')).toEqual([
      ['Senior Engineer', 'Axis Bank Ltd', '2015', '2018'],
    ]);
    expect(jobsOf('2012 – 2017 Software Development Engineer III, Amazon, Seattle, WA, USA')).toEqual([
      ['Software Development Engineer III', 'Amazon', '2012', '2017'],
    ]);
  });

  it('reads jobs without dates: "Worked as X at Y" and a role line over its employer', () => {
    expect(jobsOf('Worked as Test Engineer at Kestrel Media for two years.')).toEqual([
      ['Test Engineer', 'Kestrel Media', null, null],
    ]);
    expect(jobsOf('Software Developer\nGreymeter\nWorked on payments.')).toEqual([
      ['Software Developer', 'Greymeter', null, null],
    ]);
    expect(jobsOf('Worked in Cobalt Health as a Process Associate')).toEqual([
      ['Process Associate', 'Cobalt Health', null, null],
    ]);
  });

  it('keeps the headline role under the name when the history does not hold it', () => {
    const profile = parseProfile(
      'Asha Rao\nLead Engineer - Cisco Systems\nExperience\nAnalyst\nWipro -\n2010 to 2012',
      now,
    );
    expect(profile.experience.value.map((j) => [j.title, j.company])).toEqual([
      ['Lead Engineer', 'Cisco Systems'],
      ['Analyst', 'Wipro'],
    ]);
  });

  it('takes a lower-case first line or one with an initial as the name, never a role line', () => {
    expect(parseProfile('kimaya sonawane\nThane, Maharashtra', now).name.value).toBe('Kimaya Sonawane');
    expect(parseProfile('Kavitha K\nSenior Engineer - Infosys Limited', now).name.value).toBe('Kavitha K');
    expect(parseProfile('Senior Software Engineer\nCisco Systems', now).name.value).toBeNull();
  });

  it('takes skills from the work history when there is no skills section, never from employer names', () => {
    const profile = parseProfile(
      'Asha Rao\nExperience\nData Engineer, Chai Payments 2019 - 2022\nBuilt pipelines in Python and Apache Kafka for Chai Payments.',
      now,
    );
    expect(profile.skills.value).toEqual(['python', 'apache kafka']);
    expect(profile.skills.confidence).toBeLessThan(0.85);
    const listed = parseProfile('Asha Rao\nExperience\nData Engineer 2019 - 2022\nUsed Python.\nSkills\nSQL', now);
    expect(listed.skills.value).toEqual(['sql']);
  });

  it('ends a skills list at the signature block: no date, place or the signer as skills', () => {
    const signed = parseProfile(
      'Ravi Menon\nravi.menon@example.com\nSkills\nJava, SQL\nTeam Player\nDate: 12/03/2019\nPlace: Kochi\nRavi Menon',
      now,
    );
    expect(signed.skills.value).toEqual(['java', 'sql', 'teamwork']);
    // The signer's name alone at the end of the list, without a date line above it.
    const named = parseProfile('Ravi Menon\nravi.menon@example.com\nSkills\nJava\nSQL\n(RAVI MENON)\nRavi Menon', now);
    expect(named.skills.value).toEqual(['java', 'sql']);
  });

  it('adds the skills of labelled technology lines in jobs, projects and the summary, after the skills section', () => {
    const cv = [
      'Asha Rao',
      'Summary',
      'Backend engineer for payments.',
      'Tech stack: Go, Docker',
      'Skills',
      'SQL, Python',
      'Experience',
      'Software Engineer, Chai Payments 2019 - 2022',
      'Responsibilities: moved the billing jobs from Ruby to Rust.',
      'Environment: Java, Spring Boot, PostgreSQL, Python',
      'Projects',
      'Ledger export',
      '* Technologies used:',
      'Kubernetes, Terraform',
    ].join('\n');
    const profile = parseProfile(cv, now);
    expect(profile.skills.value).toEqual([
      'sql',
      'python',
      'go',
      'docker',
      'java',
      'spring boot',
      'postgresql',
      'kubernetes',
      'terraform',
    ]);
    // The job stays as parsed, its technology line in its description.
    expect(profile.experience.value.map((j) => [j.title, j.company])).toEqual([['Software Engineer', 'Chai Payments']]);
    expect(profile.experience.value[0]?.description).toContain('Environment: Java');
  });

  it('reads a labelled technology line without a skills section too, and only known skills from it', () => {
    const cv = [
      'Ravi Menon',
      'Summary',
      'Tools used: Jira, Figma, our own deploy scripts',
      'Experience',
      'Designer, Kite Studio 2020 - 2023',
      'Built prototypes in Sketch.',
      'Environment: a small team that ships every week',
    ].join('\n');
    const profile = parseProfile(cv, now);
    expect(profile.skills.value).toEqual(['sketch', 'jira', 'figma']);
    expect(profile.skills.confidence).toBe(0.6);
  });

  it('reads a technology label written without its colon before a short list, not a sentence in lower case', () => {
    const cv = [
      'Ravi Menon',
      'Skills',
      'Python',
      'Additional Information',
      'Operating Systems Windows 10, Ubuntu Linux',
      'Version Control Git, svn',
      'Kept the ledger in a shared',
      'databases of the store and Excel sheets that the',
      'team kept up to date.',
    ].join('\n');
    expect(parseProfile(cv, now).skills.value).toEqual(['python', 'ubuntu', 'linux', 'git', 'subversion']);
  });

  it('finds the name beside contact labels, and never merges a postcode into the phone number', () => {
    const labelled = parseProfile('Name: John Smith   Email: john@example.test   Mobile: +1 555 123 4567', now);
    expect([labelled.name.value, labelled.phone.value]).toEqual(['John Smith', '+1 555 123 4567']);
    expect(parseProfile('JOHN SMITH\n12 Main Street, Springfield 62704 555-123-4567', now).phone.value).toBe(
      '555-123-4567',
    );
    expect(parseProfile('Jo Doe\nBerlin 10115 0176 12345678', now).phone.value).toBe('0176 12345678');
  });

  it('reads abbreviated degrees and splits degree from institution', () => {
    const edu = parseProfile(
      'Asha Rao\nEducation\nB. Tech in Electronics\nSRM University - Chennai, Tamil Nadu\n2014\nSSC\nKendriya Vidyalaya\n2008\nMCA from Pune Institute of Computer Technology (2017)',
      now,
    ).education.value;
    expect(edu.map((e) => [e.degree, e.institution, e.end])).toEqual([
      ['B. Tech in Electronics', 'SRM University - Chennai, Tamil Nadu', '2014'],
      ['SSC', 'Kendriya Vidyalaya', '2008'],
      ['MCA', 'Pune Institute of Computer Technology', '2017'],
    ]);
  });
});

describe('education on the kinds of input real CVs bring (issue 14)', () => {
  it('reads a degree abbreviated with a hyphen ("B-Tech", "M- Sc", "B-COM")', () => {
    const edu = parseProfile(
      'Asha Rao\nEducation\nB-Tech\nRidgeview University - Pune, Maharashtra\n2014\nM- Sc\nKestrel College\n2016\nB-COM\nLakeside College\n2010',
      now,
    ).education.value;
    expect(edu.map((e) => [e.degree, e.institution])).toEqual([
      ['B-Tech', 'Ridgeview University - Pune, Maharashtra'],
      ['M- Sc', 'Kestrel College'],
      ['B-COM', 'Lakeside College'],
    ]);
  });

  it('reads the field of study a degree names and the grade beside it', () => {
    const entries = (text: string) =>
      parseProfile(`Asha Rao\nEducation\n${text}`, now).education.value.map((e) => [e.degree, e.field, e.grade]);
    expect(entries('Master of Science in Physics\nLakeshore Institute of Technology\n2010 - 2012\nGPA: 3.8')).toEqual([
      ['Master of Science in Physics', 'Physics', 'GPA: 3.8'],
    ]);
    expect(entries('B.Tech (Computer Science), XYZ Institute of Technology, 2019, 8.1 CGPA')).toEqual([
      ['B.Tech (Computer Science)', 'Computer Science', '8.1 CGPA'],
    ]);
    // A degree without a subject, and a parenthesis that is a year or a grade: no field.
    expect(entries('Bachelor of Science\nKestrel University (2014)')).toEqual([['Bachelor of Science', null, null]]);
    expect(entries('MBA (2016), Harbor Business School, 78%')).toEqual([['MBA', null, '78%']]);
  });

  const educationOf = (text: string) =>
    parseProfile(`Asha Rao\nEducation\n${text}`, now).education.value.map((e) => [e.degree, e.institution]);

  it('reads "City, ST, Country" under an institution as its place, not as the degree MA', () => {
    expect(
      educationOf('Master of Science in Physics\nLakeshore Institute of Technology\nCambridge, MA, USA\n2010 - 2012'),
    ).toEqual([['Master of Science in Physics', 'Lakeshore Institute of Technology']]);
    expect(educationOf('MA in History\n2015')).toEqual([['MA in History', null]]);
  });

  it('keeps grades out of the degree and the institution ("8.1 CGPA", "78%")', () => {
    expect(
      educationOf('B.Tech, XYZ Institute of Technology, 2019, 8.1 CGPA\n12th, Sunrise Junior College, 2015, 78%'),
    ).toEqual([
      ['B.Tech', 'XYZ Institute of Technology'],
      ['12th', 'Sunrise Junior College'],
    ]);
  });

  it('skips skill lists and table headings that stray into the section', () => {
    expect(
      educationOf(
        'B. Tech in CSE\nRidgeview University\n2014 to 2018\n• Computing languages: SQL, MS-Office, HTML\n♦ Packages: MS-Office\nUniversity or Board',
      ),
    ).toEqual([['B. Tech in CSE', 'Ridgeview University']]);
  });
});

describe('labelled lines (issue 14: Word tables read as "Label: value")', () => {
  it('reads each labelled skills line as a list of its own', () => {
    const { skills } = parseProfile('Asha Rao\nSkills\nLanguages: Python, C++\nDatabases: PostgreSQL, MongoDB');
    expect(skills.value).toEqual(['python', 'c++', 'postgresql', 'mongodb']);
  });

  it('reads a job-board skills list: items wrapped mid-name, versions, bullets, and no links, years or sub-headings', () => {
    const { skills } = parseProfile(
      [
        'Asha Rao',
        'Skills',
        'PYTHON (2 years), BUSINESS',
        'INTELLIGENCE (1 year), ORACLE 11g (Less than 1 year), Cics (4',
        'years)',
        'Front end and design tools (web): Figma',
        'PL/SQL, CI/CD, Tortoise Tracker.',
        'Microsoft Visual',
        'Studio',
        '✓ Docker',
        '● Kubernetes etc.',
        'Technical Expertise',
        'Windows Server 2008, 2012',
        'https://www.example.test/r/asha-rao/0f3c',
      ].join('\n'),
    );
    expect(skills.value).toEqual([
      'python',
      'business intelligence',
      'oracle database',
      'cics',
      'figma',
      'pl/sql',
      'ci/cd',
      'tortoise tracker',
      'visual studio',
      'docker',
      'kubernetes',
      'windows server',
    ]);
  });

  it('reads the known skills inside an item or a sentence the taxonomy does not know whole, and keeps an unknown name as written', () => {
    const { skills } = parseProfile(
      'Asha Rao\nSkills\nCore Java, Oracle PL/SQL, Good communication skills, Quill Planner, SQL Server 2016\n• Well versed with Microsoft Office and Jira tools\n• Able to learn new things quickly',
    );
    expect(skills.value).toEqual([
      'java',
      'oracle database',
      'pl/sql',
      'communication',
      'quill planner',
      'microsoft sql server',
      'microsoft office',
      'jira',
    ]);
  });

  it('reads the known skills in a parenthesis whose last two are joined by "&" or "and"', () => {
    expect(parseProfile('Asha Rao\nSkills\nMicrosoft Office (Word, Excel & PowerPoint), Tally').skills.value).toEqual([
      'microsoft word',
      'excel',
      'microsoft powerpoint',
      'microsoft office',
      'tally',
    ]);
    expect(parseProfile('Asha Rao\nSkills\nMS Office (Excel and Outlook)').skills.value).toEqual([
      'excel',
      'microsoft outlook',
      'microsoft office',
    ]);
    // Unless the taxonomy knows the whole.
    expect(parseProfile('Asha Rao\nSkills\nHR (Compensation and Benefits, Payroll)').skills.value).toEqual([
      'compensation and benefits',
      'payroll',
      'human resources',
    ]);
  });

  it('reads text exported from a web page with its entities: "Quill &amp; Ink" is one item', () => {
    expect(cleanCvText('R&amp;D &lt;lab&gt;, &quot;Q&amp;A&quot;')).toBe('R&D <lab>, "Q&A"');
    const { skills } = parseProfile(cleanCvText('Asha Rao\nSkills\nQuill &amp; Ink; Sales &amp; Marketing'));
    expect(skills.value).toEqual(['quill & ink', 'sales & marketing']);
  });

  it('reads a place after an address label, and a labelled phone in a section below the header', () => {
    const profile = parseProfile(
      'Asha Rao\nAddress: Pune, India\nSkills\nGo\nPersonal Details\nDate of Birth: 12/05/1996\nMobile: +91 98450 12345',
    );
    expect(profile.location.value).toBe('Pune, India');
    expect(profile.phone.value).toBe('+91 98450 12345');
    // An unlabelled number below the header is not taken for the phone.
    expect(parseProfile('Asha Rao\nSkills\nGo\nCertifications\nLicence 1234 5678 90').phone.value).toBeNull();
  });
});

describe('the headline: the role a CV states under the name (issue 14)', () => {
  const headlineOf = (header: string) =>
    parseProfile(`${header}\n\nExperience\nAnalyst\nWipro -\n2010 to 2012`, now).headline;

  it('reads a bare role line under the name, in any case, with contact lines around it', () => {
    expect(headlineOf('Asha Rao\nJava Developer\nasha@example.test')).toEqual({
      value: 'Java Developer',
      confidence: 0.6,
    });
    expect(headlineOf('ASHA RAO\nSENIOR SOFTWARE ENGINEER').value).toBe('SENIOR SOFTWARE ENGINEER');
    expect(headlineOf('Asha Rao\nhead of operations and logistics').value).toBe('head of operations and logistics');
    // After the contact details and the place, still within the header's first lines.
    expect(headlineOf('Asha Rao\nasha@example.test | +44 20 7946 0958\nLeeds, UK\nData Engineer').value).toBe(
      'Data Engineer',
    );
  });

  it('leaves out the skills listed after it and what follows "with"', () => {
    expect(headlineOf('Asha Rao\nData Analyst | Python | SQL').value).toBe('Data Analyst');
    expect(headlineOf('Asha Rao\nCloud Developer with 6 years of experience in .NET').value).toBe('Cloud Developer');
    expect(headlineOf('Asha Rao\n(Regional Project Manager (EMEA) -').value).toBe('Regional Project Manager (EMEA)');
  });

  it('takes no address, contact line, place, sentence, heading or the name itself', () => {
    for (const header of [
      'Asha Rao\n12 Quarry Lane, Leeds LS1 4AB',
      'Asha Rao\nasha@example.test | +44 20 7946 0958',
      'Asha Rao\nPune, Maharashtra',
      'Asha Rao\nPune',
      'Asha Rao\nLooking for a role as a Java Developer in a growing team',
      'Asha Rao\nI have worked as a Test Engineer for three years.',
      'Asha Rao\nResults-driven professional with a passion for data',
      'Asha Rao\nProfessional Summary',
      'Asha Rao\nAsha Rao',
      'Asha Rao',
    ]) {
      expect(headlineOf(header), header).toEqual({ value: null, confidence: 0 });
    }
    // Nor an employer's name, nor a role in the paragraph under a sentence.
    expect(headlineOf('Asha Rao\nNorthwind Staffing Ltd').value).toBeNull();
    expect(headlineOf('Asha Rao\nSeeking a challenging position where I can grow\nSoftware Engineer').value).toBeNull();
  });

  it('keeps "Title - Company" and "Title at Company" as a job, and their title as the headline', () => {
    for (const line of ['Lead Engineer - Cisco Systems', 'Lead Engineer at Cisco Systems']) {
      const profile = parseProfile(`Asha Rao\n${line}\nExperience\nAnalyst\nWipro -\n2010 to 2012`, now);
      expect(profile.headline.value).toBe('Lead Engineer');
      expect(profile.experience.value.map((j) => [j.title, j.company])).toEqual([
        ['Lead Engineer', 'Cisco Systems'],
        ['Analyst', 'Wipro'],
      ]);
    }
  });

  it('makes no job of a role followed by its skills ("Data Analyst | Python | SQL")', () => {
    const profile = parseProfile(
      'Asha Rao\nData Analyst | Python | SQL\nExperience\nAnalyst\nWipro -\n2010 to 2012',
      now,
    );
    expect(profile.experience.value.map((j) => [j.title, j.company])).toEqual([['Analyst', 'Wipro']]);
  });
});

describe('profile rules on any text', () => {
  const pieces = fc.constantFrom(
    'Experience',
    'Education',
    'Skills',
    'Jan 2019 - Present',
    '2012 to 2014',
    ' - ',
    ' | ',
    ', ',
    ' at ',
    'Worked in ',
    ' as ',
    'Ltd',
    'Engineer',
    'B.Tech',
    'University',
    '@',
    '(',
    '+44 ',
    '\n',
    '• ',
    'Name: ',
  );
  it('never throw, and give a profile a worker can send back', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 20 })), { maxLength: 60 }), (parts) => {
        const profile = parseProfile(parts.join(''), now);
        expect(structuredClone(profile)).toEqual(profile);
      }),
      { numRuns: 300 },
    );
  });
});

describe('headings by their words (issue 14)', () => {
  it('maps creative headings in plain text to their sections', () => {
    const profile = parseProfile(
      [
        'Maya Fernandes',
        'maya.fernandes@example.test',
        '',
        "Where I've Worked",
        '',
        'Backend Engineer',
        'Northwind Labs Pvt Ltd',
        '2019 - 2023',
        'Built payment services in Go.',
        '',
        'Academic Profile:',
        'B.Sc. in Physics, Kestrel University, 2018',
        '',
        'SKILL SET:',
        'Go, PostgreSQL, Docker',
      ].join('\n'),
      now,
    );
    expect(profile.experience.value.map((j) => [j.title, j.company])).toEqual([
      ['Backend Engineer', 'Northwind Labs Pvt Ltd'],
    ]);
    expect(profile.education.value.map((e) => [e.degree, e.institution])).toEqual([
      ['B.Sc. in Physics', 'Kestrel University'],
    ]);
    expect(profile.skills.value).toEqual(['go', 'postgresql', 'docker']);
  });

  it('leaves sentences, roles, labelled skill lines and mixed headings where they stand in plain text', () => {
    const sections = splitSections(
      [
        'Ravi Menon',
        'Experience',
        '',
        'Senior Software Engineer',
        '',
        'Acme Systems Ltd 2020 - 2024',
        'Experience with Python and AWS',
        'Skilled in data analysis',
        'TECHNICAL LEAD',
        'SKILLS & EXPERIENCE',
        'Skills',
        'Technical: Python, SQL',
        'Programming Languages:',
        'Go, Rust',
      ].join('\n'),
    );
    expect(sections).toEqual({
      header: ['Ravi Menon'],
      experience: [
        'Senior Software Engineer',
        'Acme Systems Ltd 2020 - 2024',
        'Experience with Python and AWS',
        'Skilled in data analysis',
        'TECHNICAL LEAD',
        'SKILLS & EXPERIENCE',
      ],
      skills: ['Technical: Python, SQL', 'Programming Languages:', 'Go, Rust'],
    });
  });

  it('reads the taxonomy’s skills from a second list under "Additional Information", and ends a list at a heading', () => {
    const text = [
      'Ravi Menon',
      'Experience',
      'Data Engineer, Acme Systems Ltd 2020 - 2024',
      'KEY TECHNICAL SKILLS',
      'Spark, Airflow',
      'Skills',
      'Python, Tortoise Tracker',
      'Willing to relocate to: Pune, Delhi',
      'example.com/r/ravi-menon/0f3c',
      'ADDITIONAL INFORMATION',
      'COMPUTER SKILLS',
      '• MS Excel, Quill Planner, Docker',
      '• Sound knowledge of networking',
      'AREAS OF INTEREST',
      'Cricket, Chess',
    ].join('\n');
    // The job's own heading stays the job's; the candidate's list in the export's free text gives only
    // the skills the taxonomy knows; a heading of another section ends that list.
    expect(parseProfile(text).skills.value).toEqual(['python', 'tortoise tracker', 'excel', 'docker']);
    expect(splitSections('Asha Rao\nSkills\nGo, Rust\nAREAS OF INTEREST\nCricket, Chess').skills).toEqual(['Go, Rust']);
  });

  it('reads a heading that holds a role’s or an employer’s word before its section’s, and "Skills & Abilities"', () => {
    const more = 'Asha Rao\nSkills\nGo\nADDITIONAL INFORMATION\nProfessional Skills:\n❖ Good communication skills.';
    expect(parseProfile(more).skills.value).toEqual(['go', 'communication']);
    expect(parseProfile('Asha Rao\nSKILLS & ABILITIES\nGo, Rust').skills.value).toEqual(['go', 'rust']);
    expect(splitSections('Asha Rao\nSkills\nGo\nProjects Summary:\nBilling portal').skills).toEqual(['Go']);
    // A role is no heading, whatever its words.
    expect(splitSections('Asha Rao\nExperience\nTECHNICAL LEAD\nAcme Ltd 2019 - 2021').experience).toHaveLength(2);
  });

  it('reads a skills heading that names its field first ("LEDGER TOOLS SKILL SET:", "Design Skills"), outside a job', () => {
    const text =
      'Asha Rao\nLEDGER TOOLS SKILL SET:\nGeneral Ledger, Accounts Payable\nExperience\nAnalyst\nAcme Ltd -\n2019 to 2021';
    expect(parseProfile(text).skills.value).toEqual(['general ledger', 'accounts payable']);
    const more = 'Asha Rao\nSkills\nGo\nADDITIONAL INFORMATION\n\nDesign Skills\n\n• Docker, Quill Planner';
    expect(parseProfile(more).skills.value).toEqual(['go', 'docker']);
    // In a job's description, such a line is the job's: the next job stays in the work history.
    const job =
      'Asha Rao\nExperience\nAnalyst\nAcme Ltd -\n2019 to 2021\n\nStrong Leadership Skills\n\nClerk\nKestrel Ltd -\n2017 to 2019';
    expect(parseProfile(job).experience.value.map((j) => j.title)).toEqual(['Analyst', 'Clerk']);
  });

  it('reads a heading in sentence case set apart ("Technical expertise"), not a role in sentence case', () => {
    const text =
      'Asha Rao\nExperience\nAnalyst, Acme Ltd 2019 - 2021\n\nAdditional Information\n\nTechnical expertise\nGeneral Ledger, Accounts Payable';
    expect(parseProfile(text).skills.value).toEqual(['general ledger', 'accounts payable']);
    const role = 'Asha Rao\nExperience\n\nTechnical lead\n\nAcme Ltd -\n2019 to 2021';
    expect(parseProfile(role).experience.value.map((j) => [j.title, j.company])).toEqual([
      ['Technical lead', 'Acme Ltd'],
    ]);
  });

  it('reads a heading joined to the first item of its list by a bullet, in plain text', () => {
    const sections = splitSections(
      'Asha Rao\nSKILL SET • Go, Rust • Docker\n• SQL\nExperience\nPlanned sprints • retros',
    );
    expect(sections.skills).toEqual(['• Go, Rust • Docker', '• SQL']);
    expect(sections.experience).toEqual(['Planned sprints • retros']);
  });

  it('reads a sub-heading inside a job as the job’s when the document names that section in known words', () => {
    const sections = splitSections(
      'Ravi Menon\nExperience\nData Engineer, Acme Systems Ltd 2020 - 2024\nKEY TECHNICAL SKILLS\nSpark, Airflow\nSkills\nPython',
    );
    expect(sections.experience).toEqual([
      'Data Engineer, Acme Systems Ltd 2020 - 2024',
      'KEY TECHNICAL SKILLS',
      'Spark, Airflow',
    ]);
    expect(sections.skills).toEqual(['Python']);
  });

  it('gives a heading known by its look the section its words name, or none when they name two', () => {
    const heading = { bold: true, scale: 1.3 };
    const styles = new Map(
      ['EXPERIENCE', 'ACADEMIC PROFILE', 'SKILLS & INTERESTS', 'SIDE WORK'].map((h) => [h, heading]),
    );
    const sections = splitSections(
      [
        'Asha Rao',
        'EXPERIENCE',
        'Backend Engineer, Northwind Labs 2019 - 2021',
        'ACADEMIC PROFILE',
        'B.Sc. Physics, Kestrel University',
        'SKILLS & INTERESTS',
        'Go, Chess',
        'SIDE WORK',
        'Volunteer tutor',
      ].join('\n'),
      styles,
    );
    expect(sections).toEqual({
      header: ['Asha Rao'],
      experience: ['Backend Engineer, Northwind Labs 2019 - 2021'],
      education: ['B.Sc. Physics, Kestrel University'],
      other: ['Go, Chess', 'Volunteer tutor'],
    });
  });
});
