/**
 * Which jobs a caller may see (issue 15, decision 026). `jobs` holds the public catalogue and the jobs
 * seekers track for themselves (`owner_user_id` set). The table has no row-level security (it would
 * blind the planner for `@@` and LIKE, decision 004 and migration 0008), so every read of `jobs` goes
 * through one of these conditions:
 *
 * - the catalogue (search, facets, alerts, "jobs for me", the public job page): `owner_user_id IS NULL`,
 *   a plain column test the planner estimates from the column's null fraction, so catalogue plans keep
 *   their indexes and shape;
 * - one job by id for a caller (job page, applying, bookmarks, match, cover letters): the catalogue or
 *   the caller's own tracked jobs. Anyone else's tracked job is "no such job" (404), like an unknown id.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { DbActor } from '../../db/context.ts';

/** Catalogue rows only, for a query that names the table `alias` (search uses `j`). */
export const inCatalogue = (alias: string): SQL => sql`${sql.identifier(alias)}.owner_user_id is null`;

/** Catalogue rows and `userId`'s own tracked jobs (catalogue only when there is no user). */
export const readableBy = (alias: string, userId: string | null): SQL =>
  userId === null
    ? inCatalogue(alias)
    : sql`(${inCatalogue(alias)} or ${sql.identifier(alias)}.owner_user_id = ${userId})`;

/** The user behind an actor, if any (system tasks and anonymous callers have none). */
export const actorUserId = (actor: DbActor): string | null => (actor.kind === 'anonymous' ? null : actor.userId);
