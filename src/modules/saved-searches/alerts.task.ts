import type { Task } from '../../tasks/task.ts';
import { runAlerts } from './alerts.ts';

export const alertsTask: Task = {
  name: 'alerts',
  summary: 'Send new jobs matching saved searches (instant every run, daily, weekly), each job once per search',
  intervalMs: 5 * 60_000,
  async run({ db, config, now }) {
    return runAlerts(db, { now, publicUrl: config.publicUrl, secret: config.cookieSecret });
  },
};
