/**
 * Salaries as posted (an amount per hour, day, month or year, in a currency) and their yearly
 * equivalent, which search filters and sorts on. How many working hours, days and weeks make a
 * full-time year differs by country, so the conversion follows the currency's convention
 * (configurable with SALARY_WORK_YEARS; see docs/jobs.md).
 */
import type { SALARY_CURRENCIES, SALARY_PERIODS } from '../../db/schema/index.ts';

export type SalaryPeriod = (typeof SALARY_PERIODS)[number];
export type SalaryCurrency = (typeof SALARY_CURRENCIES)[number];
/** A full-time working year: hours, days and weeks of work in it. */
export type WorkYear = { hours: number; days: number; weeks: number };

/**
 * Defaults: USD and EUR a 40-hour, five-day week (2,080 hours; the US federal convention, and the
 * common full-time contract in the euro area); GBP the 37.5-hour week of most UK contracts (1,950 hours);
 * INR the 48-hour, six-day week of India's Factories Act (2,496 hours, 312 days). Weeks: 52 everywhere.
 */
export const DEFAULT_WORK_YEARS: Readonly<Record<SalaryCurrency, WorkYear>> = {
  USD: { hours: 2080, days: 260, weeks: 52 },
  EUR: { hours: 2080, days: 260, weeks: 52 },
  GBP: { hours: 1950, days: 260, weeks: 52 },
  INR: { hours: 2496, days: 312, weeks: 52 },
};

// One convention per process, set from configuration at start-up (setWorkYears), read by every
// conversion: the yearly figures stored for one catalogue must all follow the same rules.
let workYears: Record<SalaryCurrency, WorkYear> = { ...DEFAULT_WORK_YEARS };

/** Replaces the conventions of the currencies given (missing fields keep their default). */
export function setWorkYears(overrides: Partial<Record<SalaryCurrency, Partial<WorkYear>>>) {
  workYears = { ...DEFAULT_WORK_YEARS };
  for (const [currency, year] of Object.entries(overrides) as Array<[SalaryCurrency, Partial<WorkYear>]>) {
    workYears[currency] = { ...DEFAULT_WORK_YEARS[currency], ...year };
  }
}

export const workYearOf = (currency: SalaryCurrency): WorkYear => workYears[currency] ?? workYears.USD;

/** How many of `period` make a year in `currency`'s convention (weekly pay is stored as yearly). */
export function periodsPerYear(period: SalaryPeriod | 'weekly', currency: SalaryCurrency = 'USD'): number {
  const year = workYearOf(currency);
  return { hourly: year.hours, daily: year.days, weekly: year.weeks, monthly: 12, yearly: 1 }[period];
}

/** Largest value of a PostgreSQL `integer`. */
export const MAX_SALARY = 2_147_483_647;

export function yearlySalary(
  amount: number | null | undefined,
  period: SalaryPeriod,
  currency: SalaryCurrency = 'USD',
): number | null {
  if (amount === null || amount === undefined) return null;
  return Math.round(amount * periodsPerYear(period, currency));
}

/** Lakh = 100,000. Indian postings often say "12-18 LPA" (lakhs per annum). */
export const LAKH = 100_000;
