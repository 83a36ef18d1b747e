/**
 * "Did you mean": when a text search finds nothing, each query word the catalogue's vocabulary does not
 * know is replaced by the most similar word it does know (pg_trgm trigram similarity).
 *
 * The vocabulary (`job_words`) holds the words of job titles, companies and skills, added by every job
 * write (imports and the API) and never removed: descriptions are left out so that it stays small (tens of
 * thousands of words at a million jobs) and free of their typos. It runs only for a search with 0 results.
 */
import { sql } from 'drizzle-orm';
import { type Db, rowsOf, type Tx } from '../../db/client.ts';

/** Words of 3 to 40 letters (digits, +, # allowed after the first): what a suggestion may offer. */
const WORD = /\p{L}[\p{L}\p{N}+#]{2,39}/gu;
/** At most this many query words are looked up. */
const MAX_QUERY_WORDS = 6;
/** pg_trgm's default (0.3) misses two swapped letters in a six-letter word ("pyhton"). */
const SIMILARITY = 0.2;

export function vocabularyOf(texts: Array<string | null | undefined>): string[] {
  const words = new Set<string>();
  for (const text of texts) for (const match of (text ?? '').toLowerCase().matchAll(WORD)) words.add(match[0]);
  return [...words];
}

/** Adds words to the vocabulary (in the caller's transaction: administrator context, or the owner). */
export async function addWords(tx: Tx | Db, words: string[]): Promise<void> {
  if (words.length === 0) return;
  // One JSON parameter, not a list of values (PGlite and a few thousand parameters, issue 11).
  await tx.execute(
    sql`insert into job_words (word) select w from json_array_elements_text(${JSON.stringify(words)}::json) as w on conflict do nothing`,
  );
}

/** The query with its unknown words replaced by the nearest known ones, or null when there is nothing to offer. */
export async function suggestQuery(db: Db, q: string): Promise<string | null> {
  const words = [...new Set(q.toLowerCase().match(WORD) ?? [])].slice(0, MAX_QUERY_WORDS);
  if (words.length === 0) return null;
  // similarity() rather than the `%` operator: `%` reads its threshold from a setting, which would need
  // a transaction of its own; the vocabulary is small enough (words of titles, companies and skills) to
  // be read whole on the rare search that finds nothing.
  const rows = rowsOf<{ w: string; best: string | null }>(
    // Known words, and words the text search ignores anyway ("this", "and"), are kept as typed.
    await db.execute(sql`select q.w, case when exists (select 1 from job_words where word = q.w)
        or numnode(plainto_tsquery('english', q.w)) = 0 then null else
        (select word from job_words where similarity(word, q.w) >= ${SIMILARITY}
          order by similarity(word, q.w) desc, word limit 1) end as best
      from json_array_elements_text(${JSON.stringify(words)}::json) as q(w)`),
  );
  const replacements = new Map(rows.filter((r) => r.best && r.best !== r.w).map((r) => [r.w, r.best as string]));
  if (replacements.size === 0) return null;
  return q.replace(WORD, (word) => replacements.get(word.toLowerCase()) ?? word);
}
