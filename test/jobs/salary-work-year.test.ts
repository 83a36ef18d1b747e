/**
 * Issue 15: hourly, daily and weekly pay become yearly figures by the working year of the pay's currency
 * (documented defaults, overridable with SALARY_WORK_YEARS), in the API, in imports and in search.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { DEFAULT_WORK_YEARS, setWorkYears, yearlySalary } from '../../src/modules/jobs/salary.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInAdmin } from '../helpers/auth.ts';

describe('the working year of each currency', () => {
  afterEach(() => setWorkYears({}));

  it('converts by the currency’s convention: a 37.5-hour UK week, a six-day Indian week', () => {
    expect(yearlySalary(20, 'hourly', 'USD')).toBe(41_600);
    expect(yearlySalary(20, 'hourly', 'GBP')).toBe(39_000);
    expect(yearlySalary(1_000, 'daily', 'INR')).toBe(312_000);
    expect(yearlySalary(3_000, 'monthly', 'EUR')).toBe(36_000);
    expect(yearlySalary(50_000, 'yearly', 'GBP')).toBe(50_000);
  });

  it('takes overrides per currency and field, keeping the rest', () => {
    setWorkYears({ EUR: { hours: 1820 } });
    expect(yearlySalary(20, 'hourly', 'EUR')).toBe(36_400);
    expect(yearlySalary(200, 'daily', 'EUR')).toBe(200 * DEFAULT_WORK_YEARS.EUR.days);
    expect(yearlySalary(20, 'hourly', 'USD')).toBe(41_600);
  });

  it('refuses a bad SALARY_WORK_YEARS with a message naming it', () => {
    const bad = ['not json', '{"XYZ":{"hours":2000}}', '{"EUR":{"hours":0}}', '{"EUR":{"minutes":5}}', '[1]'];
    for (const value of bad) {
      expect(() => loadConfig({ SALARY_WORK_YEARS: value }), value).toThrow(ConfigError);
      expect(() => loadConfig({ SALARY_WORK_YEARS: value }), value).toThrow(/SALARY_WORK_YEARS/);
    }
    expect(loadConfig({ SALARY_WORK_YEARS: '{"INR":{"days":260}}' }).salaryWorkYears).toEqual({ INR: { days: 260 } });
    expect(loadConfig({}).salaryWorkYears).toEqual({});
  });
});

describe('through the API and imports', () => {
  let ctx: TestContext & { close(): Promise<void> };
  beforeAll(async () => {
    ctx = await createTestApp({ env: { SALARY_WORK_YEARS: '{"EUR":{"hours":1820}}' } });
  });
  afterAll(async () => ctx?.close());

  it('stores the yearly equivalent by the configured convention, and search filters on it', async () => {
    const admin = await signedInAdmin(ctx.database.db);
    const create = (body: object) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/v1/jobs',
        headers: admin.headers,
        payload: { company: 'Northwind', description: 'Shifts in the bakery.', ...body },
      });
    const paris = await create({ title: 'Baker Paris', salaryMin: 20, salaryCurrency: 'EUR', salaryPeriod: 'hourly' });
    const leeds = await create({ title: 'Baker Leeds', salaryMin: 20, salaryCurrency: 'GBP', salaryPeriod: 'hourly' });
    expect(paris.json().salaryYearlyMin).toBe(36_400);
    expect(leeds.json().salaryYearlyMin).toBe(39_000);
    const search = await ctx.app.inject({ url: '/api/v1/jobs?q=baker&currency=EUR&salaryMin=36000' });
    expect(search.json().data.map((j: { title: string }) => j.title)).toEqual(['Baker Paris']);
  });

  it('imports fractional hourly pay as yearly by the currency of the row', async () => {
    const admin = await signedInAdmin(ctx.database.db);
    const csv = 'title,company,description,salary\nPastry chef,Contoso,Croissants daily.,£12.50 per hour\n';
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/jobs/import?source=bakeries',
      headers: { ...admin.headers, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.statusCode, res.body).toBe(200);
    const found = await ctx.app.inject({ url: '/api/v1/jobs?q=pastry' });
    expect(found.json().data[0]).toMatchObject({
      salaryMin: 24_375,
      salaryCurrency: 'GBP',
      salaryPeriod: 'yearly',
      salaryYearlyMin: 24_375,
    });
  });
});
