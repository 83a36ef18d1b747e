import { createLogger } from '../lib/logger.ts';
import { tasks } from '../tasks/index.ts';
import { runTaskNow } from '../tasks/queue.ts';
import { type Command, UsageError } from './command.ts';

export const tasksListCommand: Command = {
  summary: 'List the background tasks (pg-boss queues) and the schedules of the periodic ones',
  usage: 'jobr tasks list',
  needsDatabase: false,
  async run(_args, { io }) {
    for (const t of tasks) io.out(`${t.name.padEnd(16)} ${(t.schedule ?? 'on demand').padEnd(13)} ${t.summary}`);
    return 0;
  },
};

export const tasksRunCommand: Command = {
  summary: 'Run a background task now, in this process (retention, archive, ...; all = every periodic task)',
  usage: 'jobr tasks run <name|all> [payload as JSON]',
  needsDatabase: true,
  async run(args, { config, database, io }) {
    const name = args[0];
    const selected = name === 'all' ? tasks.filter((t) => t.schedule) : tasks.filter((t) => t.name === name);
    if (!name || selected.length === 0) {
      throw new UsageError(`Name a task: ${tasks.map((t) => t.name).join(', ')}, or all.`);
    }
    if (!database) throw new Error('database not opened');
    const logger = createLogger({ ...config, logLevel: 'warn' });
    for (const task of selected) {
      let raw: unknown;
      try {
        raw = args[1] === undefined ? undefined : JSON.parse(args[1]);
      } catch {
        throw new UsageError('The payload must be JSON.');
      }
      const parsed = task.schema.safeParse(raw);
      if (!parsed.success) throw new UsageError(`Invalid payload for ${task.name}: ${parsed.error.issues[0]?.message}`);
      io.out(`Running ${task.name}...`);
      const result = await runTaskNow(task, parsed.data, { database, config, logger });
      io.out(
        `  ${
          Object.entries(result)
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ') || 'done'
        }`,
      );
    }
    return 0;
  },
};
