/**
 * Next-step reminders and follow-up nudges. A reminder is a time the seeker chose (`remind_at`); the
 * reminders task sends it once (in-app, and by e-mail unless turned off) with a link to the event's
 * calendar file, then clears it. Follow-ups are the seeker's applications still at "submitted" with no
 * next step planned after their follow-up period; a weekly digest e-mail lists them for those who ask.
 */
import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import { type Db, rowsOf, type Tx } from '../../db/client.ts';
import { systemActor, withContext } from '../../db/context.ts';
import { applications, jobs, notificationSettings } from '../../db/schema/index.ts';
import { nextStepCalendar } from '../applications/calendar.ts';
import { notify, settingsOf } from '../notifications/notifications.service.ts';

const BATCH = 200;
const WEEK_MS = 7 * 86_400_000;

/** Sends every reminder that is due, once: the row is cleared in the same transaction as the message. */
export async function sendDueReminders(
  db: Db,
  options: { now: Date; publicUrl: string },
): Promise<{ reminders: number }> {
  let sent = 0;
  for (;;) {
    const batch = await withContext(db, systemActor, async (tx) => {
      const due = await tx
        .select({
          id: applications.id,
          userId: applications.userId,
          nextStep: applications.nextStep,
          nextStepAt: applications.nextStepAt,
          title: jobs.title,
          company: jobs.company,
        })
        .from(applications)
        .innerJoin(jobs, eq(jobs.id, applications.jobId))
        .where(and(lte(applications.remindAt, options.now), isNull(applications.deletedAt)))
        .limit(BATCH)
        .for('update', { of: applications, skipLocked: true });
      for (const a of due) {
        const settings = await settingsOf(tx, a.userId);
        const when = a.nextStepAt ? ` on ${a.nextStepAt.toUTCString()}` : '';
        const calendar = a.nextStepAt
          ? `\n\nAdd it to your calendar: ${new URL(`/api/v1/applications/${a.id}/calendar.ics`, options.publicUrl)}`
          : '';
        const attachments = a.nextStepAt
          ? [
              {
                filename: 'interview.ics',
                contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
                content: nextStepCalendar(
                  { ...a, nextStepAt: a.nextStepAt, job: { title: a.title, company: a.company } },
                  options.publicUrl,
                  options.now,
                ),
              },
            ]
          : [];
        await notify(
          tx,
          a.userId,
          {
            kind: 'reminder',
            title: `Reminder: ${a.nextStep ?? 'next step'} — ${a.title} at ${a.company}`.slice(0, 200),
            body: `${a.nextStep ?? 'Your next step'} for ${a.title} at ${a.company}${when}.${calendar}`,
            link: `/applications/${a.id}`,
          },
          { inApp: true, email: settings.reminderEmail, publicUrl: options.publicUrl, attachments },
        );
        await tx.update(applications).set({ remindAt: null }).where(eq(applications.id, a.id));
      }
      return due.length;
    });
    sent += batch;
    if (batch < BATCH) return { reminders: sent };
  }
}

/** Open applications still waiting for any response after the seeker's follow-up period. */
export async function followUps(tx: Tx, userId: string, now: Date) {
  const { followUpAfterDays } = await settingsOf(tx, userId);
  return followUpsQuery(tx, userId, followUpAfterDays, now);
}

function followUpsQuery(tx: Tx, userId: string, afterDays: number, now: Date) {
  const cutoff = new Date(now.getTime() - afterDays * 86_400_000);
  return tx
    .select({
      id: applications.id,
      jobId: applications.jobId,
      submittedAt: applications.submittedAt,
      title: jobs.title,
      company: jobs.company,
      daysWaiting: sql<number>`floor(extract(epoch from (${now.toISOString()}::timestamptz - ${applications.submittedAt})) / 86400)::int`,
    })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(
      and(
        eq(applications.userId, userId),
        eq(applications.status, 'submitted'),
        isNull(applications.deletedAt),
        lte(applications.submittedAt, cutoff),
        sql`(${applications.nextStepAt} is null or ${applications.nextStepAt} < ${now.toISOString()}::timestamptz)`,
      ),
    )
    .orderBy(applications.submittedAt);
}

/** The weekly digest for users who asked for it: one e-mail each, at most once a week, only when there is something to say. */
export async function sendFollowUpDigests(
  db: Db,
  options: { now: Date; publicUrl: string },
): Promise<{ digests: number }> {
  const weekAgo = new Date(options.now.getTime() - WEEK_MS);
  return withContext(db, systemActor, async (tx) => {
    const due = rowsOf<{ user_id: string; follow_up_after_days: number }>(
      await tx.execute(sql`select s.user_id, s.follow_up_after_days from notification_settings s
        where s.follow_up_digest_email
          and (s.follow_up_digest_sent_at is null or s.follow_up_digest_sent_at <= ${weekAgo.toISOString()}::timestamptz)
        limit 1000 for update skip locked`),
    );
    let digests = 0;
    for (const row of due) {
      const waiting = await followUpsQuery(tx, row.user_id, row.follow_up_after_days, options.now);
      await tx
        .update(notificationSettings)
        .set({ followUpDigestSentAt: options.now })
        .where(eq(notificationSettings.userId, row.user_id));
      if (waiting.length === 0) continue;
      const lines = waiting.map((a) => `- ${a.title} at ${a.company}: ${a.daysWaiting} days without a response`);
      await notify(
        tx,
        row.user_id,
        {
          kind: 'follow_up',
          title: `${waiting.length} ${waiting.length === 1 ? 'application needs' : 'applications need'} a follow-up`,
          body: `These applications have had no response yet. A short, friendly follow-up often helps:\n\n${lines.join('\n')}`,
          link: '/applications?view=follow-up',
        },
        { inApp: true, email: true, publicUrl: options.publicUrl },
      );
      digests++;
    }
    return { digests };
  });
}
