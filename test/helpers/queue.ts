/** Tests run without queue workers (TASKS_ENABLED is off): this works the jobs a test enqueued, now. */
import pino from 'pino';
import type { Config } from '../../src/config.ts';
import type { Task } from '../../src/tasks/task.ts';
import type { TestDatabase } from './db.ts';

/** Runs every waiting job of `task`, oldest first, and marks it completed. Returns how many ran. */
export async function workQueued<P>(ctx: { database: TestDatabase; config: Config }, task: Task<P>): Promise<number> {
  const jobs = await ctx.database.superuserQuery<{ id: string; data: unknown }>(
    `update pgboss.job set state = 'completed', completed_on = now()
      where name = $1 and state = 'created' returning id, data, created_on`,
    [task.name],
  );
  jobs.sort((a, b) =>
    String((a as { created_on?: unknown }).created_on).localeCompare(
      String((b as { created_on?: unknown }).created_on),
    ),
  );
  for (const job of jobs) {
    await task.run(
      { db: ctx.database.db, config: ctx.config, logger: pino({ level: 'silent' }), now: new Date() },
      task.schema.parse(job.data),
    );
  }
  return jobs.length;
}
