import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pgliteExtensions } from '../../src/db/client.ts';
import { databaseFileStorage } from '../../src/modules/cvs/storage.ts';
import { BackupError, backup, restore } from '../../src/modules/ops/backup.ts';
import { testConfig } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createApplication, createCv, createJob, createUser } from '../helpers/factories.ts';
import { databaseUrlFor, quoteIdent, uniqueName } from '../helpers/template.ts';

type Query = (text: string) => Promise<Record<string, unknown>[]>;

/** Every table's row count and an md5 of its rows in a stable order. */
async function fingerprint(query: Query): Promise<Record<string, string>> {
  const tables = await query(
    `select schemaname, tablename from pg_tables where schemaname in ('public', 'drizzle') order by 1, 2`,
  );
  const out: Record<string, string> = {};
  for (const t of tables) {
    const name = `${quoteIdent(String(t.schemaname))}.${quoteIdent(String(t.tablename))}`;
    const [row] = await query(
      `select count(*)::int as n, coalesce(md5(string_agg(x::text, E'\\n' order by x::text)), '') as h from ${name} x`,
    );
    out[name] = `${row?.n}:${row?.h}`;
  }
  return out;
}

const template = inject('template');
const PG_BIN_DIR = '/usr/lib/postgresql/15/bin';

describe('jobr backup / jobr restore round trip', () => {
  let source: TestDatabase;
  const sourceFiles = mkdtempSync(join(tmpdir(), 'jobr-files-src-'));
  const work = mkdtempSync(join(tmpdir(), 'jobr-backup-test-'));
  const dropAfter: string[] = [];

  beforeAll(async () => {
    source = await createTestDatabase();
    const db = source.db;
    const user = await createUser(db);
    const other = await createUser(db);
    const job = await createJob(db, { title: 'Backup engineer ünïcode' });
    await createJob(db);
    await createCv(db, { userId: user.id, parsedContent: 'Line one\nLine two, with "quotes" and \\ backslash' });
    await createApplication(db, { userId: other.id, jobId: job.id });
    mkdirSync(join(sourceFiles, 'cvs'), { recursive: true });
    writeFileSync(join(sourceFiles, 'cvs', '11111111-1111-4111-8111-111111111111'), Buffer.from([0, 1, 2, 255]));
    writeFileSync(join(sourceFiles, 'cvs', '22222222-2222-4222-8222-222222222222'), 'second file');
    // A file kept in the database (STORAGE=database) travels in the dump: the table fingerprint covers it.
    await databaseFileStorage(db).put('cvs/33333333-3333-4333-8333-333333333333', Buffer.from([9, 0, 9]), user.id);
  });

  afterAll(async () => {
    await source?.close();
    if (template.kind === 'postgres' && dropAfter.length > 0) {
      const admin = new pg.Client({ connectionString: template.url });
      await admin.connect();
      for (const name of dropAfter) await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      await admin.end();
    }
  });

  function sourceConfig() {
    if (template.kind === 'postgres') {
      const url = (source.db as unknown as { $client: pg.Pool }).$client.options.connectionString as string;
      return testConfig({ DATABASE_URL: url, FILE_STORAGE_DIR: sourceFiles, PG_BIN_DIR });
    }
    return testConfig({ FILE_STORAGE_DIR: sourceFiles });
  }

  async function emptyTarget(): Promise<{
    env: Record<string, string>;
    query(): Promise<Query & { close(): Promise<void> }>;
  }> {
    const files = mkdtempSync(join(tmpdir(), 'jobr-files-dst-'));
    if (template.kind === 'postgres') {
      const name = uniqueName('jobr_restore');
      const admin = new pg.Client({ connectionString: template.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0`);
      await admin.end();
      dropAfter.push(name);
      const url = databaseUrlFor(template.url, name);
      return {
        env: { DATABASE_URL: url, FILE_STORAGE_DIR: files, PG_BIN_DIR },
        query: async () => {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          return Object.assign(async (text: string) => (await client.query(text)).rows, { close: () => client.end() });
        },
      };
    }
    const dataDir = join(mkdtempSync(join(tmpdir(), 'jobr-restore-')), 'data');
    return {
      env: { DATA_DIR: dataDir, FILE_STORAGE_DIR: files },
      query: async () => {
        const client = await PGlite.create({ dataDir, extensions: pgliteExtensions });
        return Object.assign(async (text: string) => (await client.query<Record<string, unknown>>(text)).rows, {
          close: () => client.close(),
        });
      },
    };
  }

  it('restores every table (row counts and contents) and every stored file', async () => {
    const file = join(work, 'full.jobrbackup');
    const manifest = await backup(sourceConfig(), source, file);
    expect(manifest).toMatchObject({ kind: template.kind, files: 2 });

    const target = await emptyTarget();
    const restored = await restore(testConfig(target.env), file);
    expect(restored.kind).toBe(template.kind);

    const before = await fingerprint((text) => source.superuserQuery(text));
    expect(before['"public"."users"']).toMatch(/^2:/);
    expect(before['"public"."applications"']).toMatch(/^1:/);
    expect(before['"public"."stored_files"']).toMatch(/^1:/);
    const query = await target.query();
    try {
      expect(await fingerprint(query)).toEqual(before);
    } finally {
      await query.close();
    }
    const dst = target.env.FILE_STORAGE_DIR as string;
    expect(readFileSync(join(dst, 'cvs', '11111111-1111-4111-8111-111111111111'))).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(readFileSync(join(dst, 'cvs', '22222222-2222-4222-8222-222222222222'), 'utf8')).toBe('second file');
  });

  it('refuses to overwrite a file, to restore into a non-empty target, and files that are not backups', async () => {
    const file = join(work, 'second.jobrbackup');
    await backup(sourceConfig(), source, file);
    await expect(backup(sourceConfig(), source, file)).rejects.toThrow(/exists/);

    // The source itself is not empty.
    const nonEmpty = { ...sourceConfig(), fileStorageDir: mkdtempSync(join(tmpdir(), 'jobr-files-dst-')) };
    if (template.kind === 'postgres') await expect(restore(nonEmpty, file)).rejects.toThrow(/not empty/);
    const target = await emptyTarget();
    await expect(restore(testConfig({ ...target.env, FILE_STORAGE_DIR: sourceFiles }), file)).rejects.toThrow(
      /not empty/,
    );

    const junk = join(work, 'junk.tar');
    writeFileSync(junk, 'not a tar file');
    await expect(restore(testConfig(target.env), junk)).rejects.toBeInstanceOf(BackupError);
    await expect(restore(testConfig(target.env), join(work, 'missing'))).rejects.toThrow(/does not exist/);
  });
});
