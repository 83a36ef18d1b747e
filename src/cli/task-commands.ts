import { createLogger } from '../lib/logger.ts';
import { tasks } from '../tasks/index.ts';
import { runTask } from '../tasks/scheduler.ts';
import { type Command, UsageError } from './command.ts';

export const tasksListCommand: Command = {
  summary: 'List the periodic background tasks',
  usage: 'jobr tasks list',
  needsDatabase: false,
  async run(_args, { io }) {
    for (const t of tasks) io.out(`${t.name.padEnd(16)} every ${formatInterval(t.intervalMs)}  ${t.summary}`);
    return 0;
  },
};

export const tasksRunCommand: Command = {
  summary: 'Run a background task now (retention, archive, ...)',
  usage: 'jobr tasks run <name|all>',
  needsDatabase: true,
  async run(args, { config, database, io }) {
    const name = args[0];
    const selected = name === 'all' ? tasks : tasks.filter((t) => t.name === name);
    if (!name || selected.length === 0) {
      throw new UsageError(`Name a task: ${tasks.map((t) => t.name).join(', ')}, or all.`);
    }
    if (!database) throw new Error('database not opened');
    const logger = createLogger({ ...config, logLevel: 'warn' });
    for (const task of selected) {
      io.out(`Running ${task.name}...`);
      const result = await runTask(task, { db: database.db, config, logger });
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

function formatInterval(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`.padEnd(7);
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`.padEnd(7);
  return `${Math.round(ms / 3_600_000)} h`.padEnd(7);
}
