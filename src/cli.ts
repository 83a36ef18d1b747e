/** `jobr <command>`: the command-line entry point (see `jobr --help`). */
import { billingResyncCommand } from './cli/billing-commands.ts';
import { type Command, UsageError } from './cli/command.ts';
import { adminCreateCommand, migrateCommand, seedCommand } from './cli/core-commands.ts';
import { jobsImportCommand } from './cli/jobs-commands.ts';
import { jobsReindexSkillsCommand } from './cli/match-commands.ts';
import { backupCommand, doctorCommand, restoreCommand } from './cli/ops-commands.ts';
import { outboxListCommand } from './cli/outbox-commands.ts';
import { tasksListCommand, tasksRunCommand } from './cli/task-commands.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openConfiguredDatabase } from './db/open.ts';
import { setWorkYears } from './modules/jobs/salary.ts';

/** Every command, by the words that invoke it. Modules add theirs here. */
export const commands: Record<string, Command> = {
  migrate: migrateCommand,
  seed: seedCommand,
  'admin create': adminCreateCommand,
  'tasks list': tasksListCommand,
  'tasks run': tasksRunCommand,
  'outbox list': outboxListCommand,
  'jobs import': jobsImportCommand,
  'billing resync': billingResyncCommand,
  'jobs reindex-skills': jobsReindexSkillsCommand,
  backup: backupCommand,
  restore: restoreCommand,
  doctor: doctorCommand,
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: jobr <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run `jobr <command> --help` for a command's options.",
    'The database comes from DATABASE_URL (PostgreSQL) or DATA_DIR (embedded PGlite, default ./data).',
  ].join('\n');
}

export async function runCli(argv: string[]): Promise<number> {
  const io = { out: (l: string) => console.log(l), err: (l: string) => console.error(l) };
  const name = [`${argv[0]} ${argv[1]}`, argv[0]].find((n) => n !== undefined && n in commands);
  if (!name) {
    const asked = argv.length === 0 || ['--help', '-h', 'help'].includes(argv[0] as string);
    if (!asked) io.err(`Unknown command: ${argv.join(' ')}\n`);
    io[asked ? 'out' : 'err'](help());
    return asked ? 0 : 2;
  }
  const command = commands[name] as Command;
  const args = argv.slice(name.split(' ').length);
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  try {
    const config = loadConfig();
    setWorkYears(config.salaryWorkYears);
    const database = command.needsDatabase ? await openConfiguredDatabase(config, { migrate: true }) : undefined;
    try {
      return await command.run(args, { config, database, io });
    } finally {
      await database?.close();
    }
  } catch (err) {
    if (
      err instanceof UsageError ||
      (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      io.err(`${err.message}\n\nUsage: ${command.usage}`);
      return 2;
    }
    if (err instanceof ConfigError || (err instanceof Error && err.name === 'DataDirLockedError')) {
      io.err(err.message);
      return 1;
    }
    throw err;
  }
}

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('jobr: unexpected failure:', err);
    process.exit(1);
  },
);
