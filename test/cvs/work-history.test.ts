/**
 * Work history on the kinds of input real CVs bring (issue 14): job-board exports, bullets in any glyph,
 * labels, clients beside employers, sentences that mention dates. Every CV here is invented.
 */
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/modules/cvs/profile.ts';

const now = new Date('2026-11-26T00:00:00Z');
const jobsOf = (text: string) =>
  parseProfile(`Asha Rao\nWORK EXPERIENCE\n${text}`, now).experience.value.map((j) => [j.title, j.company]);

describe('a role and its employer on one line over the dates', () => {
  it('names the whole job: the previous job’s last line does not give it an employer', () => {
    expect(
      jobsOf(
        'Financial Analyst at Harbor Freight Co\n2021 - Present\nDelivery at Harbor Freight Co.\nProject Manager | Lumen Robotics\nMarch 2017 to June 2021',
      ),
    ).toEqual([
      ['Financial Analyst', 'Harbor Freight Co'],
      ['Project Manager', 'Lumen Robotics'],
    ]);
  });
});

describe('job-board exports (role, "Employer - City, State -", dates)', () => {
  it('takes the line with the trailing dash as the employer whatever its words', () => {
    // Both lines read as organisations ("Software", "Traders"): the layout decides.
    expect(jobsOf('Software\nNorthwind Traders -\n2018 to Present\nSupport for the sales team.')).toEqual([
      ['Software', 'Northwind Traders'],
    ]);
    expect(
      jobsOf('Team lead - supplier data management\nQuartz India - Pune, Maharashtra -\nMarch 2014 to 2016'),
    ).toEqual([['Team lead', 'Quartz India']]);
  });

  it('takes the employer, not the client, from "Client - Employer - City, State -"', () => {
    expect(
      jobsOf('Process Analyst\nHarbour Bank - Zenith BPO Ltd - Pune, Maharashtra -\nJune 2013 to October 2015'),
    ).toEqual([['Process Analyst', 'Zenith BPO Ltd']]);
    expect(jobsOf('PMO Analyst\nLindqvist Bank, Zenith BPO Ltd - Pune, Maharashtra -\n2016 to 2017')).toEqual([
      ['PMO Analyst', 'Zenith BPO Ltd'],
    ]);
  });

  it('takes a numbered role line, or one with a length of service, as the role', () => {
    expect(jobsOf('3 Security Services Guard Main Gate 1 year\nNorthwind Traders -\nOctober 2017 to Present')).toEqual([
      ['Security Services Guard Main Gate', 'Northwind Traders'],
    ]);
    expect(jobsOf('10years Store Keeper\nKestrel Foods - Nashik, Maharashtra -\nMay 2008 to May 2018')).toEqual([
      ['Store Keeper', 'Kestrel Foods'],
    ]);
  });

  it('keeps an employer over a role line ("Acme Ltd" over "Linux Administrator -")', () => {
    expect(jobsOf('Kestrel Systems Ltd\nLinux Administrator -\nMay 2016 to Present')).toEqual([
      ['Linux Administrator', 'Kestrel Systems Ltd'],
    ]);
  });

  it('reads "City, State, Country" between the export\'s dashes as one place, not the city as the role', () => {
    expect(jobsOf('NORTHWIND ESTATES - Kharar, Punjab, IN -\nJanuary 2012 to May 2013\nSold flats.')).toEqual([
      [null, 'NORTHWIND ESTATES'],
    ]);
    // Without the export's dashes, the first of three is the employer.
    expect(jobsOf('Data Engineer\nKestrelAI, San Francisco, CA\nJan 2021 - Present')).toEqual([
      ['Data Engineer', 'KestrelAI'],
    ]);
  });

  it('skips a dash standing alone where the export had no employer, and reads an entry without dates', () => {
    expect(jobsOf('Infosys\n-\nJune 2018 to December 2018\nI want a full time job')).toEqual([[null, 'Infosys']]);
    expect(jobsOf('Fresher\nHollin Traders - Nashik, Maharashtra\nAny post')).toEqual([['Fresher', 'Hollin Traders']]);
  });

  it('takes a role typed in lower case over "Employer - City, State" (an entry without dates)', () => {
    expect(jobsOf('trainee clerk\nHollin Traders - Nashik, Maharashtra\nAny post')).toEqual([
      ['trainee clerk', 'Hollin Traders'],
    ]);
    expect(jobsOf('first job\nHollin Traders - Nashik, Maharashtra')).toEqual([['first job', 'Hollin Traders']]);
  });
});

describe('what is not a role or an employer', () => {
  it('reads any bullet glyph as a bullet: a bullet line with a date range is not a job', () => {
    expect(
      jobsOf('Sales Executive\nOrbit Retail Ltd -\n2014 to 2017\n♦ Achieved a record result in unit sales 2015 - 2016'),
    ).toEqual([['Sales Executive', 'Orbit Retail Ltd']]);
    expect(jobsOf('➤ Performed team lead role\nPlanner\nOrbit Retail Ltd -\n2014 to 2017')).toEqual([
      ['Planner', 'Orbit Retail Ltd'],
    ]);
  });

  it('drops labels ("Duration:"), lower-case phrases and sentences led by a verb', () => {
    expect(jobsOf('Test Engineer\nKestrel Media Ltd\nDuration:\nSeptember 2014 to December 2014')).toEqual([
      ['Test Engineer', 'Kestrel Media Ltd'],
    ]);
    expect(jobsOf('Senior Systems Engineer\nmainframe\n2014 to Present')).toEqual([['Senior Systems Engineer', null]]);
    expect(jobsOf('Key Responsibilities:\nSAP Consultant\n2016 to 2018')).toEqual([['SAP Consultant', null]]);
    // A qualification that looks like a verb is still a role.
    expect(jobsOf('Registered nurse\nLakeside General Hospital\n2015 - 2019')).toEqual([
      ['Registered nurse', 'Lakeside General Hospital'],
    ]);
  });

  it('does not name a job from the tail of a sentence that mentions dates', () => {
    const text =
      'Medical Transcriptionist\nDelta Records Pvt. Ltd - Pune, Maharashtra -\nDecember 2004 to January 2006\nin Delta Records Pvt. Ltd, Pune (a subsidiary of Delta Holdings\nInc., Ohio, USA) from Dec 2004 - Jan 2006. Client: Lakeside General Hospital, Akron, Ohio.';
    expect(jobsOf(text)).toEqual([['Medical Transcriptionist', 'Delta Records Pvt. Ltd']]);
  });

  it('takes a city alone for where the job was, not for its title', () => {
    expect(jobsOf('Zenith BPO Ltd - Pune, Maharashtra -\nBangalore\nJune 2013 to October 2015')).toEqual([
      [null, 'Zenith BPO Ltd'],
    ]);
  });
});

describe('role and employer typed in one line', () => {
  it('splits an employer in parentheses, after a glued "@" or a glued dash, and strips quotes', () => {
    expect(jobsOf('Test Engineer (Kestrel Media Ltd)\nJune 2014 to March 2016')).toEqual([
      ['Test Engineer', 'Kestrel Media Ltd'],
    ]);
    expect(jobsOf('Process Associate@ Wipro\nMay 2011 to June 2012')).toEqual([['Process Associate', 'Wipro']]);
    expect(jobsOf('HR Executive- Solano Infotech\nJanuary 2011 to October 2011')).toEqual([
      ['HR Executive', 'Solano Infotech'],
    ]);
    expect(jobsOf('“HR Officer”\nGulf Storage Company -\nJanuary 2012 to July 2015')).toEqual([
      ['HR Officer', 'Gulf Storage Company'],
    ]);
  });

  it('keeps a legal suffix after a comma with the name ("Title, Company, Inc., City, Country, dates")', () => {
    expect(jobsOf('Java Developer, Larkspur Company, Inc., Anytown, USA, June 2018 - Present')).toEqual([
      ['Java Developer', 'Larkspur Company, Inc.'],
    ]);
  });

  it('reads "Employer as Title" over or under the employer\'s full name', () => {
    expect(jobsOf('Oceanic Travels as a HR Executive\nOceanic Travels Pvt. Ltd -\nJune 2013 to January 2014')).toEqual([
      ['HR Executive', 'Oceanic Travels Pvt. Ltd'],
    ]);
  });

  it('reads a bullet that states the job: "• Worked with X, City as Y from … to …"', () => {
    expect(
      jobsOf(
        'Architect\nCobalt Health - Hyderabad, Telangana -\nAugust 2017 to Present\n• Worked with Umbra Labs, Hyderabad as Software Engineer from January 2015 to Aug 2017.\n• Worked as Senior Software Engineer in Philips India Limited, Bangalore from October 2011 to Dec 2014.',
      ),
    ).toEqual([
      ['Architect', 'Cobalt Health'],
      ['Software Engineer', 'Umbra Labs'],
      ['Senior Software Engineer', 'Philips India Limited'],
    ]);
  });
});

describe('sections', () => {
  it('ends the work history at a job-board export\'s "CERTIFICATIONS/LICENSES" and "LINKS"', () => {
    const profile = parseProfile(
      'Asha Rao\nWORK EXPERIENCE\nAnalyst\nWipro -\n2010 to 2012\nCERTIFICATIONS/LICENSES\nData Course -\n2016 to 2016\nLINKS\nhttps://example.test/asha',
      now,
    );
    expect(profile.experience.value.map((j) => [j.title, j.company])).toEqual([['Analyst', 'Wipro']]);
  });
});

describe('projects and descriptions are not jobs (issue 14)', () => {
  it('ends the work history at a projects section in the wordings CVs use', () => {
    for (const heading of ['PROJECTS', 'Academic Projects', 'Projects undertaken (BE):', 'BE PROJECT UNDERTAKEN:']) {
      const profile = parseProfile(
        `Asha Rao\nWORK EXPERIENCE\nAnalyst\nWipro -\n2010 to 2012\n${heading}\nInventory Tracker\nKestrel College of Engineering\n2013 - 2014\nEDUCATION\nB.E. Computer Science`,
        now,
      );
      expect(profile.experience.value.map((j) => [j.title, j.company])).toEqual([['Analyst', 'Wipro']]);
    }
  });

  it('keeps a job\'s own "Project 1:" or "Project Details" inside the work history', () => {
    expect(
      jobsOf(
        'Consultant\nKestrel Systems Ltd -\n2012 to 2016\nProject 1: Billing migration\nProject Details\nClient: Harbour Bank\nDeveloper\nOrbit Retail Ltd -\n2016 to Present',
      ),
    ).toEqual([
      ['Consultant', 'Kestrel Systems Ltd'],
      ['Developer', 'Orbit Retail Ltd'],
    ]);
  });

  it('does not take a description line for the employer under a role line', () => {
    expect(
      jobsOf(
        'System Administrator\nHarbour Bank -\n2013 to Present\nFirewall checks\nSystem Administrator\nBackup the data',
      ),
    ).toEqual([['System Administrator', 'Harbour Bank']]);
  });

  it('reads no employer from a label or a sentence ending in a dash, but keeps one typed in lower case', () => {
    expect(jobsOf('Support Engineer\nRoles and responsibilities: -\n2015 to 2017')).toEqual([
      ['Support Engineer', null],
    ]);
    expect(jobsOf('Trainer\nhandled the escalations with the client team -\n2015 to 2017')).toEqual([
      ['Trainer', null],
    ]);
    expect(jobsOf('Associate Software Engineer\nkestrel systems - Pune, Maharashtra -\n2017 to Present')).toEqual([
      ['Associate Software Engineer', 'kestrel systems'],
    ]);
  });

  it('reads no role from a list\'s heading ("Highlights at Acme:")', () => {
    expect(jobsOf('Analyst\nOrbit Retail Ltd -\n2012 to 2016\nHighlights at Orbit Retail:\n• Built reports')).toEqual([
      ['Analyst', 'Orbit Retail Ltd'],
    ]);
  });
});

describe('"Title at Company" needs a capital after "at"', () => {
  it('does not read a sentence with "at" in it as a job', () => {
    expect(
      jobsOf(
        'Analyst\nOrbit Retail Ltd -\n2012 to 2016\nExisting report:\nThe technician reports the consumption at the exit of the store\nData Analyst at Kestrel Labs',
      ),
    ).toEqual([
      ['Analyst', 'Orbit Retail Ltd'],
      ['Data Analyst', 'Kestrel Labs'],
    ]);
  });
});

describe('a sentence led by a verb heads no job, whatever it ends with', () => {
  it('does not take "Owned delivery at Harbor Freight Co." for the next job\'s employer', () => {
    expect(
      jobsOf(
        'Harbor Freight Co   2021 - Present\nDevOps Engineer\nOwned day-to-day delivery at Harbor Freight Co.\nLumen Robotics   2017 - 2021\nWarehouse Supervisor',
      ),
    ).toEqual([
      ['DevOps Engineer', 'Harbor Freight Co'],
      ['Warehouse Supervisor', 'Lumen Robotics'],
    ]);
  });
});
