import { parseArgs } from 'node:util';
import { openConfiguredDatabase } from '../db/open.ts';
import { BackupError, backup, restore } from '../modules/ops/backup.ts';
import { doctor, formatDoctor } from '../modules/ops/doctor.ts';
import { type Command, UsageError } from './command.ts';

function fileArg(args: string[]): string {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new UsageError('Name one backup file.');
  return positionals[0] as string;
}

export const backupCommand: Command = {
  summary: 'Write a backup of the database and the stored files to FILE (a tar file)',
  usage:
    'jobr backup FILE\n\nPostgreSQL: pg_dump custom format (set PG_BIN_DIR if pg_dump is not on the PATH or is older than the server).\nEmbedded: the data folder is locked, so stop the server first.',
  needsDatabase: false, // opened here without migrating: a backup never changes what it backs up
  async run(args, { config, io }) {
    const file = fileArg(args);
    const database = await openConfiguredDatabase(config, { migrate: false });
    try {
      const manifest = await backup(config, database, file);
      io.out(`Backup of the ${manifest.kind} database and ${manifest.files} stored files written to ${file}.`);
      return 0;
    } catch (err) {
      if (!(err instanceof BackupError)) throw err;
      io.err(err.message);
      return 1;
    } finally {
      await database.close();
    }
  },
};

export const restoreCommand: Command = {
  summary: 'Restore a backup made by `jobr backup` into an empty database and file store',
  usage:
    'jobr restore FILE\n\nThe target (DATABASE_URL, or DATA_DIR for the embedded database) and FILE_STORAGE_DIR must be empty.\nPostgreSQL: create the database first (createdb); roles (jobr_app) are cluster-wide and must exist.',
  needsDatabase: false,
  async run(args, { config, io }) {
    const file = fileArg(args);
    try {
      const manifest = await restore(config, file);
      io.out(`Restored the ${manifest.kind} backup of ${manifest.createdAt} and ${manifest.files} stored files.`);
      return 0;
    } catch (err) {
      if (!(err instanceof BackupError)) throw err;
      io.err(err.message);
      return 1;
    }
  },
};

export const doctorCommand: Command = {
  summary: 'Print a health report of the database: slow statements, index use, unused indexes, bloat, connections',
  usage:
    'jobr doctor\n\nSlow statements need the pg_stat_statements extension; the embedded database has fewer sections.',
  needsDatabase: false, // opened here without migrating: a report changes nothing
  async run(args, { config, io }) {
    if (args.length > 0) throw new UsageError('jobr doctor takes no arguments.');
    const database = await openConfiguredDatabase(config, { migrate: false });
    try {
      for (const line of formatDoctor(await doctor(database))) io.out(line);
      return 0;
    } finally {
      await database.close();
    }
  },
};
