/**
 * Salaries as posted (an amount per hour, day, month or year, in a currency) and their yearly
 * equivalent, which search filters and sorts on. Full-time conventions: 2,080 hours and 260 days a year.
 */
import type { SALARY_PERIODS } from '../../db/schema/index.ts';

export type SalaryPeriod = (typeof SALARY_PERIODS)[number];

export const PERIODS_PER_YEAR: Record<SalaryPeriod, number> = { hourly: 2080, daily: 260, monthly: 12, yearly: 1 };

/** Largest value of a PostgreSQL `integer`. */
export const MAX_SALARY = 2_147_483_647;

export function yearlySalary(amount: number | null | undefined, period: SalaryPeriod): number | null {
  if (amount === null || amount === undefined) return null;
  return Math.round(amount * PERIODS_PER_YEAR[period]);
}

/** Lakh = 100,000. Indian postings often say "12-18 LPA" (lakhs per annum). */
export const LAKH = 100_000;
