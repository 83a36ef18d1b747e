/** Helpers that need the browser's DOM (kept apart from format.ts, which also runs in Node tests). */

/** A description (plain text or sanitised HTML from an import) as paragraphs of plain text. */
export function descriptionParagraphs(description: string): string[] {
  const withBreaks = description
    .replace(/<\s*(br|\/p|\/li|\/h[1-6]|\/div)\s*\/?>/gi, '\n')
    .replace(/<\s*li[^>]*>/gi, '\n• ');
  const doc = new DOMParser().parseFromString(withBreaks, 'text/html');
  const text = doc.body.textContent ?? '';
  return text
    .split(/\n\s*\n|\n(?=• )/)
    .map((p) => p.trim())
    .filter(Boolean);
}
