/**
 * `jobr doctor`: the design document's monitoring queries as a readable report. Each section is one
 * catalogue query; a section the database cannot answer (no pg_stat_statements, or the embedded
 * database, which keeps no statistics views of its own) says so and the report goes on.
 */
import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../../db/client.ts';

type Row = Record<string, unknown>;
export type DoctorSection = { title: string; rows: Row[]; note?: string };

const SECTIONS: Array<{ title: string; query: string; empty: string; postgresOnly?: boolean }> = [
  {
    title: 'Database',
    query: `select split_part(version(), ' on ', 1) as version, pg_size_pretty(pg_database_size(current_database())) as size,
              current_setting('max_connections') as max_connections,
              (select count(*) from pg_extension where extname = 'pg_stat_statements')::int as pg_stat_statements`,
    empty: '',
  },
  {
    title: 'Slowest statements (pg_stat_statements, by mean time)',
    query: `select left(regexp_replace(query, '\\s+', ' ', 'g'), 90) as query, calls,
              round(mean_exec_time::numeric, 2) as mean_ms, round(total_exec_time::numeric) as total_ms, rows
              from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
              order by mean_exec_time desc limit 10`,
    empty: 'No statements recorded yet.',
    postgresOnly: true,
  },
  {
    title: 'Index usage (most read)',
    query: `select relname as table, indexrelname as index, idx_scan as scans, idx_tup_read as tuples_read,
              idx_tup_fetch as tuples_fetched from pg_stat_user_indexes order by idx_tup_read desc, indexrelname limit 15`,
    empty: 'No indexes.',
  },
  {
    title: 'Unused indexes (never scanned since statistics were reset; not unique)',
    query: `select s.relname as table, s.indexrelname as index, pg_size_pretty(pg_relation_size(s.indexrelid)) as size
              from pg_stat_user_indexes s join pg_index i on i.indexrelid = s.indexrelid
              where s.idx_scan = 0 and not i.indisunique
              order by pg_relation_size(s.indexrelid) desc, s.indexrelname limit 20`,
    empty: 'None.',
  },
  {
    title: 'Table bloat estimate (dead rows)',
    query: `select relname as table, n_live_tup as live, n_dead_tup as dead,
              round(100.0 * n_dead_tup / greatest(n_live_tup + n_dead_tup, 1), 1) as dead_pct,
              pg_size_pretty(pg_total_relation_size(relid)) as size,
              coalesce(to_char(greatest(last_vacuum, last_autovacuum), 'YYYY-MM-DD HH24:MI'), 'never') as last_vacuum
              from pg_stat_user_tables where n_dead_tup > 0 order by n_dead_tup desc limit 10`,
    empty: 'No dead rows.',
  },
  {
    title: 'Long transactions (open for more than a minute)',
    query: `select pid, coalesce(application_name, '') as application, state,
              date_trunc('second', now() - xact_start)::text as open_for, left(regexp_replace(query, '\\s+', ' ', 'g'), 60) as last_statement
              from pg_stat_activity where xact_start < now() - interval '1 minute' and pid <> pg_backend_pid()
              order by xact_start limit 10`,
    empty: 'None.',
    postgresOnly: true,
  },
  {
    title: 'Connections',
    query: `select coalesce(nullif(application_name, ''), '(none)') as application, coalesce(state, '(background)') as state,
              count(*)::int as connections from pg_stat_activity where datname = current_database()
              group by 1, 2 order by 3 desc, 1, 2`,
    empty: 'None.',
    postgresOnly: true,
  },
];

export async function doctor(database: Database): Promise<DoctorSection[]> {
  const out: DoctorSection[] = [];
  for (const section of SECTIONS) {
    if (section.postgresOnly && database.kind !== 'postgres') {
      out.push({ title: section.title, rows: [], note: 'Not available on the embedded database.' });
      continue;
    }
    try {
      const rows = rowsOf<Row>(await database.db.execute(sql.raw(section.query)));
      out.push({ title: section.title, rows, ...(rows.length === 0 ? { note: section.empty } : {}) });
    } catch (err) {
      const message = (err as Error).message;
      const note = /pg_stat_statements/.test(message)
        ? 'Not available: add pg_stat_statements to shared_preload_libraries and run CREATE EXTENSION pg_stat_statements.'
        : `Not available: ${message.slice(0, 200)}`;
      out.push({ title: section.title, rows: [], note });
    }
  }
  return out;
}

/** Sections as aligned text tables. */
export function formatDoctor(sections: DoctorSection[]): string[] {
  const lines: string[] = [];
  for (const s of sections) {
    lines.push(`== ${s.title}`);
    if (s.rows.length === 0) {
      lines.push(`   ${s.note ?? ''}`, '');
      continue;
    }
    const cols = Object.keys(s.rows[0] as Row);
    const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
    const widths = cols.map((c) => Math.max(c.length, ...s.rows.map((r) => cell(r[c]).length)));
    const line = (vals: string[]) => `   ${vals.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd();
    lines.push(line(cols), line(widths.map((w) => '-'.repeat(w))));
    for (const r of s.rows) lines.push(line(cols.map((c) => cell(r[c]))));
    lines.push('');
  }
  return lines;
}
