/**
 * Posting dates as job files write them: ISO ("2025-03-04", "2025-03-04T10:00:00Z", "2024-07"),
 * US ("3/4/2025"), day-first ("04/03/2025" with `dayfirst`, or when the first number cannot be a
 * month), relative ("3 days ago", "30+ days ago", "today", "yesterday") and written-out
 * ("Mar 4, 2025", "4 March 2025"). Patterns are anchored and bounded (linear-time).
 */

export type DateOptions = { dayfirst?: boolean | undefined; now?: Date | undefined };

const DAY_MS = 86_400_000;
const UNIT_MS: Record<string, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: DAY_MS,
  week: 7 * DAY_MS,
  month: 30 * DAY_MS,
  year: 365 * DAY_MS,
};

function utcDate(year: number, month: number, day: number): Date | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 ? d : undefined;
}

/** The date a text names, or undefined when it names none. */
export function parseDate(raw: string, options: DateOptions = {}): Date | undefined {
  const text = raw.trim().toLowerCase().slice(0, 64);
  const now = options.now ?? new Date();
  if (text === 'today' || text === 'just posted' || text === 'new') return now;
  if (text === 'yesterday') return new Date(now.getTime() - DAY_MS);
  const relative = /^(?:posted\s)?(\d{1,4})\+?\s?(minute|hour|day|week|month|year)s?\sago$/.exec(text);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * (UNIT_MS[relative[2] as string] ?? DAY_MS));
  const iso = /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[t\s][\d:.]{4,15}(?:z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (iso) {
    if (iso[3] === undefined) return utcDate(Number(iso[1]), Number(iso[2]), 1);
    const full = Date.parse(raw.trim());
    return Number.isFinite(full) ? new Date(full) : utcDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  }
  const numeric = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(text);
  if (numeric) {
    const [a, b] = [Number(numeric[1]), Number(numeric[2])];
    let year = Number(numeric[3]);
    if (year < 100) year += year < 70 ? 2000 : 1900;
    const dayFirst = options.dayfirst || a > 12 || numeric[0].includes('.');
    return dayFirst ? utcDate(year, b, a) : utcDate(year, a, b);
  }
  if (/^[a-z0-9 ,.]{6,40}$/.test(text) && /[a-z]{3}/.test(text) && /\d{4}/.test(text)) {
    const parsed = Date.parse(`${raw.trim()} UTC`);
    if (Number.isFinite(parsed)) return new Date(parsed);
  }
  return undefined;
}
