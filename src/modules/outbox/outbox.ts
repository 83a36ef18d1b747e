/**
 * The outbox: e-mails and SMS are written as rows in the same transaction as the change that causes
 * them, then delivered by the `outbox` task. A crash between the two never loses or invents a message.
 */
import type { Tx } from '../../db/client.ts';
import { outboxMessages } from '../../db/schema/index.ts';

export type OutgoingMessage = { channel: 'email' | 'sms'; recipient: string; subject: string; body: string };

export async function enqueue(tx: Tx, message: OutgoingMessage): Promise<void> {
  await tx.insert(outboxMessages).values(message);
}
