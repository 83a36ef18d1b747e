/**
 * Credentials that outlive a session: API keys. A password reset and "sign out everywhere" end them
 * together with the sessions (issue 11, item 5); a password change does when asked to.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { apiKeys } from '../../db/schema/index.ts';

/** Revokes (deletes) every API key of the user, in the caller's unit of work; returns how many. */
export async function revokeApiKeys(tx: Tx, userId: string): Promise<number> {
  const deleted = await tx.delete(apiKeys).where(eq(apiKeys.userId, userId)).returning({ id: apiKeys.id });
  return deleted.length;
}
