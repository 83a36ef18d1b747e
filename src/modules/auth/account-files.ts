/**
 * The stored files of an account (original CVs, data exports). Deleting the account removes the rows in
 * its transaction and these files once it has committed (issue 11, item 8).
 */
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { cvs, dataExports } from '../../db/schema/index.ts';
import type { FileStorage } from '../cvs/storage.ts';

/**
 * Every storage key the user's rows name; read inside the unit of work that deletes them. The export
 * rows are locked, pending ones too: an export build finishing meanwhile either commits its key first
 * (and is read here) or waits and finds its row gone (exports.service.ts `buildNextExport`).
 */
export async function storedFileKeys(tx: Tx, userId: string): Promise<string[]> {
  const cvKeys = await tx
    .select({ key: cvs.storageKey })
    .from(cvs)
    .where(and(eq(cvs.userId, userId), isNotNull(cvs.storageKey)));
  const exportKeys = await tx
    .select({ key: dataExports.storageKey })
    .from(dataExports)
    .where(eq(dataExports.userId, userId))
    .for('update');
  return [...cvKeys, ...exportKeys].flatMap((r) => (r.key ? [r.key] : []));
}

/** Removes the files after the rows are gone; a missing file is not an error. Returns the keys it could not remove. */
export async function removeStoredFiles(storage: FileStorage, keys: string[]): Promise<string[]> {
  const results = await Promise.allSettled(keys.map((key) => storage.delete(key)));
  return keys.filter((_, i) => results[i]?.status === 'rejected');
}
