import { defineTask, noPayload } from '../../tasks/task.ts';
import { sendDueReminders, sendFollowUpDigests } from './reminders.ts';

export const remindersTask = defineTask<void>({
  name: 'reminders',
  summary: 'Send next-step reminders that are due (in-app and e-mail, with a calendar link)',
  schema: noPayload,
  schedule: '* * * * *',
  async run({ db, config, now }) {
    return sendDueReminders(db, { now, publicUrl: config.publicUrl });
  },
});

export const followUpDigestTask = defineTask<void>({
  name: 'follow-ups',
  summary: 'E-mail the weekly digest of applications waiting for a response, to users who asked for it',
  schema: noPayload,
  schedule: '0 * * * *',
  async run({ db, config, now }) {
    return sendFollowUpDigests(db, { now, publicUrl: config.publicUrl });
  },
});
