/**
 * Re-derives jobs.text_skills (skills named in a job's title and description) for the whole catalogue:
 * for jobs stored before the column existed, and after a taxonomy change. Batches by id, idempotent.
 */
import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.ts';
import { inWork, systemActor } from '../../db/context.ts';
import { textSkillsOf } from '../skills/skills.ts';

export async function reindexJobSkills(db: Db, options: { batch?: number; onProgress?: (done: number) => void } = {}) {
  const batch = options.batch ?? 500;
  let after = '00000000-0000-0000-0000-000000000000';
  let done = 0;
  let changed = 0;
  while (true) {
    const rows = rowsOf<{ id: string; title: string; description: string; text_skills: string[] }>(
      await db.execute(
        sql`select id, title, description, text_skills from jobs where id > ${after} order by id limit ${batch}`,
      ),
    );
    if (rows.length === 0) break;
    const updates = rows
      .map((r) => ({ id: r.id, skills: textSkillsOf(r.title, r.description) }))
      .filter((u, i) => u.skills.join('\u0000') !== (rows[i]?.text_skills ?? []).join('\u0000'));
    if (updates.length > 0) {
      // One unit of work per batch: a long reindex commits as it goes and can be resumed.
      await inWork(db, systemActor, async ({ tx }) => {
        for (const u of updates) {
          await tx.execute(
            sql`update jobs set text_skills = ${sql`ARRAY[${sql.join(
              u.skills.map((s) => sql`${s}`),
              sql`, `,
            )}]::text[]`} where id = ${u.id}`,
          );
        }
      });
    }
    changed += updates.length;
    done += rows.length;
    after = (rows.at(-1) as { id: string }).id;
    options.onProgress?.(done);
  }
  return { jobs: done, changed };
}
