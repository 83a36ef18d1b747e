import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';

/**
 * Serialises billing changes that concern one key (a Stripe customer, a PhonePe order) until the
 * transaction ends: two webhooks for the same subscription apply one after the other, and the later
 * one re-reads the provider after the earlier one committed.
 */
export async function lockKey(tx: Tx, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`billing:${key}`}))`);
}
