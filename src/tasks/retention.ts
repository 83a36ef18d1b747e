/**
 * The design document's retention policies ("Data Retention Policies"), run daily:
 * - sessions that expired more than 7 days ago are deleted;
 * - usage_tracking rows older than 1 year are deleted (plan metering only needs the current period);
 * - status history older than 2 years is deleted — but only for ARCHIVED applications: a live
 *   application's timeline is promised in full by the API (docs/schema-notes.md, "Retention").
 * Everything runs as the explicit system (admin) context so row-level security applies as designed.
 */
import { sql } from 'drizzle-orm';
import { rowsOf } from '../db/client.ts';
import { systemActor, withContext } from '../db/context.ts';
import type { Task } from './task.ts';

const DAY_MS = 86_400_000;

export const retentionTask: Task = {
  name: 'retention',
  summary: 'Delete expired sessions, old usage records and old archived status history',
  intervalMs: DAY_MS,
  async run({ db, config, now }) {
    const { sessionGraceDays, usageDays, archivedHistoryDays } = config.retention;
    const cutoff = (days: number) => new Date(now.getTime() - days * DAY_MS);
    return withContext(db, systemActor, async (tx) => {
      const count = async (query: ReturnType<typeof sql>) =>
        rowsOf<{ n: number }>(
          await tx.execute(sql`with deleted as (${query} returning 1) select count(*)::int as n from deleted`),
        )[0]?.n ?? 0;
      const sessionsDeleted = await count(
        sql`delete from user_sessions where expires_at < ${cutoff(sessionGraceDays)}`,
      );
      const usageDeleted = await count(sql`delete from usage_tracking where created_at < ${cutoff(usageDays)}`);
      const archivedHistoryDeleted = await count(
        sql`delete from application_status_history_archive where created_at < ${cutoff(archivedHistoryDays)}`,
      );
      return { sessionsDeleted, usageDeleted, archivedHistoryDeleted };
    });
  },
};
