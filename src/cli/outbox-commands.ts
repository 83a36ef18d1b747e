import { recentMessages } from '../modules/outbox/deliver.ts';
import { type Command, UsageError } from './command.ts';

export const outboxListCommand: Command = {
  summary: 'Show the newest outgoing e-mails and SMS (verification links, reset codes)',
  usage: 'jobr outbox list [--limit N]',
  needsDatabase: true,
  async run(args, { database, io }) {
    let limit = 10;
    if (args[0] === '--limit') {
      limit = Number(args[1]);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new UsageError('--limit takes a whole number from 1 to 1000.');
    } else if (args.length > 0) {
      throw new UsageError(`Unknown argument: ${args[0]}`);
    }
    if (!database) throw new Error('database not opened');
    const messages = await recentMessages(database.db, limit);
    if (messages.length === 0) io.out('The outbox is empty.');
    for (const m of messages.reverse()) {
      io.out(`--- ${m.createdAt.toISOString()}  ${m.channel} to ${m.recipient}  [${m.status}]`);
      io.out(`Subject: ${m.subject}`);
      io.out(m.body.trimEnd());
      io.out('');
    }
    return 0;
  },
};
