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
  /**
   * The identifier a sign-in names (normalised e-mail address or E.164 number): shows that one user row,
   * so the lockout counter can be kept before anyone is signed in.
   */
  loginIdentifier?: string;
  /** Notes recorded by the application status trigger for a status change in this transaction. */
  statusNotes?: string;
};

/**
 * The administrator proof of each open database: the secret the process read through the owner
 * connection at start-up (src/db/admin-proof.ts). The database grants the administrator context only to
 * a transaction that presents it (`app_grant_admin`), so SQL injected as the application role, which can
 * set any setting, still cannot become administrator (docs/decisions/002-row-level-security.md).
 */
const adminProofs = new WeakMap<Db, string>();

export function registerAdminProof(db: Db, proof: string): void {
  adminProofs.set(db, proof);
}

type IdentityOptions = ContextOptions & { adminProof?: string | undefined };

/**
 * The one place that writes the row-level-security identity of a transaction: the unprivileged role and
 * the actor, set locally so they end with the transaction; an administrator actor also gets the
 * database's grant for this transaction only.
 */
export async function setIdentity(tx: Tx, actor: DbActor, options: IdentityOptions = {}): Promise<void> {
  const userId = actor.kind === 'anonymous' ? '' : (actor.userId ?? '');
  await tx.execute(sql`select
      set_config('role', 'jobr_app', true),
      set_config('app.current_user_id', ${userId}, true),
      set_config('app.credential_hash', ${options.credentialHash ?? ''}, true),
      set_config('app.login_identifier', ${options.loginIdentifier ?? ''}, true),
      set_config('app.status_notes', ${options.statusNotes ?? ''}, true)`);
  if (actor.kind === 'admin') {
    if (!options.adminProof) {
      throw new Error('No administrator proof is registered for this database (see src/db/admin-proof.ts).');
    }
    await tx.execute(sql`select app_grant_admin(${options.adminProof})`);
  }
}

/**
 * Notes for the application status trigger, for the status changes that follow in this transaction
 * (the unit of work's counterpart of `ContextOptions.statusNotes`).
 */
export async function setStatusNotes(tx: Tx, notes: string): Promise<void> {
  await tx.execute(sql`select set_config('app.status_notes', ${notes}, true)`);
}

export async function withContext<T>(
  db: Db,
  actor: DbActor,
  fn: (tx: Tx) => Promise<T>,
  options: ContextOptions = {},
): Promise<T> {
  return db.transaction(async (tx) => {
    await setIdentity(tx, actor, { ...options, adminProof: adminProofs.get(db) });
    return fn(tx);
  });
}

/**
 * A unit of work: one transaction, owned by the edge (a request, a task run, a CLI command), handed to
 * the services of one use case so that it commits or rolls back as a whole. Nothing inside it opens
 * another transaction (the embedded database has one connection: that would wait forever) or calls the
 * network; a step that must commit on its own runs before or after the unit.
 */
export type Work = {
  tx: Tx;
  actor: DbActor;
  now: Date;
  /**
   * Continues the same transaction as another actor: registration inserts the user anonymously, then
   * creates the session as that user. Only for flows that establish who the caller is.
   */
  actAs(actor: DbActor): Promise<void>;
};

/**
 * Runs one unit of work for a caller (`request.work`, or `inWork` bound to an actor): for the use cases
 * with a step that must happen outside the transaction (storing a file before, deleting it after).
 */
export type RunWork = <T>(fn: (work: Work) => Promise<T>) => Promise<T>;

export async function inWork<T>(
  db: Db,
  actor: DbActor,
  fn: (work: Work) => Promise<T>,
  options: ContextOptions = {},
): Promise<T> {
  return withContext(
    db,
    actor,
    (tx) => {
      const work: Work = {
        tx,
        actor,
        now: new Date(),
        async actAs(next) {
          // Leaving the administrator context ends the grant, not only the settings.
          if (work.actor.kind === 'admin' && next.kind !== 'admin') await tx.execute(sql`select app_drop_admin()`);
          await setIdentity(tx, next, { ...options, adminProof: adminProofs.get(db) });
          work.actor = next;
        },
      };
      return fn(work);
    },
    options,
  );
}
