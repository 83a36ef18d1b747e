import { parseArgs } from 'node:util';
import { runMigrations } from '../db/migrate.ts';
import { DEMO_SEEKER, seed, upsertAdmin } from '../db/seed.ts';
import { type Command, UsageError } from './command.ts';

export const migrateCommand: Command = {
  summary: 'Apply pending database migrations',
  usage: 'jobr migrate',
  needsDatabase: true, // opening the database migrates it
  async run(_args, { database, io }) {
    if (database) await runMigrations(database); // idempotent; makes the intent explicit
    io.out('Database is up to date.');
    return 0;
  },
};

export const seedCommand: Command = {
  summary: 'Create job categories, the administrator (ADMIN_EMAIL/ADMIN_PASSWORD) and demo jobs',
  usage: 'jobr seed [--no-demo]',
  needsDatabase: true,
  async run(args, { config, database, io }) {
    const { values } = parseArgs({ args, options: { 'no-demo': { type: 'boolean', default: false } } });
    if (!database) throw new Error('database not opened');
    const report = await seed(database.db, config, { demo: !values['no-demo'] });
    io.out(`Categories added: ${report.categories}`);
    io.out(
      report.admin === 'skipped'
        ? 'Administrator: skipped (set ADMIN_EMAIL and ADMIN_PASSWORD, or run `jobr admin create`).'
        : `Administrator ${config.admin.email}: ${report.admin}.`,
    );
    io.out(
      report.demoJobs > 0
        ? `Demo jobs added: ${report.demoJobs}`
        : 'Demo jobs: none added (catalogue not empty, or --no-demo).',
    );
    if (report.demoSeeker === 'created')
      io.out(
        `Demo job seeker: ${DEMO_SEEKER.email} / ${DEMO_SEEKER.password} (development data; sign in at ${config.publicUrl})`,
      );
    return 0;
  },
};

export const adminCreateCommand: Command = {
  summary: 'Create or promote an administrator (password from ADMIN_PASSWORD or standard input)',
  usage: 'jobr admin create --email EMAIL [--name NAME]   (password: ADMIN_PASSWORD, or piped on stdin)',
  needsDatabase: true,
  async run(args, { config, database, io }) {
    const { values } = parseArgs({ args, options: { email: { type: 'string' }, name: { type: 'string' } } });
    const email = values.email ?? config.admin.email;
    if (!email) throw new UsageError('--email is required (or set ADMIN_EMAIL).');
    let password = config.admin.password;
    if (!password && !process.stdin.isTTY) {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      password = Buffer.concat(chunks).toString('utf8').trim();
    }
    if (!password || [...password].length < 12) {
      throw new UsageError(
        'An administrator password of at least 12 characters is required (ADMIN_PASSWORD or stdin).',
      );
    }
    if (!database) throw new Error('database not opened');
    const result = await upsertAdmin(database.db, { email, password, name: values.name ?? config.admin.name });
    io.out(`Administrator ${email.toLowerCase()}: ${result}.`);
    return 0;
  },
};
