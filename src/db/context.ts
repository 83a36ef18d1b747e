/**
 * Every request touches user data inside `withContext`: one transaction that runs as the
 * unprivileged `jobr_app` role with the caller's identity set *locally* (set_config(..., true)),
 * so row-level security applies and nothing survives into the next use of a pooled connection.
 */
import { sql } from 'drizzle-orm';
import type { Db, Tx } from './client.ts';

export type DbActor =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string }
  /** Administrators and system tasks: explicit, never a default. */
  | { kind: 'admin'; userId: string | null };

export const anonymous: DbActor = { kind: 'anonymous' };
export const systemActor: DbActor = { kind: 'admin', userId: null };

export type ContextOptions = {
  /** Hash of a presented credential (session token, API key): lets authentication find that one row. */
  credentialHash?: string;
  /** Notes recorded by the application status trigger for a status change in this transaction. */
  statusNotes?: string;
};

export async function withContext<T>(
  db: Db,
  actor: DbActor,
  fn: (tx: Tx) => Promise<T>,
  options: ContextOptions = {},
): Promise<T> {
  const userId = actor.kind === 'anonymous' ? '' : (actor.userId ?? '');
  const isAdmin = actor.kind === 'admin' ? 'on' : '';
  return db.transaction(async (tx) => {
    await tx.execute(sql`select
      set_config('role', 'jobr_app', true),
      set_config('app.current_user_id', ${userId}, true),
      set_config('app.is_admin', ${isAdmin}, true),
      set_config('app.credential_hash', ${options.credentialHash ?? ''}, true),
      set_config('app.status_notes', ${options.statusNotes ?? ''}, true)`);
    return fn(tx);
  });
}
