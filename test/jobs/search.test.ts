/** GET /api/v1/jobs: text, every filter alone and combined, sorts, keyset pagination, facets, snippets, hostile input. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../src/db/schema/index.ts';
import type { CreateJob } from '../../src/modules/jobs/jobs.schemas.ts';
import { jobValues } from '../../src/modules/jobs/jobs.service.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';

let ctx: TestContext & { close(): Promise<void> };
const day = 86_400_000;
const now = Date.now();

/** A small catalogue whose every row exists to prove one rule. */
const catalogue: Array<CreateJob & { key: string }> = [
  {
    key: 'csharp',
    title: 'C# Developer',
    company: 'Ledger Works',
    location: 'London, UK',
    description: 'Build trading services in C# on .NET 8 with ASP.NET Core.',
    requirements: ['C#', '.NET', 'SQL'],
    salaryMin: 60_000,
    salaryMax: 80_000,
    salaryCurrency: 'GBP',
    experienceLevel: 'mid',
    jobType: 'full-time',
    postedDate: new Date(now - 1 * day),
  },
  {
    key: 'cpp',
    title: 'C++ Engineer',
    company: 'Signal Labs',
    location: 'Berlin, Germany',
    description: 'Low-latency C++ systems for radio telescopes.',
    requirements: ['C++', 'Linux'],
    salaryMin: 70_000,
    salaryMax: 95_000,
    salaryCurrency: 'EUR',
    experienceLevel: 'senior',
    jobType: 'full-time',
    postedDate: new Date(now - 2 * day),
  },
  {
    key: 'c',
    title: 'Embedded C Programmer',
    company: 'Tiny Devices',
    location: 'Bengaluru, India',
    description: 'Firmware in plain C for sensors.',
    requirements: ['C', 'RTOS'],
    salaryMin: 12,
    salaryMax: 18,
    salaryCurrency: 'INR',
    salaryPeriod: 'monthly',
    experienceLevel: 'junior',
    jobType: 'contract',
    postedDate: new Date(now - 3 * day),
  },
  {
    key: 'node',
    title: 'Node.js Backend Engineer',
    company: 'Parcel Post',
    location: 'Remote',
    remote: true,
    description: 'APIs in Node.js and TypeScript, PostgreSQL underneath.',
    requirements: ['NodeJS', 'TypeScript', 'PostgreSQL'],
    salaryMin: 50,
    salaryMax: 70,
    salaryCurrency: 'USD',
    salaryPeriod: 'hourly',
    experienceLevel: 'senior',
    jobType: 'freelance',
    postedDate: new Date(now - 4 * day),
  },
  {
    key: 'nurse',
    title: 'Registered Nurse',
    company: 'Northside Hospital',
    location: 'Manchester, UK',
    description: 'Ward nursing on rotating shifts. Engineering experience not needed.',
    requirements: ['Patient care'],
    salaryCurrency: 'GBP',
    jobType: 'part-time',
    postedDate: new Date(now - 40 * day),
  },
  {
    key: 'percent',
    title: 'Growth Analyst',
    company: '100% Data_Co',
    location: 'Pune 50%_Tower',
    description: 'Analytics engineer for marketing; engineer dashboards.',
    requirements: ['SQL', 'Excel'],
    salaryMin: 90_000,
    salaryMax: 120_000,
    salaryCurrency: 'USD',
    experienceLevel: 'mid',
    jobType: 'full-time',
    postedDate: new Date(now - 5 * day),
  },
];
const idOf: Record<string, string> = {};

beforeAll(async () => {
  ctx = await createTestApp();
  for (const { key, ...job } of catalogue) {
    const [row] = await ctx.database.db.insert(jobs).values(jobValues(job)).returning({ id: jobs.id });
    idOf[key] = row?.id as string;
  }
});
afterAll(async () => ctx?.close());

async function search(query: string) {
  const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/jobs?${query}` });
  return res;
}
async function keys(query: string): Promise<string[]> {
  const res = await search(query);
  expect(res.statusCode, res.body).toBe(200);
  const byId = Object.fromEntries(Object.entries(idOf).map(([k, v]) => [v, k]));
  return res.json().data.map((j: { id: string }) => byId[j.id]);
}
const sorted = (a: string[]) => [...a].sort();

describe('text search', () => {
  it('keeps C#, C++, C, .NET and Node.js apart', async () => {
    expect(await keys('q=C%23')).toEqual(['csharp']);
    expect(await keys('q=C%2B%2B')).toEqual(['cpp']);
    expect(await keys('q=.NET')).toEqual(['csharp']);
    expect(sorted(await keys('q=Node.js'))).toEqual(['node']);
    expect(await keys('q=nodejs')).toEqual(['node']);
    expect(await keys('q=firmware%20C')).toEqual(['c']);
  });

  it('understands web-search syntax: phrases, exclusion and or', async () => {
    expect(await keys(`q=${encodeURIComponent('"low-latency c++"')}`)).toEqual(['cpp']);
    expect(sorted(await keys(`q=${encodeURIComponent('engineer -analytics')}`))).toEqual(['cpp', 'node', 'nurse']);
    expect(sorted(await keys(`q=${encodeURIComponent('nurse or firmware')}`))).toEqual(['c', 'nurse']);
  });

  it('ranks a title match above a description match', async () => {
    const ranked = await keys('q=engineer');
    // "Engineer" is in the titles of cpp and node; in the descriptions only of nurse and percent.
    expect(ranked.slice(0, 2).sort()).toEqual(['cpp', 'node']);
    expect(sorted(ranked.slice(2))).toEqual(['nurse', 'percent']);
  });

  it('highlights matches in an HTML-escaped snippet', async () => {
    const res = await search('q=telescopes');
    expect(res.json().data[0].snippet).toContain('<mark>telescopes</mark>');
    const plain = (await search('q=firmware')).json().data[0].snippet as string;
    expect(plain).toContain('<mark>Firmware</mark>');
  });

  it.each([
    "'; drop table jobs; --",
    '"unterminated',
    '!!!',
    '& | ! ( ) :* <->',
    'a'.repeat(500),
    '\u0000null byte',
    '😀 émoji ñ 中文',
    'the and of',
    '-',
    '"" or or -',
    '%_\\',
  ])('never fails on hostile q %#', async (q) => {
    const res = await search(`q=${encodeURIComponent(q)}`);
    expect(res.statusCode).toBe(200);
    expect(Array.isArray(res.json().data)).toBe(true);
  });

  it('treats a q with nothing searchable as no text filter', async () => {
    expect((await keys('q=the')).length).toBe(catalogue.length);
  });

  it('refuses a q over 500 characters with 400', async () => {
    expect((await search(`q=${'a'.repeat(501)}`)).statusCode).toBe(400);
  });
});

describe('filters', () => {
  it('location: case-insensitive and partial, with % and _ taken literally', async () => {
    expect(sorted(await keys('location=uk'))).toEqual(['csharp', 'nurse']);
    expect(await keys('location=BENGAL')).toEqual(['c']);
    expect(await keys(`location=${encodeURIComponent('50%_t')}`)).toEqual(['percent']);
    expect(await keys(`location=${encodeURIComponent('%')}`)).toEqual(['percent']);
  });

  it('remote', async () => {
    expect(await keys('remote=true')).toEqual(['node']);
    expect((await keys('remote=false')).length).toBe(catalogue.length - 1);
    expect((await search('remote=yes')).statusCode).toBe(400);
  });

  it('salary overlap on the yearly figure, in the given currency', async () => {
    // node: 50-70 USD an hour = 104,000-145,600 a year; percent: 90,000-120,000 a year.
    expect(sorted(await keys('currency=USD&salaryMin=100000'))).toEqual(['node', 'percent']);
    expect(await keys('currency=USD&salaryMin=125000')).toEqual(['node']);
    expect(await keys('currency=USD&salaryMax=95000')).toEqual(['percent']);
    expect(await keys('currency=USD&salaryMin=150000')).toEqual([]);
    // 12-18 INR a month = 144-216 a year; jobs without a salary never match a salary filter.
    expect(await keys('currency=INR&salaryMin=200')).toEqual(['c']);
    expect(await keys('currency=GBP&salaryMin=0')).toEqual(['csharp']);
  });

  it('refuses salary filters without a currency, and an inverted range', async () => {
    const res = await search('salaryMin=100');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('querystring.currency');
    expect((await search('currency=USD&salaryMin=10&salaryMax=5')).statusCode).toBe(400);
    expect((await search('currency=JPY&salaryMin=10')).statusCode).toBe(400);
  });

  it('experience levels and job types, as a comma list or repeated', async () => {
    expect(sorted(await keys('experienceLevel=senior'))).toEqual(['cpp', 'node']);
    expect(sorted(await keys('experienceLevel=junior,mid'))).toEqual(['c', 'csharp', 'percent']);
    expect(sorted(await keys('jobType=contract&jobType=freelance'))).toEqual(['c', 'node']);
    expect((await search('jobType=gig')).statusCode).toBe(400);
  });

  it('requirements: all of, any of, in canonical form', async () => {
    expect(sorted(await keys('requirements=SQL'))).toEqual(['csharp', 'percent']);
    expect(await keys('requirements=SQL,Excel')).toEqual(['percent']);
    expect(sorted(await keys('requirements=excel,c%23&requirementsMode=any'))).toEqual(['csharp', 'percent']);
    expect(await keys('requirements=node.js,postgres')).toEqual(['node']);
    expect(await keys('requirements=C')).toEqual(['c']);
  });

  it('posted since', async () => {
    const since = new Date(now - 2.5 * day).toISOString();
    expect(sorted(await keys(`postedSince=${since}`))).toEqual(['cpp', 'csharp']);
    expect((await search('postedSince=yesterday')).statusCode).toBe(400);
  });

  it('combines text and every filter', async () => {
    const q = new URLSearchParams({
      q: 'engineer',
      remote: 'true',
      currency: 'USD',
      salaryMin: '100000',
      experienceLevel: 'senior',
      jobType: 'freelance',
      requirements: 'typescript',
      location: 'remote',
      postedSince: new Date(now - 10 * day).toISOString(),
    });
    expect(await keys(q.toString())).toEqual(['node']);
    q.set('jobType', 'full-time');
    expect(await keys(q.toString())).toEqual([]);
  });
});

describe('sorting', () => {
  it('newest first without q, relevance first with it', async () => {
    expect(await keys('')).toEqual(['csharp', 'cpp', 'c', 'node', 'percent', 'nurse']);
    expect(await keys('q=engineer&sort=newest')).toEqual(['cpp', 'node', 'percent', 'nurse']);
  });

  it('by yearly salary, highest first, within one currency', async () => {
    expect(await keys('sort=salary&currency=USD')).toEqual(['node', 'percent']);
    expect(await keys('sort=salary&currency=GBP')).toEqual(['csharp', 'nurse']);
    expect((await search('sort=salary')).statusCode).toBe(400);
    expect((await search('sort=relevance')).statusCode).toBe(400);
  });
});

describe('pagination', () => {
  it.each(['', 'q=engineer%20or%20c%23%20or%20nurse%20or%20firmware', 'sort=salary&currency=USD', 'q=sql'])(
    'walks every page without gaps or repeats (%s)',
    async (query) => {
      const all = await keys(`${query}&limit=100`);
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 20; i++) {
        const res = await search(`${query}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        const page = res.json();
        seen.push(...page.data.map((j: { id: string }) => Object.entries(idOf).find(([, id]) => id === j.id)?.[0]));
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      expect(seen).toEqual(all);
    },
  );

  it.each([
    ['newest', ''],
    ['relevance', 'q=engineer&'],
  ])('stays stable when jobs are inserted between pages (%s)', async (_sort, prefix) => {
    const all = await keys(`${prefix}limit=100`);
    const first = (await search(`${prefix}limit=2`)).json();
    const [row] = await ctx.database.db
      .insert(jobs)
      .values(jobValues({ title: 'Brand new engineer', company: 'Late Co', description: 'Just posted.' }))
      .returning({ id: jobs.id });
    try {
      const ids: string[] = first.data.map((j: { id: string }) => j.id);
      let cursor: string | null = first.nextCursor;
      while (cursor) {
        const page = (await search(`${prefix}limit=2&cursor=${cursor}`)).json();
        ids.push(...page.data.map((j: { id: string }) => j.id));
        cursor = page.nextCursor;
      }
      // The new job ranks first, before the pages already seen: it must not push rows into later pages.
      expect(ids).toEqual(all.map((k) => idOf[k]));
      expect((await search(`${prefix}limit=1`)).json().data[0].id).toBe(row?.id); // it leads a fresh search
    } finally {
      const { eq } = await import('drizzle-orm');
      await ctx.database.db.delete(jobs).where(eq(jobs.id, row?.id as string));
    }
  });

  it('caps limit at 100 and refuses bad cursors, and a cursor from another sort', async () => {
    expect((await search('limit=101')).statusCode).toBe(400);
    expect((await search('limit=0')).statusCode).toBe(400);
    for (const cursor of ['garbage', Buffer.from('{"s":"newest"}').toString('base64url'), 'x'.repeat(501)]) {
      const res = await search(`cursor=${cursor}`);
      expect(res.statusCode).toBe(400);
    }
    const newest = (await search('limit=1')).json().nextCursor;
    const res = await search(`sort=salary&currency=USD&cursor=${newest}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_CURSOR');
  });
});

describe('facets', () => {
  it('counts job types, levels and remote for the current query, on the first page only', async () => {
    const page = (await search('q=engineer')).json();
    expect(page.facets).toEqual({
      total: 4,
      jobType: { 'full-time': 2, freelance: 1, 'part-time': 1 },
      experienceLevel: { senior: 2, mid: 1, none: 1 },
      remote: { true: 1, false: 3 },
      approximate: false,
    });
    const next = (
      await search(`q=engineer&limit=1&cursor=${(await search('q=engineer&limit=1')).json().nextCursor}`)
    ).json();
    expect(next.facets).toBeUndefined();
    expect((await search('facets=false')).json().facets).toBeUndefined();
  });
});
