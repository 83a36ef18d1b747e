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

/**
 * Skills named mostly by symbols. The text parser reads "C++" as 'c' in a document, so ts_headline
 * cannot mark them; when the query names one, its literal occurrences in the snippet are marked here.
 */
const SYMBOL_SKILLS: Array<[RegExp, RegExp]> = [
  [/(?:^|[^a-z0-9])c\+\+/i, /(?<![A-Za-z0-9])C\+\+/gi],
  [/(?:^|[^a-z0-9])c#/i, /(?<![A-Za-z0-9])C#(?![A-Za-z0-9])/gi],
  [/(?:^|[^a-z0-9])f#/i, /(?<![A-Za-z0-9])F#(?![A-Za-z0-9])/gi],
  [/\.net(?![a-z0-9])/i, /(?<![A-Za-z0-9])\.NET(?![A-Za-z0-9])/gi],
  [/node\.?js/i, /(?<![A-Za-z0-9])Node\.?js(?![A-Za-z0-9])/gi],
];

/**
 * The snippet as safe HTML: escaped, with ts_headline's marks (and the query's symbol-named skills,
 * when `query` is given) as <mark></mark>.
 */
export function renderSnippet(raw: string, query?: string): string {
  let html = escapeHtml(raw);
  if (query) {
    const q = query.slice(0, 500);
    for (const [inQuery, inText] of SYMBOL_SKILLS) {
      if (inQuery.test(q)) html = html.replace(inText, (m) => `${MARK_START}${m}${MARK_END}`);
    }
  }
  return html.replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
}
