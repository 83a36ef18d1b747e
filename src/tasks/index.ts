import { billingResyncTask } from '../modules/billing/billing.task.ts';
import { exportsTask } from '../modules/exports/exports.task.ts';
import { outboxTask } from '../modules/outbox/outbox.task.ts';
import { followUpDigestTask, remindersTask } from '../modules/reminders/reminders.task.ts';
import { alertsTask } from '../modules/saved-searches/alerts.task.ts';
import { archiveTask } from './archive.ts';
import { retentionTask } from './retention.ts';
import type { Task } from './task.ts';

/** Every periodic task, by name. Modules add theirs here. */
export const tasks: Task[] = [
  retentionTask,
  archiveTask,
  outboxTask,
  alertsTask,
  remindersTask,
  followUpDigestTask,
  exportsTask,
  billingResyncTask,
];
