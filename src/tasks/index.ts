import { passwordResetTask } from '../modules/auth/password-reset.task.ts';
import { billingResyncTask, phonePeRenewalsTask } from '../modules/billing/billing.task.ts';
import { stripeSyncTask } from '../modules/billing/stripe-sync.ts';
import { exportsTask } from '../modules/exports/exports.task.ts';
import { coverLetterSweepTask, coverLetterTask } from '../modules/match/cover-letter.task.ts';
import { outboxDeliverTask, outboxTask } from '../modules/outbox/outbox.task.ts';
import { followUpDigestTask, remindersTask } from '../modules/reminders/reminders.task.ts';
import { alertsTask } from '../modules/saved-searches/alerts.task.ts';
import { archiveTask } from './archive.ts';
import { retentionTask } from './retention.ts';
import type { Task } from './task.ts';

/** Every task, by name: one pg-boss queue each. Modules add theirs here. */
export const tasks: Task<unknown>[] = [
  retentionTask,
  archiveTask,
  outboxTask,
  outboxDeliverTask,
  alertsTask,
  remindersTask,
  followUpDigestTask,
  exportsTask,
  billingResyncTask,
  passwordResetTask,
  stripeSyncTask,
  phonePeRenewalsTask,
  coverLetterTask,
  coverLetterSweepTask,
] as Task<unknown>[];
