/**
 * Salary text as job files write it: "$53K-$91K (Glassdoor est.)", "£30k - £45k", "30-45000",
 * "up to 30,000", "7 p/h", "18,000 per annum + tips", "₹12-18 LPA", "Employer Provided Salary:$17-$24 Per Hour".
 *
 * Every pattern here is linear-time over untrusted text: no nested or adjacent unbounded quantifiers
 * that can match the same characters (issue 11). Inputs are also cut to MAX_SALARY_TEXT first.
 */

import { oneOf, trimWhere } from '../../../lib/text.ts';
import { LAKH } from '../salary.ts';

/** Salary cells longer than this are not salary text; only the start is read. */
export const MAX_SALARY_TEXT = 200;

export type ParsedSalary = { min?: number; max: number; currency?: string; period?: string };

/** What a source writes when it has no figure: these mean "no salary", never an amount. */
const NONE =
  /^(?:-1|-|0|0\.0+|none|n\/?a|na|nil|null|unknown|not (?:stated|specified|disclosed|available)|competitive|negotiable|doe|tbc|tbd|undisclosed)$/;

/** True when a salary cell states that there is no figure ("-1", "N/A", "competitive", "0"). */
export function isNoSalary(text: string): boolean {
  const t = text.trim().toLowerCase().slice(0, MAX_SALARY_TEXT);
  if (t === '') return true;
  if (NONE.test(trimWhere(t, oneOf('.!'), 'end'))) return true;
  // "Competitive salary", "Salary negotiable": words only, no figure.
  return !/\d/.test(t) && /competitive|negotiable|depending on experience|\bdoe\b|not disclosed/.test(t);
}

const PERIOD_WORDS: Array<[RegExp, string]> = [
  [/hour|\bhr\b|\/hr|\bp\/?h\b|\bph\b|\bhrly\b/, 'hourly'],
  [/\bday\b|daily|per diem|\bp\/?d\b|\/day/, 'daily'],
  [/week|\bp\/?w\b|\/wk\b|\bpw\b/, 'weekly'],
  [/month|\bp\.?m\.?(?=\s|$|\))|\/mo\b|\bpcm\b|\bmo\b/, 'monthly'],
  [/year|annum|annual|\bp\.?a\.?(?=\s|$|\)|\+|,)|\/yr\b|\bpa\b|lpa|\bctc\b/, 'yearly'],
];

/** The pay period a text names, if any. */
export const periodIn = (text: string) => PERIOD_WORDS.find(([re]) => re.test(text))?.[1];

/** The currency a salary text names, if any. Order matters: "C$" and "A$" before "$". */
export function currencyIn(t: string): string | undefined {
  if (/₹|\binr\b|\brs\b|\brs\.|lpa|lakh|\blacs?\b|crore/.test(t)) return 'INR';
  if (/\bca?\$|\bcad\b/.test(t)) return 'CAD';
  if (/\ba\$|\baud\b/.test(t)) return 'AUD';
  if (/£|\bgbp\b/.test(t)) return 'GBP';
  if (/€|\beur\b/.test(t)) return 'EUR';
  if (/\$|\busd\b/.test(t)) return 'USD';
  return undefined;
}

const AMOUNT = /(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?(k\b|m\b|mn\b|lakhs?\b|lacs?\b|lpa\b|l\b|crores?\b|cr\b)?/g;

function scaled(n: number, unit: string): number {
  if (unit === 'k') return n * 1_000;
  if (unit === 'm' || unit === 'mn') return n * 1_000_000;
  if (/^(lakh|lac|lpa|l)/.test(unit)) return n * LAKH;
  if (unit.startsWith('cr')) return n * 100 * LAKH;
  return n;
}

/**
 * A range (or one figure) with the currency and period when the text says them; null when the text
 * has no figure. "up to X" gives only a maximum; "from X" a minimum equal to the maximum.
 * Amounts keep their decimals (rounding is the caller's, at storage).
 */
export function parseSalaryText(text: string): ParsedSalary | null {
  const t = text.toLowerCase().slice(0, MAX_SALARY_TEXT);
  if (isNoSalary(t)) return null;
  // Figures that are not pay: "(Glassdoor est.)" has none, but "401(k)" and "2 weeks" would mislead.
  let cleaned = t.replace(/401\s?\(?k\)?/g, ' ');
  if (currencyIn(t) === 'EUR') {
    // "€2.500,50": dots group thousands and a comma marks the decimals.
    cleaned = cleaned.replace(/(\d)\.(\d{3})(?!\d)/g, '$1$2').replace(/(\d),(\d{1,2})(?!\d)/g, '$1.$2');
  }
  const amounts = [...cleaned.matchAll(AMOUNT)].slice(0, 6).map((m) => {
    const n = Number(`${(m[1] ?? '').replace(/,/g, '')}${m[2] ?? ''}`);
    return { n, unit: m[3] ?? '', index: m.index ?? 0, end: (m.index ?? 0) + m[0].length };
  });
  // "40 hours a week, £30,000 per annum": the pay is the first figure written with a currency sign.
  const signed = amounts.findIndex((a) => /[$£€₹]/.test(cleaned.slice(Math.max(0, a.index - 2), a.index)));
  const found = signed > 0 ? amounts.slice(signed) : amounts;
  if (found.length === 0) return null;
  const first = found[0] as (typeof found)[number];
  // A second figure counts only as the other end of a range: "30 - 45", "30 to 45", "30–45".
  const second = found[1];
  const between = second ? cleaned.slice(first.end, second.index) : '';
  const isRange = second !== undefined && /^\s?[^\d\s]{0,3}\s?(?:-|–|—|to|and)\s?[^\d\s]{0,3}\s?$/.test(between);
  let min = scaled(first.n, first.unit);
  const max = isRange && second ? scaled(second.n, second.unit) : min;
  if (isRange && second && !first.unit && second.unit) {
    // "12-18 LPA", "$120-150k": the unit written once applies to both ends.
    const withUnit = scaled(first.n, second.unit);
    if (withUnit <= max) min = withUnit;
  } else if (isRange && min < 1000 && max >= 1000 && min * 1000 <= max * 1.5) {
    // "30-45000": the first end is written in thousands.
    min *= 1000;
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) return null;
  const upTo =
    !isRange && /(?:up to|upto|max(?:imum)?|under|less than)\s?[^\d\s]{0,3}\s?$/.test(cleaned.slice(0, first.index));
  const currency = currencyIn(t);
  // The period said after the pay wins ("40 hours a week, £30,000 per annum" is yearly).
  const period = periodIn(cleaned.slice(first.index)) ?? periodIn(t);
  return {
    ...(upTo ? {} : { min }),
    max,
    ...(currency ? { currency } : {}),
    ...(period ? { period } : {}),
  };
}
