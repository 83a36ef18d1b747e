/**
 * Job alerts. A saved search is due when its period (instant: every run; daily; weekly) has passed since
 * its watermark `alerted_until`. Its new jobs are those first seen after the watermark, up to the run's
 * start, that pass the search's filters: the newest arrivals (idx_jobs_first_seen_at) are read once per
 * batch of searches and every search of the batch is matched against them in one statement, not a search
 * of the whole catalogue per saved search. Each job is recorded in saved_search_alerts, so it is sent once
 * per search however runs overlap; a user gets one message per run listing all their searches' jobs.
 * A batch's messages are written together (notifyMany): a fixed number of statements per batch.
 */
import { sql } from 'drizzle-orm';
import { type Db, rowsOf, type Tx } from '../../db/client.ts';
import { systemActor, withContext } from '../../db/context.ts';
import type { AlertFrequency } from '../../db/schema/index.ts';
import { filters } from '../jobs/search.ts';
import { notifyMany } from '../notifications/notifications.service.ts';
import { searchOf, unsubscribeToken } from './saved-searches.service.ts';

const PERIOD_MS: Record<Exclude<AlertFrequency, 'off'>, number> = {
  instant: 0,
  daily: 86_400_000,
  weekly: 7 * 86_400_000,
};
/** At most this many jobs per search per message: the rest are a click away. */
export const JOBS_PER_ALERT = 20;
/** Searches per transaction and per matching statement. */
const BATCH = 500;

/** The watermark as text: a JavaScript Date would drop its microseconds and resend the job at the edge. */
type DueSearch = { id: string; user_id: string; name: string; query: Record<string, unknown>; alerted_until: string };
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
      select id, user_id, name, query, alerted_until::text from saved_searches
      where (frequency = 'instant' and alerted_until < ${options.now.toISOString()}::timestamptz)
         or (frequency = 'daily' and alerted_until <= ${cutoff('daily')}::timestamptz)
         or (frequency = 'weekly' and alerted_until <= ${cutoff('weekly')}::timestamptz)
      order by alerted_until
      limit ${BATCH}
      for update skip locked`),
  );
  if (due.length === 0) return 0;
  run.searches += due.length;
  const matches = await newJobs(tx, due, options.now);
  const byUser = new Map<string, Array<{ search: DueSearch; jobs: AlertJob[] }>>();
  for (const search of due) {
    const jobs = matches.get(search.id) ?? [];
    if (jobs.length === 0) continue;
    run.jobs += jobs.length;
    byUser.set(search.user_id, [...(byUser.get(search.user_id) ?? []), { search, jobs }]);
  }
  await tx.execute(sql`update saved_searches set alerted_until = ${options.now.toISOString()}::timestamptz
    where id in (${sql.join(
      due.map((s) => sql`${s.id}::uuid`),
      sql`, `,
    )})`);
  // One message per seeker, written for the whole batch at once (a fixed number of statements).
  await notifyMany(
    tx,
    [...byUser].map(([userId, found]) => ({ userId, notice: alertNotice(found, options) })),
    { inApp: true, email: true, publicUrl: options.publicUrl },
  );
  run.messages += byUser.size;
  return due.length;
}

/** The searches' text queries as tsquery text, in one round trip (as toTsquery in jobs/search.ts does one). */
async function tsqueries(tx: Tx, texts: Array<string | undefined>): Promise<Array<string | null>> {
  const rows = rowsOf<{ q: string | null }>(
    await tx.execute(sql`
      select case when coalesce(trim(t.q), '') = '' then null
        else websearch_to_tsquery('english', search_text(t.q))::text end as q
      from jsonb_array_elements(${JSON.stringify(texts.map((t) => t ?? null))}::jsonb) with ordinality as e(value, n),
        lateral (select e.value #>> '{}' as q) t
      order by e.n`),
  );
  // Only stop words or punctuation: nothing to search for, so no text filter at all (as in a search).
  return rows.map((r) => (r.q ? r.q : null));
}

/**
 * The batch's jobs that arrived since each search's watermark and were never sent for it, recorded as
 * sent; by search id. Set-based: the new arrivals since the batch's oldest watermark are copied once into
 * a small temporary table with its own full-text index (dropped at commit), and one statement matches
 * every search of the batch against it with the very conditions GET /jobs applies. A search's text
 * query then costs an index probe of the new jobs, not a test of each new job (a job's search_vector is
 * stored compressed: testing it row by row is what made the one-search-at-a-time run slow).
 */
async function newJobs(tx: Tx, due: DueSearch[], now: Date): Promise<Map<string, AlertJob[]>> {
  const parsed: Array<{ search: DueSearch; query: ReturnType<typeof searchOf> }> = [];
  for (const search of due) {
    try {
      parsed.push({ search, query: searchOf(search.query, JOBS_PER_ALERT) });
    } catch {
      // a search saved under older rules that no longer validates sends nothing
    }
  }
  const bySearch = new Map<string, AlertJob[]>();
  if (parsed.length === 0) return bySearch;
  const texts = await tsqueries(
    tx,
    parsed.map((p) => p.query.q),
  );
  const oldest = parsed[0]?.search.alerted_until as string; // due searches come oldest watermark first
  await tx.execute(sql`
    create temporary table alert_new_jobs on commit drop as
    select * from jobs
    where first_seen_at > ${oldest}::timestamptz
      and first_seen_at <= ${now.toISOString()}::timestamptz`);
  await tx.execute(sql`create index on alert_new_jobs using gin (search_vector)`);
  await tx.execute(sql`analyze alert_new_jobs`);
  const perSearch = parsed.map(
    ({ search, query }, i) => sql`(select ${search.id}::uuid as saved_search_id, j.id as job_id from alert_new_jobs j
      where j.first_seen_at > ${search.alerted_until}::timestamptz
        ${sql.join(
          filters(query, texts[i] ?? null).map((f) => sql` and ${f}`),
          sql``,
        )}
      order by j.first_seen_at desc, j.id limit ${JOBS_PER_ALERT})`,
  );
  const rows = rowsOf<AlertJob & { saved_search_id: string }>(
    await tx.execute(sql`
      with candidates as (
        ${sql.join(perSearch, sql` union all `)}
      ), sent as (
        insert into saved_search_alerts (saved_search_id, job_id)
        select saved_search_id, job_id from candidates
        on conflict do nothing
        returning saved_search_id, job_id
      )
      select sent.saved_search_id, jobs.id, jobs.title, jobs.company, jobs.location
      from sent join jobs on jobs.id = sent.job_id
      order by sent.saved_search_id, jobs.first_seen_at desc, jobs.id`),
  );
  for (const { saved_search_id, ...job } of rows) {
    bySearch.set(saved_search_id, [...(bySearch.get(saved_search_id) ?? []), job]);
  }
  return bySearch;
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
