/** Delivering the outbox: claim due messages, send each, record the outcome with retries and backoff. */
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { systemActor, withContext } from '../../db/context.ts';
import { outboxMessages } from '../../db/schema/index.ts';
import type { Transports } from './transports.ts';

export const MAX_DELIVERY_ATTEMPTS = 6; // 1, 2, 4, 8, 16 minutes apart: about half an hour in all
const BATCH = 50;
const DELIVERED = '[delivered; body cleared]';

export type DeliveryReport = { sent: number; stored: number; retrying: number; failed: number };

export async function deliverOutbox(db: Db, transports: Transports, now = new Date()): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, stored: 0, retrying: 0, failed: 0 };
  await withContext(db, systemActor, async (tx) => {
    // SKIP LOCKED: several server processes can run this task at once without sending twice.
    const due = await tx
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.status, 'pending'), lte(outboxMessages.nextAttemptAt, now)))
      .orderBy(asc(outboxMessages.nextAttemptAt))
      .limit(BATCH)
      .for('update', { skipLocked: true });
    for (const message of due) {
      const transport = message.channel === 'email' ? transports.email : transports.sms;
      const set = await attempt(transport, message, now);
      report[set.status === 'pending' ? 'retrying' : (set.status as 'sent' | 'stored' | 'failed')]++;
      await tx.update(outboxMessages).set(set).where(eq(outboxMessages.id, message.id));
    }
  });
  return report;
}

async function attempt(
  transport: Transports['email'],
  message: typeof outboxMessages.$inferSelect,
  now: Date,
): Promise<Partial<typeof outboxMessages.$inferInsert>> {
  if (!transport) return { status: 'stored', sentAt: now };
  const attempts = message.attempts + 1;
  try {
    await transport({
      channel: message.channel as 'email' | 'sms',
      recipient: message.recipient,
      subject: message.subject,
      body: message.body,
    });
    // The body may hold a one-time secret: once delivered it has no reason to stay.
    return { status: 'sent', sentAt: now, attempts, body: DELIVERED, lastError: null };
  } catch (err) {
    const lastError = (err as Error).message.slice(0, 500);
    if (attempts >= MAX_DELIVERY_ATTEMPTS) return { status: 'failed', attempts, lastError, body: DELIVERED };
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
