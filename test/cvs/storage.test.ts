/**
 * The database file store (STORAGE=database): the same three calls as the disk store, bytes kept exactly,
 * row-level security like the rows that name the files, and the files go with their owner's account.
 */
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.ts';
import { inWork } from '../../src/db/context.ts';
import { databaseFileStorage, type FileStorage } from '../../src/modules/cvs/storage.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createUser } from '../helpers/factories.ts';

let database: TestDatabase;
let storage: FileStorage;
beforeAll(async () => {
  database = await createTestDatabase();
  storage = databaseFileStorage(database.db);
});
afterAll(async () => database?.close());

const read = async (key: string) => Buffer.concat(await storage.get(key).toArray());

describe('database file storage', () => {
  it('gives back exactly the bytes stored, with their size and SHA-256, and forgets them on delete', async () => {
    const owner = await createUser(database.db);
    const bytes = Buffer.from([0, 255, 1, 254, ...Buffer.from('%PDF-1.7 ünïcode')]);
    const key = `cvs/${randomUUID()}`;
    await storage.put(key, bytes, owner.id);
    expect((await read(key)).equals(bytes)).toBe(true);
    const [row] = await database.superuserQuery<{ size_bytes: number; sha256: string; owner_id: string }>(
      'select size_bytes, sha256, owner_id from stored_files where key = $1',
      [key],
    );
    expect(row).toEqual({
      size_bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      owner_id: owner.id,
    });
    await storage.delete(key);
    await storage.delete(key); // deleting a missing file is not an error
    await expect(read(key)).rejects.toThrow(/no stored file/);
  });

  it('refuses a key it did not generate and a second file under the same key', async () => {
    const owner = await createUser(database.db);
    await expect(storage.put('../etc/passwd', Buffer.from('x'), owner.id)).rejects.toThrow(/unsafe storage key/);
    const key = `exports/${randomUUID()}`;
    await storage.put(key, Buffer.from('first'), owner.id);
    await expect(storage.put(key, Buffer.from('second'), owner.id)).rejects.toThrow();
    expect((await read(key)).toString()).toBe('first');
  });

  it("shows a user their own files' rows only, and removes them with the account", async () => {
    const [a, b] = [await createUser(database.db), await createUser(database.db)];
    const key = `cvs/${randomUUID()}`;
    await storage.put(key, Buffer.from('private'), a.id);
    const visibleTo = async (userId: string) =>
      rowsOf<{ n: number }>(
        await inWork(database.db, { kind: 'user', userId }, (w) =>
          w.tx.execute(sql`select count(*)::int as n from stored_files where key = ${key}`),
        ),
      )[0]?.n;
    expect(await visibleTo(a.id)).toBe(1);
    expect(await visibleTo(b.id)).toBe(0);
    await database.superuserQuery('delete from users where id = $1', [a.id]);
    expect(await database.superuserQuery('select 1 from stored_files where key = $1', [key])).toHaveLength(0);
  });
});
