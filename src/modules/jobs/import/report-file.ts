/** The full report of an import (every warning and rejection) as CSV or NDJSON lines: CLI `--report` and the API. */
import type { RowIssue } from './prepare.ts';

export const REPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const CSV_REPORT_HEADER = 'line,kind,field,value,reason\n';

/**
 * One CSV cell. Values come from imported files: one that a spreadsheet would run as a formula
 * (=, +, @, or - before a non-digit) is prefixed with an apostrophe; "-1" stays a number.
 */
function cell(v: string | number | undefined): string {
  let text = v === undefined ? '' : String(v);
  if (/^(?:[=+@\t\r]|-[^\d.])/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function reportLine(issue: RowIssue, format: ReportFormat): string {
  if (format === 'ndjson') return `${JSON.stringify(issue)}\n`;
  return `${[issue.line, issue.kind, issue.field, issue.value, issue.reason].map(cell).join(',')}\n`;
}
