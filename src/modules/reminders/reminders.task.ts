import type { Task } from '../../tasks/task.ts';
import { sendDueReminders, sendFollowUpDigests } from './reminders.ts';

export const remindersTask: Task = {
  name: 'reminders',
  summary: 'Send next-step reminders that are due (in-app and e-mail, with a calendar link)',
  intervalMs: 60_000,
  async run({ db, config, now }) {
    return sendDueReminders(db, { now, publicUrl: config.publicUrl });
  },
};

export const followUpDigestTask: Task = {
  name: 'follow-ups',
  summary: 'E-mail the weekly digest of applications waiting for a response, to users who asked for it',
  intervalMs: 60 * 60_000,
  async run({ db, config, now }) {
    return sendFollowUpDigests(db, { now, publicUrl: config.publicUrl });
  },
};
