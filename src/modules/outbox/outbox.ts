/**
 * The outbox: e-mails and SMS are written as rows in the same transaction as the change that causes
 * them, together with an `outbox-deliver` job (pg-boss, same transaction). A rollback drops both; a
 * commit makes both visible, and delivery happens outside any transaction (deliver.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/client.ts';
import { type OutboxAttachment, outboxMessages } from '../../db/schema/index.ts';
import { enqueue as enqueueTask } from '../../tasks/queue.ts';
import { outboxDeliverTask } from './outbox.task.ts';

export type OutgoingMessage = {
  channel: 'email' | 'sms';
  recipient: string;
  subject: string;
  body: string;
  /** E-mail only: small text files (an SMS transport ignores them). */
  attachments?: OutboxAttachment[];
};

export async function enqueue(tx: Tx, message: OutgoingMessage): Promise<void> {
  // The id is chosen here, not returned: row-level security lets the request's role insert an outbox
  // row but not read it back.
  const id = randomUUID();
  await tx.insert(outboxMessages).values({ ...message, id });
  await enqueueTask(tx, outboxDeliverTask, { messageId: id });
}
