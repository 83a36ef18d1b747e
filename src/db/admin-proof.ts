/**
 * The administrator proof (issue 11, item 18). The database keeps a secret in `app_admin_secret`, a
 * table only its owner can read; `app_grant_admin(proof)` grants the administrator context to the
 * current transaction only when given that secret. The process reads it once, through a connection
 * that may read it (the owner, or the embedded database's superuser), and keeps it in memory: SQL
 * injected as the application role can set any setting but cannot produce the secret.
 */
import { sql } from 'drizzle-orm';
import { pgError } from '../lib/db-errors.ts';
import { type Db, rowsOf } from './client.ts';
import { registerAdminProof } from './context.ts';

export class AdminProofError extends Error {
  override name = 'AdminProofError';
}

/**
 * Reads (creating it on first use) the database's administrator secret through `owner`, and registers
 * it for `app`. A database not yet migrated has no secret to read: nothing is registered, and an
 * administrator context then fails with a clear error.
 */
export async function loadAdminProof(owner: Db, app: Db = owner): Promise<void> {
  try {
    await owner.execute(sql`insert into app_admin_secret default values on conflict do nothing`);
    const [row] = rowsOf<{ secret: string }>(await owner.execute(sql`select secret from app_admin_secret`));
    if (row) registerAdminProof(app, row.secret);
  } catch (err) {
    const code = pgError(err)?.code;
    if (code === '42P01') return; // undefined_table: not migrated yet
    if (code === '42501') {
      throw new AdminProofError(
        'The database connection cannot read the administrator secret. Set MIGRATION_DATABASE_URL to the owner role: the process reads the secret through it at start-up (docs/operations.md).',
      );
    }
    throw err;
  }
}
