/** The web app's display helpers (pure functions, run in Node): salaries per currency and period, snippets. */
import { describe, expect, it } from 'vitest';
import { formatSalary, snippetParts } from '../../web/src/format.ts';

const salary = (
  salaryMin: number | null,
  salaryMax: number | null,
  salaryCurrency = 'USD',
  salaryPeriod = 'yearly',
) => ({
  salaryMin,
  salaryMax,
  salaryCurrency,
  salaryPeriod,
});

describe('formatSalary', () => {
  it('quotes yearly INR in lakhs per annum, and crores above 100 lakh', () => {
    expect(formatSalary(salary(1_200_000, 1_800_000, 'INR'))).toBe('₹12–18 lakh per annum');
    expect(formatSalary(salary(450_000, 650_000, 'INR'))).toBe('₹4.5–6.5 lakh per annum');
    expect(formatSalary(salary(8_000_000, 12_000_000, 'INR'))).toBe('₹80 lakh – ₹1.2 crore per annum');
    expect(formatSalary(salary(1_500_000, null, 'INR'))).toBe('from ₹15 lakh per annum');
    expect(formatSalary(salary(null, 2_000_000, 'INR'))).toBe('up to ₹20 lakh per annum');
  });

  it('uses Indian digit grouping for other INR periods', () => {
    expect(formatSalary(salary(45_000, 160_000, 'INR', 'monthly'))).toBe('₹45,000–₹1,60,000 a month');
  });

  it('shows other currencies in their own symbol and period', () => {
    expect(formatSalary(salary(120_000, 150_000))).toBe('$120,000–$150,000 a year');
    expect(formatSalary(salary(50, 50, 'EUR', 'hourly'))).toBe('€50 an hour');
    expect(formatSalary(salary(400, null, 'GBP', 'daily'))).toBe('from £400 a day');
    expect(formatSalary(salary(null, null))).toBeNull();
  });
});

describe('snippetParts', () => {
  it('keeps only <mark> as structure and decodes the escaped text, never producing HTML', () => {
    expect(snippetParts('a <mark>Node</mark> &lt;script&gt; &amp; more')).toEqual([
      { text: 'a ', marked: false },
      { text: 'Node', marked: true },
      { text: ' <script> & more', marked: false },
    ]);
  });
});
