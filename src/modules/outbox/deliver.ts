/**
 * Delivering the outbox: claim due messages (a short transaction that leases them), send each with no
 * transaction open, then record each outcome (another short transaction) with retries and backoff.
 * Nothing holds a row lock while a transport talks to the network. A lease that runs out (the process
 * died between claim and record) makes the message due again: delivery is at least once, and a message
 * already recorded as sent is never claimed again.
 */
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { systemActor, withContext } from '../../db/context.ts';
import { outboxMessages } from '../../db/schema/index.ts';
import type { Transports } from './transports.ts';

export const MAX_DELIVERY_ATTEMPTS = 6; // 1, 2, 4, 8, 16 minutes apart: about half an hour in all
const BATCH = 50;
/** How long a claimed message is withheld from other workers: longer than a batch of sends can take. */
export const CLAIM_LEASE_MS = 15 * 60_000;
/** Tolerated clock difference between a worker and the database when delivering a named message. */
const CLOCK_SKEW_MS = 5_000;
const DELIVERED = '[delivered; body cleared]';

export type DeliveryReport = { sent: number; stored: number; retrying: number; failed: number };
type Message = typeof outboxMessages.$inferSelect;

/** Claims due pending messages (all due ones, or only `ids`) by moving their next attempt past the lease. */
async function claim(db: Db, now: Date, ids?: string[]): Promise<Message[]> {
  return withContext(db, systemActor, async (tx) => {
    // SKIP LOCKED: several workers can claim at once without claiming the same message.
    const due = await tx
      .select({ id: outboxMessages.id })
      .from(outboxMessages)
      .where(
        and(
          eq(outboxMessages.status, 'pending'),
          // A message enqueued a moment ago is due even if this worker's clock is a little behind the database's.
          lte(outboxMessages.nextAttemptAt, ids ? new Date(now.getTime() + CLOCK_SKEW_MS) : now),
          ids ? inArray(outboxMessages.id, ids) : undefined,
        ),
      )
      .orderBy(asc(outboxMessages.nextAttemptAt))
      .limit(BATCH)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(outboxMessages)
      .set({ nextAttemptAt: new Date(now.getTime() + CLAIM_LEASE_MS) })
      .where(
        inArray(
          outboxMessages.id,
          due.map((d) => d.id),
        ),
      )
      .returning();
  });
}

export async function deliverOutbox(
  db: Db,
  transports: Transports,
  now = new Date(),
  ids?: string[],
): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, stored: 0, retrying: 0, failed: 0 };
  const claimed = await claim(db, now, ids);
  for (const message of claimed) {
    const transport = message.channel === 'email' ? transports.email : transports.sms;
    const set = await attempt(transport, message, now); // no transaction open here
    report[set.status === 'pending' ? 'retrying' : (set.status as 'sent' | 'stored' | 'failed')]++;
    await withContext(db, systemActor, (tx) =>
      tx
        .update(outboxMessages)
        .set(set)
        .where(and(eq(outboxMessages.id, message.id), eq(outboxMessages.status, 'pending'))),
    );
  }
  return report;
}

async function attempt(
  transport: Transports['email'],
  message: Message,
  now: Date,
): Promise<Partial<typeof outboxMessages.$inferInsert>> {
  if (!transport) return { status: 'stored', sentAt: now, nextAttemptAt: now };
  const attempts = message.attempts + 1;
  try {
    await transport({
      channel: message.channel as 'email' | 'sms',
      recipient: message.recipient,
      subject: message.subject,
      body: message.body,
      attachments: message.attachments,
    });
    // The body may hold a one-time secret: once delivered it (and any attachment) has no reason to stay.
    return { status: 'sent', sentAt: now, attempts, body: DELIVERED, attachments: [], lastError: null };
  } catch (err) {
    const lastError = (err as Error).message.slice(0, 500);
    if (attempts >= MAX_DELIVERY_ATTEMPTS) {
      return { status: 'failed', attempts, lastError, body: DELIVERED, attachments: [] };
    }
    const delayMs = 2 ** (attempts - 1) * 60_000;
    return { status: 'pending', attempts, lastError, nextAttemptAt: new Date(now.getTime() + delayMs) };
  }
}

/** The newest messages, for `jobr outbox list` and the development-only endpoint. */
export async function recentMessages(db: Db, limit: number) {
  return withContext(db, systemActor, (tx) =>
    tx
      .select({
        id: outboxMessages.id,
        channel: outboxMessages.channel,
        recipient: outboxMessages.recipient,
        subject: outboxMessages.subject,
        body: outboxMessages.body,
        attachments: outboxMessages.attachments,
        status: outboxMessages.status,
        attempts: outboxMessages.attempts,
        lastError: outboxMessages.lastError,
        createdAt: outboxMessages.createdAt,
      })
      .from(outboxMessages)
      .orderBy(sql`${outboxMessages.createdAt} desc`)
      .limit(limit),
  );
}
