/**
 * Job alerts. A saved search is due when its period (instant: every run; daily; weekly) has passed since
 * its watermark `alerted_until`. Its new jobs are those first seen after the watermark, up to the run's
 * start, that pass the search's filters: a scan of the newest arrivals through idx_jobs_first_seen_at,
 * not a search of the whole catalogue. Each job is recorded in saved_search_alerts, so it is sent once
 * per search however runs overlap; a user gets one message per run listing all their searches' jobs.
 */
import { sql } from 'drizzle-orm';
import { type Db, rowsOf, type Tx } from '../../db/client.ts';
import { systemActor, withContext } from '../../db/context.ts';
import type { AlertFrequency } from '../../db/schema/index.ts';
import { filters, toTsquery } from '../jobs/search.ts';
import { notify } from '../notifications/notifications.service.ts';
import { searchOf, unsubscribeToken } from './saved-searches.service.ts';

const PERIOD_MS: Record<Exclude<AlertFrequency, 'off'>, number> = {
  instant: 0,
  daily: 86_400_000,
  weekly: 7 * 86_400_000,
};
/** At most this many jobs per search per message: the rest are a click away. */
export const JOBS_PER_ALERT = 20;
const BATCH = 200;

type DueSearch = { id: string; user_id: string; name: string; query: Record<string, unknown>; alerted_until: Date };
type AlertJob = { id: string; title: string; company: string; location: string | null };

export type AlertRun = { searches: number; jobs: number; messages: number };

export async function runAlerts(db: Db, options: { now: Date; publicUrl: string; secret: string }): Promise<AlertRun> {
  const run: AlertRun = { searches: 0, jobs: 0, messages: 0 };
  for (;;) {
    const done = await withContext(db, systemActor, (tx) => alertBatch(tx, options, run));
    if (done < BATCH) return run;
  }
}

async function alertBatch(tx: Tx, options: { now: Date; publicUrl: string; secret: string }, run: AlertRun) {
  const cutoff = (f: keyof typeof PERIOD_MS) => new Date(options.now.getTime() - PERIOD_MS[f]).toISOString();
  // SKIP LOCKED: two processes running alerts at once share the searches instead of sending twice.
  const due = rowsOf<DueSearch>(
    await tx.execute(sql`
      select id, user_id, name, query, alerted_until from saved_searches
      where (frequency = 'instant' and alerted_until < ${options.now.toISOString()}::timestamptz)
         or (frequency = 'daily' and alerted_until <= ${cutoff('daily')}::timestamptz)
         or (frequency = 'weekly' and alerted_until <= ${cutoff('weekly')}::timestamptz)
      order by alerted_until
      limit ${BATCH}
      for update skip locked`),
  );
  const byUser = new Map<string, Array<{ search: DueSearch; jobs: AlertJob[] }>>();
  for (const search of due) {
    const jobs = await newJobs(tx, search, options.now);
    run.searches++;
    if (jobs.length === 0) continue;
    run.jobs += jobs.length;
    byUser.set(search.user_id, [...(byUser.get(search.user_id) ?? []), { search, jobs }]);
  }
  if (due.length > 0) {
    await tx.execute(sql`update saved_searches set alerted_until = ${options.now.toISOString()}::timestamptz
      where id in (${sql.join(
        due.map((s) => sql`${s.id}::uuid`),
        sql`, `,
      )})`);
  }
  for (const [userId, found] of byUser) {
    await notify(tx, userId, alertNotice(found, options), { inApp: true, email: true, publicUrl: options.publicUrl });
    run.messages++;
  }
  return due.length;
}

/** The search's jobs that arrived since its watermark and were never sent for it; records them as sent. */
async function newJobs(tx: Tx, search: DueSearch, now: Date): Promise<AlertJob[]> {
  let query: ReturnType<typeof searchOf>;
  try {
    query = searchOf(search.query, JOBS_PER_ALERT);
  } catch {
    return []; // a search saved under older rules that no longer validates sends nothing
  }
  const tsquery = await toTsquery(tx, query.q);
  const where = [
    sql`j.first_seen_at > ${new Date(search.alerted_until).toISOString()}::timestamptz`,
    sql`j.first_seen_at <= ${now.toISOString()}::timestamptz`,
    ...filters(query, tsquery),
  ];
  return rowsOf<AlertJob>(
    await tx.execute(sql`
      with candidates as (
        select j.id from jobs j where ${sql.join(where, sql` and `)}
        order by j.first_seen_at desc limit ${JOBS_PER_ALERT}
      ), sent as (
        insert into saved_search_alerts (saved_search_id, job_id)
        select ${search.id}, id from candidates
        on conflict do nothing
        returning job_id
      )
      select j.id, j.title, j.company, j.location from jobs j join sent s on s.job_id = j.id
      order by j.first_seen_at desc, j.id`),
  );
}

function alertNotice(
  found: Array<{ search: DueSearch; jobs: AlertJob[] }>,
  options: { publicUrl: string; secret: string },
) {
  const total = found.reduce((n, f) => n + f.jobs.length, 0);
  const sections = found.map(({ search, jobs }) => {
    const lines = jobs.map(
      (j) =>
        `- ${j.title} — ${j.company}${j.location ? `, ${j.location}` : ''}: ${new URL(`/jobs/${j.id}`, options.publicUrl)}`,
    );
    const unsubscribe = new URL('/api/v1/saved-searches/unsubscribe', options.publicUrl);
    unsubscribe.searchParams.set('token', unsubscribeToken(search.id, options.secret));
    return `${search.name}\n${lines.join('\n')}\n\nStop these alerts: ${unsubscribe}`;
  });
  const names = found.map((f) => `"${f.search.name}"`).join(', ');
  return {
    kind: 'job_alert' as const,
    title: `${total} new ${total === 1 ? 'job' : 'jobs'} for ${names}`.slice(0, 200),
    body: sections.join('\n\n'),
    link: '/saved-searches',
  };
}
