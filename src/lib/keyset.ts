/**
 * Newest-first keyset pagination on (a timestamp, id), as in the design document's "Pagination
 * Strategy": the one implementation behind every list that pages this way (applications, bookmarks,
 * notifications). The cursor is opaque (lib/cursor.ts); a tampered one is a 400.
 */
import { desc, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from './cursor.ts';

const cursorSchema = z.object({ k: z.string().max(64), id: z.uuid() });

/** What a query needs: the row's key to select, the condition for rows after the cursor, the order. */
export function newestFirst(time: AnyPgColumn, id: AnyPgColumn, cursor: string | undefined) {
  const after = cursor ? decodeCursor(cursor, cursorSchema) : null;
  return {
    key: sql<string>`${time}::text`,
    after: after ? (sql`(${time}, ${id}) < (${after.k}::timestamptz, ${after.id}::uuid)` as SQL) : undefined,
    orderBy: [desc(time), desc(id)] as const,
  };
}

/** Splits `limit + 1` fetched rows into the page and the cursor of the next one (null on the last page). */
export function pageOf<R extends { key: string; id: string }>(rows: R[], limit: number) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last ? encodeCursor({ k: last.key, id: last.id }) : null };
}
