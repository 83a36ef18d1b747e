import type { Task } from '../../tasks/task.ts';
import { deliverOutbox } from './deliver.ts';
import { transportsFor } from './transports.ts';

export const outboxTask: Task = {
  name: 'outbox',
  summary: 'Deliver queued e-mails and SMS (verification codes, password resets)',
  intervalMs: 5_000,
  async run({ db, config, now }) {
    return deliverOutbox(db, transportsFor(config), now);
  },
};
