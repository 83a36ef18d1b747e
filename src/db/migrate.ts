import { fileURLToPath } from 'node:url';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { loadAdminProof } from './admin-proof.ts';
import type { Database } from './client.ts';

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/**
 * Applies the committed SQL in drizzle/ (generated + custom), each migration in a transaction.
 * Tests build their databases through this same function, never through `db:push`. The migrating
 * (owner) connection then reads the administrator proof for itself (admin-proof.ts).
 */
export async function runMigrations(database: Database): Promise<void> {
  // Both migrators accept any Drizzle PG database; the casts only pick the driver-specific signature.
  if (database.kind === 'pglite') {
    await migratePglite(database.db as Parameters<typeof migratePglite>[0], { migrationsFolder });
  } else {
    await migratePg(database.db as Parameters<typeof migratePg>[0], { migrationsFolder });
  }
  await loadAdminProof(database.db);
}
