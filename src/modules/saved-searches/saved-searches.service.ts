/**
 * Saved searches: a seeker keeps a job search (the parameters GET /jobs takes) and chooses how often to
 * hear about new matches. Unsubscribe links carry an HMAC of the search's id, so they work without
 * signing in and cannot be made for someone else's search.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { type AlertFrequency, savedSearches } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { type JobSearchQuery, jobSearchQuery } from '../jobs/jobs.schemas.ts';

export const MAX_SAVED_SEARCHES = 50;

/** The parameters a saved search keeps: everything GET /jobs filters on, not its paging or sort. */
const SAVED_KEYS = [
  'q',
  'location',
  'remote',
  'currency',
  'salaryMin',
  'salaryMax',
  'experienceLevel',
  'jobType',
  'requirements',
  'requirementsMode',
  'categoryId',
] as const;

type StoredQuery = Partial<Record<(typeof SAVED_KEYS)[number], unknown>>;

/** Validates a search as GET /jobs would; keeps the saved keys only. Issues are reported under `query`. */
export function parseSavedQuery(raw: Record<string, unknown>): StoredQuery {
  const unknown = Object.keys(raw).filter((k) => !(SAVED_KEYS as readonly string[]).includes(k));
  const parsed = jobSearchQuery.safeParse({ ...raw, facets: 'false' });
  const issues = [
    ...unknown.map((k) => ({ path: `query.${k}`, message: 'Not a search filter that can be saved.' })),
    ...(parsed.success
      ? []
      : parsed.error.issues.map((i) => ({ path: ['query', ...i.path].join('.'), message: i.message }))),
  ];
  if (issues.length > 0) throw new AppError('VALIDATION_FAILED', { details: issues });
  return Object.fromEntries(SAVED_KEYS.filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]]));
}

/** The stored parameters as a search to run. */
export function searchOf(query: Record<string, unknown>, limit: number): JobSearchQuery {
  return jobSearchQuery.parse({ ...query, limit, facets: 'false', sort: 'newest' });
}

const columns = {
  id: savedSearches.id,
  name: savedSearches.name,
  query: savedSearches.query,
  frequency: savedSearches.frequency,
  createdAt: savedSearches.createdAt,
  updatedAt: savedSearches.updatedAt,
};

export async function listSavedSearches(tx: Tx, userId: string) {
  return tx
    .select(columns)
    .from(savedSearches)
    .where(eq(savedSearches.userId, userId))
    .orderBy(asc(savedSearches.createdAt), asc(savedSearches.id));
}

export async function getSavedSearch(tx: Tx, userId: string, id: string) {
  const [row] = await tx
    .select(columns)
    .from(savedSearches)
    .where(and(eq(savedSearches.id, id), eq(savedSearches.userId, userId)));
  if (!row) throw new AppError('SAVED_SEARCH_NOT_FOUND');
  return row;
}

export type SaveSearch = { name: string; query: Record<string, unknown>; frequency: AlertFrequency };

const lockUser = (userId: string) => sql`select pg_advisory_xact_lock(hashtext('saved_searches'), hashtext(${userId}))`;

export async function createSavedSearch(tx: Tx, userId: string, input: SaveSearch) {
  const query = parseSavedQuery(input.query);
  // Serialise creations per user so the cap holds under parallel requests.
  await tx.execute(lockUser(userId));
  const [{ n } = { n: 0 }] = await tx
    .select({ n: count() })
    .from(savedSearches)
    .where(eq(savedSearches.userId, userId));
  if (Number(n) >= MAX_SAVED_SEARCHES) {
    throw new AppError('SAVED_SEARCH_LIMIT', { details: { limit: MAX_SAVED_SEARCHES } });
  }
  const [row] = await tx
    .insert(savedSearches)
    .values({ userId, name: input.name, query, frequency: input.frequency })
    .returning(columns);
  if (!row) throw new Error('saved search not created');
  return row;
}

export async function updateSavedSearch(tx: Tx, userId: string, id: string, changes: Partial<SaveSearch>) {
  const set = {
    ...(changes.name !== undefined ? { name: changes.name } : {}),
    ...(changes.frequency !== undefined ? { frequency: changes.frequency } : {}),
    ...(changes.query !== undefined ? { query: parseSavedQuery(changes.query) } : {}),
  };
  const [row] = await tx
    .update(savedSearches)
    .set(set)
    .where(and(eq(savedSearches.id, id), eq(savedSearches.userId, userId)))
    .returning(columns);
  if (!row) throw new AppError('SAVED_SEARCH_NOT_FOUND');
  return row;
}

export async function deleteSavedSearch(tx: Tx, userId: string, id: string): Promise<void> {
  const deleted = await tx
    .delete(savedSearches)
    .where(and(eq(savedSearches.id, id), eq(savedSearches.userId, userId)))
    .returning({ id: savedSearches.id });
  if (deleted.length === 0) throw new AppError('SAVED_SEARCH_NOT_FOUND');
}

// ---- Unsubscribe links -------------------------------------------------------------------------

const signature = (id: string, secret: string) =>
  createHmac('sha256', secret).update(`saved-search-unsubscribe:${id}`).digest('base64url');

/** `<id>.<hmac>`: proves the link was made by this server for this search. */
export const unsubscribeToken = (id: string, secret: string) => `${id}.${signature(id, secret)}`;

/** The saved search a token names, or null when the token is malformed or forged. */
export function verifyUnsubscribeToken(token: string, secret: string): string | null {
  const [id, mac] = token.split('.');
  if (!id || !mac || !/^[0-9a-f-]{36}$/.test(id)) return null;
  const expected = Buffer.from(signature(id, secret));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}

/** Turns the search's alerts off (system context: the token is the authority). Idempotent. */
export async function unsubscribe(tx: Tx, id: string): Promise<{ name: string } | null> {
  const [row] = await tx
    .update(savedSearches)
    .set({ frequency: 'off' })
    .where(eq(savedSearches.id, id))
    .returning({ name: savedSearches.name });
  return row ?? null;
}
