/**
 * Linear-time helpers for untrusted text. Trimming with a regular expression like /[.,]+$/ retries the
 * quantifier at every start position and takes quadratic time on a long run of those characters that
 * does not reach the end; a scan from each end is linear. (The ReDoS lint in `npm run check` flags the
 * regular-expression form.)
 */

/** `text` without the characters at either end for which `strip` holds. */
export function trimWhere(
  text: string,
  strip: (char: string) => boolean,
  ends: 'both' | 'start' | 'end' = 'both',
): string {
  const chars = [...text];
  let start = 0;
  let end = chars.length;
  if (ends !== 'end') while (start < end && strip(chars[start] as string)) start++;
  if (ends !== 'start') while (end > start && strip(chars[end - 1] as string)) end--;
  return chars.slice(start, end).join('');
}

/** A test for `trimWhere` from a set of characters: `oneOf('.,')`. */
export const oneOf =
  (set: string) =>
  (char: string): boolean =>
    set.includes(char);
