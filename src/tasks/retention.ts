/**
 * The design document's retention policies ("Data Retention Policies"), run daily:
 * - sessions that expired more than 7 days ago are deleted;
 * - usage_tracking rows older than 1 year are deleted (plan metering only needs the current period);
 * - status history older than 2 years is deleted — but only for ARCHIVED applications: a live
 *   application's timeline is promised in full by the API (docs/schema-notes.md, "Retention").
 * Our own additions follow the same grace period as sessions: verification tokens are deleted once
 * expired for that long, and outbox messages once finished (sent, stored or failed) for 30 days.
 * Shared rate-limit counters whose window has passed and CV-read admissions older than an hour are
 * deleted too (they only ever count the last minutes; src/db/schema/limits.ts). Stored job import
 * reports (warnings and rejections) are deleted after IMPORT_REPORT_KEEP_DAYS (30).
 * Everything runs as the explicit system (admin) context so row-level security applies as designed.
 */
import { sql } from 'drizzle-orm';
import { rowsOf } from '../db/client.ts';
import { systemActor, withContext } from '../db/context.ts';
import { IMPORT_REPORT_KEEP_DAYS } from '../modules/jobs/import/import.service.ts';
import { defineTask, noPayload } from './task.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const OUTBOX_KEEP_DAYS = 30;

export const retentionTask = defineTask<void>({
  name: 'retention',
  summary: 'Delete expired sessions and tokens, old usage records, delivered messages and old archived history',
  schema: noPayload,
  schedule: '17 3 * * *',
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
      const tokensDeleted = await count(
        sql`delete from verification_tokens where expires_at < ${cutoff(sessionGraceDays)}`,
      );
      const outboxDeleted = await count(
        sql`delete from outbox_messages where status <> 'pending' and created_at < ${cutoff(OUTBOX_KEEP_DAYS)}`,
      );
      const countersDeleted =
        (await count(sql`delete from rate_limit_counters where reset_at < ${now}`)) +
        (await count(sql`delete from cv_parses where started_at < ${new Date(now.getTime() - HOUR_MS)}`));
      const importReportsDeleted = await count(
        sql`delete from job_imports where created_at < ${cutoff(IMPORT_REPORT_KEEP_DAYS)}`,
      );
      return {
        sessionsDeleted,
        usageDeleted,
        archivedHistoryDeleted,
        tokensDeleted,
        outboxDeleted,
        countersDeleted,
        importReportsDeleted,
      };
    });
  },
});
