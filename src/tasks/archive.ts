/**
 * The design document's archival ("Archival Strategy"), done safely: finished applications (accepted
 * or rejected) untouched for ARCHIVE_AFTER_DAYS move to applications_archive with their status
 * history, in batches. Each batch is one statement in one transaction — copy the rows, copy their
 * history, delete exactly the rows copied — so a crash leaves nothing half-moved and running twice
 * moves nothing twice. SKIP LOCKED lets two workers share the work.
 */
import { sql } from 'drizzle-orm';
import { rowsOf } from '../db/client.ts';
import { systemActor, withContext } from '../db/context.ts';
import { defineTask, noPayload } from './task.ts';

const DAY_MS = 86_400_000;
export const ARCHIVE_BATCH = 500;
const MAX_BATCHES_PER_RUN = 200;

export const archiveTask = defineTask<void>({
  name: 'archive',
  summary: 'Move finished applications untouched for ARCHIVE_AFTER_DAYS, with their history, to the archive',
  schema: noPayload,
  schedule: '47 3 * * *',
  async run({ db, config, now }) {
    const cutoff = new Date(now.getTime() - config.retention.archiveAfterDays * DAY_MS);
    let archived = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      const moved = await withContext(db, systemActor, async (tx) =>
        rowsOf<{ id: string }>(
          await tx.execute(sql`
            with batch as (
              select id from applications
              where status in ('accepted', 'rejected') and updated_at < ${cutoff.toISOString()}::timestamptz
              order by updated_at
              limit ${ARCHIVE_BATCH}
              for update skip locked
            ), copied as (
              insert into applications_archive (id, job_id, user_id, cv_id, status, cover_letter, custom_message,
                submitted_at, updated_at, deleted_at, next_step, next_step_at)
              select a.id, a.job_id, a.user_id, a.cv_id, a.status, a.cover_letter, a.custom_message,
                a.submitted_at, a.updated_at, a.deleted_at, a.next_step, a.next_step_at
              from applications a join batch using (id)
              on conflict do nothing
              returning id
            ), history as (
              insert into application_status_history_archive (id, application_id, status, notes, created_at)
              select h.id, h.application_id, h.status, h.notes, h.created_at
              from application_status_history h join copied c on c.id = h.application_id
              on conflict do nothing
            )
            delete from applications where id in (select id from copied) returning id`),
        ),
      );
      archived += moved.length;
      if (moved.length < ARCHIVE_BATCH) break;
    }
    return { archived };
  },
});
