/** Display helpers: salaries in their own currency and period, dates, and the search snippet. */

const PERIOD: Record<string, string> = {
  hourly: 'an hour',
  daily: 'a day',
  monthly: 'a month',
  yearly: 'a year',
};

type Salary = { salaryMin: number | null; salaryMax: number | null; salaryCurrency: string; salaryPeriod: string };

function lakhs(amount: number): string {
  if (amount >= 10_000_000) {
    const crore = amount / 10_000_000;
    return `${trim(crore)} crore`;
  }
  return `${trim(amount / 100_000)} lakh`;
}

function trim(n: number): string {
  return n.toFixed(n < 10 ? 1 : 0).replace(/\.0$/, '');
}

/**
 * "₹12–18 lakh per annum" for yearly INR (how salaries are quoted in India), "₹45,000–60,000 a month"
 * with Indian digit grouping for other INR periods, "$120,000–$150,000 a year" elsewhere.
 */
export function formatSalary(job: Salary): string | null {
  const { salaryMin: min, salaryMax: max, salaryCurrency: currency, salaryPeriod: period } = job;
  if (min === null && max === null) return null;
  if (currency === 'INR' && period === 'yearly') {
    const lo = min !== null ? lakhs(min) : null;
    const hi = max !== null ? lakhs(max) : null;
    let range: string;
    if (lo && hi) {
      const [loN, loU] = splitUnit(lo);
      const [hiN, hiU] = splitUnit(hi);
      range = loU === hiU ? (loN === hiN ? `₹${hi}` : `₹${loN}–${hiN} ${hiU}`) : `₹${lo} – ₹${hi}`;
    } else range = lo ? `from ₹${lo}` : `up to ₹${hi}`;
    return `${range} per annum`;
  }
  const locale = currency === 'INR' ? 'en-IN' : 'en';
  const fmt = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 });
  const per = PERIOD[period] ?? period;
  if (min !== null && max !== null)
    return min === max ? `${fmt.format(min)} ${per}` : `${fmt.format(min)}–${fmt.format(max)} ${per}`;
  if (min !== null) return `from ${fmt.format(min)} ${per}`;
  return `up to ${fmt.format(max ?? 0)} ${per}`;
}

function splitUnit(s: string): [string, string] {
  const i = s.indexOf(' ');
  return [s.slice(0, i), s.slice(i + 1)];
}

export function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}

export function daysAgo(iso: string, now = Date.now()): string {
  const days = Math.floor((now - new Date(iso).getTime()) / 86_400_000);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 30) return `${days} days ago`;
  return formatDate(iso);
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#x27;': "'",
};

/**
 * The API's snippet is HTML-escaped text whose only tags are <mark></mark>. It is split into plain
 * text parts and marked parts, never given to innerHTML.
 */
export function snippetParts(snippet: string): Array<{ text: string; marked: boolean }> {
  const parts: Array<{ text: string; marked: boolean }> = [];
  let marked = false;
  for (const piece of snippet.split(/(<\/?mark>)/)) {
    if (piece === '<mark>') marked = true;
    else if (piece === '</mark>') marked = false;
    else if (piece)
      parts.push({ text: piece.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (m) => ENTITIES[m] ?? m), marked });
  }
  return parts;
}

export const LABELS: Record<string, string> = {
  'full-time': 'Full-time',
  'part-time': 'Part-time',
  contract: 'Contract',
  internship: 'Internship',
  freelance: 'Freelance',
  junior: 'Junior',
  mid: 'Mid-level',
  senior: 'Senior',
  executive: 'Executive',
  true: 'Remote',
  false: 'On site',
  submitted: 'Submitted',
  reviewing: 'Reviewing',
  interview: 'Interview',
  offer: 'Offer',
  rejected: 'Rejected',
  accepted: 'Accepted',
  withdrawn: 'Withdrawn',
};

export const label = (v: string) => LABELS[v] ?? v;
