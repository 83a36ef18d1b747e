/**
 * The seeker's data, as a ZIP (GDPR articles 15 and 20). Requested with POST /me/exports, built by the
 * `exports` task, downloaded from GET /me/exports/{id}/download, deleted after EXPORT_TTL_DAYS.
 *
 * What is in it is found, not listed: every table with a `user_id` column (so a table added later is
 * exported without anyone remembering to), the account row itself, and the rows that hang off the
 * user's applications (their status history, live and archived). Secrets never leave: password, session,
 * key and token hashes are dropped. The original CV files are added under cvs/. Format: README.txt,
 * data/<table>.json (an array of rows, columns as in the database), cvs/<cv id>-<file name>.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { type Db, rowsOf, type Tx } from '../../db/client.ts';
import { systemActor, withContext } from '../../db/context.ts';
import { dataExports } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { type ZipEntry, zip } from '../../lib/zip.ts';
import { enqueue } from '../../tasks/queue.ts';
import type { FileStorage } from '../cvs/storage.ts';
import { exportsTask } from './exports.task.ts';

export const EXPORT_TTL_DAYS = 7;
export const EXPORT_FORMAT_VERSION = 1;
const SECRET_COLUMNS = new Set(['password_hash', 'key_hash', 'session_token', 'token_hash', 'storage_key']);
/** Rows owned through an application rather than a user_id column. */
const THROUGH_APPLICATIONS = [
  ['application_status_history', 'applications'],
  ['application_status_history_archive', 'applications_archive'],
] as const;

const columns = {
  id: dataExports.id,
  status: dataExports.status,
  sizeBytes: dataExports.sizeBytes,
  createdAt: dataExports.createdAt,
  readyAt: dataExports.readyAt,
  expiresAt: dataExports.expiresAt,
};

/** Asks for an export; while one is still being built, that one is returned instead of a second. */
export async function requestExport(tx: Tx, userId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('data_exports'), hashtext(${userId}))`);
  const [pending] = await tx
    .select(columns)
    .from(dataExports)
    .where(and(eq(dataExports.userId, userId), eq(dataExports.status, 'pending')));
  if (pending) return pending;
  const [row] = await tx.insert(dataExports).values({ userId }).returning(columns);
  if (!row) throw new Error('export not created');
  // Built as soon as this request commits; the every-minute schedule is the safety net.
  await enqueue(tx, exportsTask, undefined);
  return row;
}

export async function listExports(tx: Tx, userId: string) {
  return tx
    .select(columns)
    .from(dataExports)
    .where(eq(dataExports.userId, userId))
    .orderBy(desc(dataExports.createdAt))
    .limit(20);
}

export async function getExport(tx: Tx, userId: string, id: string) {
  const [row] = await tx
    .select({ ...columns, storageKey: dataExports.storageKey })
    .from(dataExports)
    .where(and(eq(dataExports.id, id), eq(dataExports.userId, userId)));
  if (!row) throw new AppError('EXPORT_NOT_FOUND');
  return row;
}

type Table = { table: string };

/** Every row Jobr holds about the user, table by table, secrets removed. */
export async function collectUserData(tx: Tx, userId: string): Promise<Record<string, unknown[]>> {
  const data: Record<string, unknown[]> = {};
  const clean = (rows: Record<string, unknown>[]) =>
    rows.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !SECRET_COLUMNS.has(k))));
  data.users = clean(rowsOf(await tx.execute(sql`select * from users where id = ${userId}`)));
  const tables = rowsOf<Table>(
    await tx.execute(sql`select c.table_name as "table" from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and c.column_name = 'user_id' and t.table_type = 'BASE TABLE'
      order by 1`),
  );
  for (const { table } of tables) {
    data[table] = clean(
      rowsOf(await tx.execute(sql`select * from ${sql.identifier(table)} where user_id = ${userId}`)),
    );
  }
  for (const [table, parent] of THROUGH_APPLICATIONS) {
    data[table] = rowsOf(
      await tx.execute(sql`select h.* from ${sql.identifier(table)} h
        join ${sql.identifier(parent)} a on a.id = h.application_id where a.user_id = ${userId}
        order by h.created_at`),
    );
  }
  // The jobs the user tracks (issue 15) are theirs through `owner_user_id`, in the jobs table; the
  // search vector is derived from the other columns.
  data.tracked_jobs = rowsOf<Record<string, unknown>>(
    await tx.execute(sql`select * from jobs where owner_user_id = ${userId} order by first_seen_at, id`),
  ).map(({ search_vector: _vector, ...row }) => row);
  return data;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

const README = (userId: string, at: Date) => `Your data from Jobr
====================

Exported ${at.toISOString()} for account ${userId}. Format version ${EXPORT_FORMAT_VERSION}.

data/<table>.json  every row Jobr holds about you, one file per database table, as an array of
                   objects whose keys are the table's columns (see docs/schema-notes.md in the
                   Jobr repository for what each column means). Password, session, API-key and
                   token hashes are never exported.
data/tracked_jobs.json  the jobs you added to track (found elsewhere), columns as in the jobs table.
cvs/               the original files of your CVs, as you uploaded them.
`;

/**
 * Builds the oldest pending export, if any; returns whether one was built. The data is read in one
 * transaction, the file written outside it. Two processes may build the same export at once: the file
 * name is the export's id, so the second build overwrites the first with the same content.
 */
export async function buildNextExport(db: Db, storage: FileStorage, now: Date): Promise<boolean> {
  const claimed = await withContext(db, systemActor, async (tx) => {
    const [row] = rowsOf<{ id: string; user_id: string }>(
      await tx.execute(sql`select id, user_id from data_exports where status = 'pending'
        order by created_at limit 1 for update skip locked`),
    );
    if (!row) return null;
    const data = await collectUserData(tx, row.user_id);
    const cvs = data.cvs as Array<{ id: string; file_name: string }>;
    const keys = rowsOf<{ id: string; storage_key: string | null }>(
      await tx.execute(sql`select id, storage_key from cvs where user_id = ${row.user_id}`),
    );
    return { ...row, data, cvs, keys };
  });
  if (!claimed) return false;
  const entries: ZipEntry[] = [{ name: 'README.txt', data: Buffer.from(README(claimed.user_id, now)) }];
  for (const [table, rows] of Object.entries(claimed.data)) {
    entries.push({ name: `data/${table}.json`, data: Buffer.from(JSON.stringify(rows, null, 2)) });
  }
  for (const cv of claimed.cvs) {
    const key = claimed.keys.find((k) => k.id === cv.id)?.storage_key;
    if (!key) continue;
    const safeName = cv.file_name.replace(/[^\w.-]+/g, '_').slice(0, 100);
    entries.push({ name: `cvs/${cv.id}-${safeName}`, data: await readAll(storage.get(key)) });
  }
  const archive = zip(entries);
  const storageKey = `exports/${claimed.id}`;
  await storage.delete(storageKey);
  try {
    await storage.put(storageKey, archive, claimed.user_id);
  } catch (err) {
    // Stored in the database, a file names its owner: an account deleted meanwhile refuses it (a foreign
    // key), and there is nothing left to build for.
    if ((err as { cause?: { code?: string } }).cause?.code === '23503' || (err as { code?: string }).code === '23503')
      return true;
    throw err;
  }
  // The account may have been deleted while the file was built (issue 11, item 8): its deletion read
  // the export's key (none yet) under a row lock (account-files.ts), so this update either waits for it
  // and finds the row gone, or commits first and the deletion then sees the key and removes the file.
  const outcome = await withContext(db, systemActor, async (tx) => {
    const [marked] = await tx
      .update(dataExports)
      .set({
        status: 'ready',
        storageKey,
        sizeBytes: archive.length,
        readyAt: now,
        expiresAt: new Date(now.getTime() + EXPORT_TTL_DAYS * 86_400_000),
      })
      .where(and(eq(dataExports.id, claimed.id), eq(dataExports.status, 'pending')))
      .returning({ id: dataExports.id });
    if (marked) return 'ready';
    // Not pending: another build finished it (same file, keep it), or the row is gone with its account.
    const [row] = await tx.select({ id: dataExports.id }).from(dataExports).where(eq(dataExports.id, claimed.id));
    return row ? 'built elsewhere' : 'gone';
  });
  if (outcome === 'gone') await storage.delete(storageKey);
  return true;
}

/** Deletes expired exports, their files first. */
export async function deleteExpiredExports(db: Db, storage: FileStorage, now: Date): Promise<number> {
  const expired = await withContext(db, systemActor, async (tx) =>
    rowsOf<{ id: string; storage_key: string | null }>(
      await tx.execute(
        sql`select id, storage_key from data_exports where expires_at < ${now.toISOString()}::timestamptz`,
      ),
    ),
  );
  for (const e of expired) if (e.storage_key) await storage.delete(e.storage_key);
  if (expired.length > 0) {
    await withContext(db, systemActor, (tx) =>
      tx.execute(
        sql`delete from data_exports where id in (${sql.join(
          expired.map((e) => sql`${e.id}::uuid`),
          sql`, `,
        )})`,
      ),
    );
  }
  return expired.length;
}
