/**
 * The outbox: e-mails and SMS are written as rows in the same transaction as the change that causes
 * them, together with an `outbox-deliver` job (pg-boss, same transaction). A rollback drops both; a
 * commit makes both visible, and delivery happens outside any transaction (deliver.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/client.ts';
import { type OutboxAttachment, outboxMessages } from '../../db/schema/index.ts';
import { enqueueMany as enqueueTasks } from '../../tasks/queue.ts';
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
  await enqueueMany(tx, [message]);
}

/** Many messages in two statements: one multi-row insert of the rows, one of their delivery jobs. */
export async function enqueueMany(tx: Tx, messages: OutgoingMessage[]): Promise<void> {
  if (messages.length === 0) return;
  // Ids are chosen here, not returned: row-level security lets the request's role insert an outbox
  // row but not read it back.
  const rows = messages.map((message) => ({ ...message, id: randomUUID() }));
  await tx.insert(outboxMessages).values(rows);
  await enqueueTasks(
    tx,
    outboxDeliverTask,
    rows.map((row) => ({ messageId: row.id })),
  );
}
