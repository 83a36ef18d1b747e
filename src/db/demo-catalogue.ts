/**
 * A deterministic demo catalogue so a newcomer's first `npm start` shows a working product.
 * All companies are fictional. The same call always yields the same jobs (no randomness).
 */
import type { EXPERIENCE_LEVELS, JOB_TYPES } from './schema/jobs.ts';

type Level = (typeof EXPERIENCE_LEVELS)[number];
type JobType = (typeof JOB_TYPES)[number];

type Role = {
  title: string;
  category: string;
  skills: string[];
  /** Yearly USD salary band for a mid-level hire. */
  band: [number, number];
  summary: string;
};

const roles: Role[] = [
  {
    title: 'Frontend Engineer',
    category: 'Technology',
    skills: ['React', 'TypeScript', 'CSS', 'Accessibility'],
    band: [95_000, 140_000],
    summary: 'build fast, accessible interfaces used by millions of people every day',
  },
  {
    title: 'Backend Engineer',
    category: 'Technology',
    skills: ['Node.js', 'PostgreSQL', 'TypeScript', 'REST APIs'],
    band: [100_000, 150_000],
    summary: 'design and run the services and data stores behind our product',
  },
  {
    title: 'Full Stack Developer',
    category: 'Technology',
    skills: ['React', 'Node.js', 'PostgreSQL', 'Docker'],
    band: [95_000, 145_000],
    summary: 'ship features end to end, from the database schema to the last pixel',
  },
  {
    title: 'Java Developer',
    category: 'Technology',
    skills: ['Java', 'Spring Boot', 'Microservices', 'Kafka'],
    band: [90_000, 135_000],
    summary: 'evolve high-throughput Java services for payments and settlement',
  },
  {
    title: '.NET Developer',
    category: 'Technology',
    skills: ['C#', '.NET', 'Azure', 'SQL Server'],
    band: [85_000, 130_000],
    summary: 'modernise line-of-business applications on .NET and Azure',
  },
  {
    title: 'C++ Software Engineer',
    category: 'Technology',
    skills: ['C++', 'Linux', 'Multithreading', 'CMake'],
    band: [110_000, 170_000],
    summary: 'write low-latency systems software where every microsecond counts',
  },
  {
    title: 'Python Developer',
    category: 'Technology',
    skills: ['Python', 'Django', 'PostgreSQL', 'Celery'],
    band: [90_000, 135_000],
    summary: 'build data-heavy web applications and internal tools in Python',
  },
  {
    title: 'Machine Learning Engineer',
    category: 'Technology',
    skills: ['Python', 'PyTorch', 'MLOps', 'SQL'],
    band: [120_000, 180_000],
    summary: 'take models from notebooks to reliable production services',
  },
  {
    title: 'Data Engineer',
    category: 'Technology',
    skills: ['Python', 'Apache Spark', 'Airflow', 'SQL'],
    band: [105_000, 155_000],
    summary: 'build the pipelines and warehouse that every team relies on',
  },
  {
    title: 'Data Analyst',
    category: 'Technology',
    skills: ['SQL', 'Tableau', 'Excel', 'Statistics'],
    band: [65_000, 95_000],
    summary: 'turn raw data into decisions with clear dashboards and analyses',
  },
  {
    title: 'DevOps Engineer',
    category: 'Technology',
    skills: ['Kubernetes', 'Terraform', 'AWS', 'CI/CD'],
    band: [105_000, 155_000],
    summary: 'automate our infrastructure and keep deployments boring',
  },
  {
    title: 'Site Reliability Engineer',
    category: 'Technology',
    skills: ['Kubernetes', 'Go', 'Prometheus', 'Linux'],
    band: [115_000, 165_000],
    summary: 'own availability, latency and incident response for core services',
  },
  {
    title: 'iOS Developer',
    category: 'Technology',
    skills: ['Swift', 'SwiftUI', 'iOS', 'Xcode'],
    band: [100_000, 150_000],
    summary: 'craft a polished native iOS app with offline support',
  },
  {
    title: 'Android Developer',
    category: 'Technology',
    skills: ['Kotlin', 'Android', 'Jetpack Compose', 'REST APIs'],
    band: [95_000, 145_000],
    summary: 'build our Android app for users on every kind of device and network',
  },
  {
    title: 'Security Engineer',
    category: 'Technology',
    skills: ['Application Security', 'Threat Modeling', 'OWASP', 'Python'],
    band: [120_000, 175_000],
    summary: 'find and fix vulnerabilities before attackers do',
  },
  {
    title: 'QA Automation Engineer',
    category: 'Technology',
    skills: ['Playwright', 'TypeScript', 'Test Automation', 'CI/CD'],
    band: [75_000, 110_000],
    summary: 'build the automated test suites that let us release daily',
  },
  {
    title: 'Product Manager',
    category: 'Product',
    skills: ['Product Management', 'Roadmapping', 'User Research', 'Agile'],
    band: [110_000, 160_000],
    summary: 'decide what we build next, with customers and engineers at the table',
  },
  {
    title: 'Product Designer',
    category: 'Design',
    skills: ['Figma', 'UX Design', 'Prototyping', 'Design Systems'],
    band: [90_000, 135_000],
    summary: 'design simple flows for complex problems and test them with users',
  },
  {
    title: 'UX Researcher',
    category: 'Design',
    skills: ['User Research', 'Usability Testing', 'Surveys', 'Figma'],
    band: [85_000, 125_000],
    summary: 'lead studies that shape what the whole company builds',
  },
  {
    title: 'Digital Marketing Manager',
    category: 'Marketing',
    skills: ['SEO', 'Google Ads', 'Content Marketing', 'Google Analytics'],
    band: [75_000, 115_000],
    summary: 'grow our audience through search, paid and content channels',
  },
  {
    title: 'Content Writer',
    category: 'Marketing',
    skills: ['Copywriting', 'SEO', 'Content Strategy', 'Editing'],
    band: [50_000, 75_000],
    summary: 'write clear, useful articles and product copy',
  },
  {
    title: 'Account Executive',
    category: 'Sales',
    skills: ['B2B Sales', 'Salesforce', 'Negotiation', 'Lead Generation'],
    band: [70_000, 120_000],
    summary: 'own the full sales cycle for mid-market customers',
  },
  {
    title: 'Customer Success Manager',
    category: 'Sales',
    skills: ['Customer Success', 'Account Management', 'CRM', 'Communication'],
    band: [60_000, 90_000],
    summary: 'help customers get value and renew year after year',
  },
  {
    title: 'Financial Analyst',
    category: 'Finance',
    skills: ['Financial Modeling', 'Excel', 'Forecasting', 'Accounting'],
    band: [70_000, 105_000],
    summary: 'model scenarios and guide budget decisions',
  },
  {
    title: 'Accountant',
    category: 'Finance',
    skills: ['Accounting', 'GAAP', 'Reconciliation', 'QuickBooks'],
    band: [55_000, 80_000],
    summary: 'keep our books accurate and close each month on time',
  },
  {
    title: 'HR Business Partner',
    category: 'People',
    skills: ['Human Resources', 'Employee Relations', 'Recruiting', 'HRIS'],
    band: [75_000, 110_000],
    summary: 'partner with leaders on hiring, growth and team health',
  },
  {
    title: 'Technical Recruiter',
    category: 'People',
    skills: ['Recruiting', 'Sourcing', 'Interviewing', 'LinkedIn Recruiter'],
    band: [65_000, 100_000],
    summary: 'find and close the engineers who will shape our future',
  },
  {
    title: 'Registered Nurse',
    category: 'Healthcare',
    skills: ['Patient Care', 'BLS', 'Electronic Health Records', 'Medication Administration'],
    band: [70_000, 100_000],
    summary: 'provide compassionate care on a busy medical-surgical unit',
  },
  {
    title: 'Medical Assistant',
    category: 'Healthcare',
    skills: ['Patient Care', 'Phlebotomy', 'Medical Terminology', 'Scheduling'],
    band: [38_000, 50_000],
    summary: 'support physicians and patients in a modern outpatient clinic',
  },
  {
    title: 'Electrician',
    category: 'Trades',
    skills: ['Electrical Wiring', 'Blueprint Reading', 'NEC Code', 'Troubleshooting'],
    band: [55_000, 85_000],
    summary: 'install and maintain electrical systems on commercial sites',
  },
  {
    title: 'Operations Manager',
    category: 'Operations',
    skills: ['Operations Management', 'Process Improvement', 'Lean', 'Excel'],
    band: [80_000, 120_000],
    summary: 'run day-to-day operations and make them measurably better',
  },
  {
    title: 'Project Manager',
    category: 'Operations',
    skills: ['Project Management', 'Scrum', 'Jira', 'Stakeholder Management'],
    band: [85_000, 125_000],
    summary: 'deliver cross-team projects on time and without surprises',
  },
];

const companies = [
  'Northwind Labs',
  'Bluefin Analytics',
  'Cobalt Health',
  'Juniper Payments',
  'Brightpath Learning',
  'Harbor Logistics',
  'Lumen Robotics',
  'Quartz Security',
  'Evergreen Energy',
  'Atlas Retail',
  'Kestrel Media',
  'Maple Insurance',
];

const locations: Array<{ city: string; currency: 'USD' | 'INR' | 'EUR' | 'GBP'; factor: number }> = [
  { city: 'San Francisco, CA', currency: 'USD', factor: 1.2 },
  { city: 'New York, NY', currency: 'USD', factor: 1.15 },
  { city: 'Austin, TX', currency: 'USD', factor: 0.95 },
  { city: 'Chicago, IL', currency: 'USD', factor: 0.95 },
  { city: 'Seattle, WA', currency: 'USD', factor: 1.1 },
  { city: 'London, UK', currency: 'GBP', factor: 0.75 },
  { city: 'Berlin, Germany', currency: 'EUR', factor: 0.8 },
  { city: 'Bengaluru, India', currency: 'INR', factor: 25 },
];

const levels: Array<{ level: Level; prefix: string; factor: number; years: string }> = [
  { level: 'junior', prefix: 'Junior ', factor: 0.7, years: '0-2 years' },
  { level: 'mid', prefix: '', factor: 1, years: '3+ years' },
  { level: 'senior', prefix: 'Senior ', factor: 1.3, years: '6+ years' },
];

export type DemoJob = {
  title: string;
  company: string;
  location: string;
  remote: boolean;
  salaryMin: number;
  salaryMax: number;
  salaryCurrency: 'USD' | 'INR' | 'EUR' | 'GBP';
  experienceLevel: Level;
  jobType: JobType;
  description: string;
  requirements: string[];
  category: string;
  /** Days before "now" the job was posted, so the catalogue always looks fresh. */
  postedDaysAgo: number;
};

const round = (n: number) => Math.round(n / 1000) * 1000;

export function demoCatalogue(): DemoJob[] {
  const jobs: DemoJob[] = [];
  roles.forEach((role, r) => {
    levels.forEach((lvl, l) => {
      for (let k = 0; k < 2; k++) {
        const i = r * 6 + l * 2 + k;
        const company = companies[(r * 5 + l * 3 + k * 7) % companies.length] as string;
        const place = locations[(r * 3 + l + k * 5) % locations.length] as (typeof locations)[number];
        const remote = (r + l + k) % 3 === 0;
        const jobType: JobType = i % 17 === 0 ? 'contract' : i % 23 === 0 ? 'part-time' : 'full-time';
        const min = round(role.band[0] * lvl.factor * place.factor);
        const max = round(role.band[1] * lvl.factor * place.factor);
        const skills = role.skills;
        jobs.push({
          title: `${lvl.prefix}${role.title}`,
          company,
          location: place.city,
          remote,
          salaryMin: min,
          salaryMax: max,
          salaryCurrency: place.currency,
          experienceLevel: lvl.level,
          jobType,
          category: role.category,
          requirements: skills,
          postedDaysAgo: (i * 7) % 45,
          description: [
            `${company} is hiring a ${lvl.prefix}${role.title}${remote ? ' (remote friendly)' : ` in ${place.city}`}.`,
            `You will ${role.summary}.`,
            `What you bring: ${lvl.years} of experience with ${skills.slice(0, -1).join(', ')} and ${skills.at(-1)}; clear written communication; care for the people who use your work.`,
            `What we offer: a ${jobType} role, a salary of ${place.currency} ${min.toLocaleString('en-US')}-${max.toLocaleString('en-US')} a year, learning budget, and flexible hours.`,
          ].join('\n\n'),
        });
      }
    });
  });
  return jobs;
}

export const demoCategories = [
  { name: 'Technology', description: 'Software development and IT roles' },
  { name: 'Marketing', description: 'Digital marketing and growth roles' },
  { name: 'Sales', description: 'Business development and sales roles' },
  { name: 'Product', description: 'Product management roles' },
  { name: 'Design', description: 'Product, UX and visual design roles' },
  { name: 'Finance', description: 'Finance and accounting roles' },
  { name: 'People', description: 'HR and recruiting roles' },
  { name: 'Healthcare', description: 'Clinical and care roles' },
  { name: 'Trades', description: 'Skilled trades' },
  { name: 'Operations', description: 'Operations and project delivery roles' },
];
