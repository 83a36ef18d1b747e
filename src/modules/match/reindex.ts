/**
 * Keeps what matching reads from each job's text stored: jobs.text_skills (skills named in the title and
 * description, ranking's candidates) and jobs.match_facts (job-facts.ts, what the score reads).
 *
 * - `fillMatchFacts`: the rows whose match_facts is NULL (stored before the column existed, or written
 *   by code that does not compute it), found through idx_jobs_match_facts_missing. The server runs it
 *   after it starts listening, in short batches; until a row is filled, scoring reads its description.
 * - `reindexJobSkills` (`jobr jobs reindex-skills`): every row, after a taxonomy change.
 */
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { type Db, rowsOf, type Tx } from '../../db/client.ts';
import { systemActor, withContext } from '../../db/context.ts';
import type { StoredMatchFacts } from '../../db/schema/index.ts';
import { textSkillsOf } from '../skills/skills.ts';
import { matchFactsOf } from './job-facts.ts';

type TextRow = { id: string; title: string; description: string; requirements: string[]; text_skills: string[] };

type Update = { id: string; facts: StoredMatchFacts; skills?: string[] };

/** One statement for a batch: each row's new facts (and text skills, when given), by id. */
async function writeBatch(tx: Tx, updates: Update[]) {
  await tx.execute(sql`update jobs j set match_facts = v.facts,
      text_skills = case when v.skills is null then j.text_skills else array(select jsonb_array_elements_text(v.skills)) end
    from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as v(id uuid, facts jsonb, skills jsonb)
    where j.id = v.id`);
}

const sameFacts = (a: StoredMatchFacts, b: StoredMatchFacts | null) =>
  b !== null && JSON.stringify([a.of, a.years, a.skills]) === JSON.stringify([b.of, b.years, b.skills]);

const TEXT_FIELDS = sql`id, title, description, requirements, text_skills`;

/** Rows without match facts, through idx_jobs_match_facts_missing (empty once every row is filled). */
export const missingFactsSql = (batch: number) =>
  sql`select ${TEXT_FIELDS} from jobs where match_facts is null order by id limit ${batch} for update skip locked`;

/**
 * Computes match_facts for the rows that have none, `batch` rows per transaction. The rows are locked
 * while their facts are computed (an edit in between cannot be overwritten) and SKIP LOCKED lets two
 * nodes started together share the work. Returns how many rows it filled; `signal` stops it between
 * batches (a server shutting down: what is not filled yet is filled after the next start).
 */
export async function fillMatchFacts(db: Db, options: { batch?: number; signal?: AbortSignal } = {}): Promise<number> {
  const batch = options.batch ?? 100;
  let filled = 0;
  while (!options.signal?.aborted) {
    const n = await withContext(db, systemActor, async (tx) => {
      const rows = rowsOf<TextRow>(await tx.execute(missingFactsSql(batch)));
      if (rows.length > 0)
        await writeBatch(
          tx,
          rows.map((r) => ({ id: r.id, facts: matchFactsOf(r) })),
        );
      return rows.length;
    });
    filled += n;
    if (n < batch) break;
    await yieldToRequests(); // a batch is ~30-150 ms of parsing: requests go in between
  }
  return filled;
}

/** Re-derives text_skills and match_facts for the whole catalogue. Batches by id: resumable, idempotent. */
export async function reindexJobSkills(db: Db, options: { batch?: number; onProgress?: (done: number) => void } = {}) {
  const batch = options.batch ?? 500;
  let after = '00000000-0000-0000-0000-000000000000';
  let done = 0;
  let changed = 0;
  while (true) {
    const rows = rowsOf<TextRow & { match_facts: StoredMatchFacts | null }>(
      await db.execute(
        sql`select ${TEXT_FIELDS}, match_facts from jobs where id > ${after} order by id limit ${batch}`,
      ),
    );
    if (rows.length === 0) break;
    const updates = rows
      .map((r) => ({ row: r, id: r.id, facts: matchFactsOf(r), skills: textSkillsOf(r.title, r.description) }))
      .filter(
        (u) => u.skills.join('\u0000') !== u.row.text_skills.join('\u0000') || !sameFacts(u.facts, u.row.match_facts),
      )
      .map(({ id, facts, skills }) => ({ id, facts, skills }));
    // One unit of work per batch: a long reindex commits as it goes and can be resumed.
    if (updates.length > 0) await withContext(db, systemActor, (tx) => writeBatch(tx, updates));
    changed += updates.length;
    done += rows.length;
    after = (rows.at(-1) as { id: string }).id;
    options.onProgress?.(done);
  }
  return { jobs: done, changed };
}
