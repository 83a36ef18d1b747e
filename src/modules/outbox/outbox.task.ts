import { z } from 'zod';
import { defineTask, noPayload } from '../../tasks/task.ts';
import { deliverOutbox } from './deliver.ts';
import { transportsFor } from './transports.ts';

/** Enqueued with each message, in the transaction that writes it: delivery starts as soon as it commits. */
export const outboxDeliverTask = defineTask<{ messageId: string }>({
  name: 'outbox-deliver',
  summary: 'Deliver one queued e-mail or SMS now (enqueued with the message)',
  schema: z.object({ messageId: z.uuid() }),
  async run({ db, config, now }, { messageId }) {
    return deliverOutbox(db, transportsFor(config), now, [messageId]);
  },
});

/** The sweep: retries (after their backoff) and anything whose job was lost, e.g. a lease that ran out. */
export const outboxTask = defineTask<void>({
  name: 'outbox',
  summary: 'Deliver queued e-mails and SMS that are due again (retries with backoff)',
  schema: noPayload,
  schedule: '* * * * *',
  async run({ db, config, now }) {
    return deliverOutbox(db, transportsFor(config), now);
  },
});
