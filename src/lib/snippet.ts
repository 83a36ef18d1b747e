/**
 * Search snippets: ts_headline marks matches with two control characters that cannot occur in stored
 * text; the snippet is then HTML-escaped and the marks become <mark></mark>, so a document's own
 * markup can never reach a browser as HTML.
 */
export const MARK_START = '\u0001';
export const MARK_END = '\u0002';

/** ts_headline options: our marks plus the given extract settings. */
export const headlineOptions = (extract: string) => `StartSel=${MARK_START}, StopSel=${MARK_END}, ${extract}`;

const escapeHtml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

export function renderSnippet(raw: string): string {
  return escapeHtml(raw).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
}
