import { defineTask, noPayload } from '../../tasks/task.ts';
import { runAlerts } from './alerts.ts';

export const alertsTask = defineTask<void>({
  name: 'alerts',
  summary: 'Send new jobs matching saved searches (instant every run, daily, weekly), each job once per search',
  schema: noPayload,
  schedule: '*/5 * * * *',
  async run({ db, config, now }) {
    return runAlerts(db, { now, publicUrl: config.publicUrl, secret: config.cookieSecret });
  },
});
