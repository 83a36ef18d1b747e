import { createBillingDeps } from '../modules/billing/deps.ts';
import { resyncUser } from '../modules/billing/refunds.ts';
import { type Command, UsageError } from './command.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const billingResyncCommand: Command = {
  summary: "Re-read a user's subscriptions and pending payments from Stripe / PhonePe and recompute the plan",
  usage: 'jobr billing resync USER_ID',
  needsDatabase: true,
  async run(args, { config, database, io }) {
    const [userId, ...rest] = args;
    if (!userId || rest.length > 0 || !UUID.test(userId)) throw new UsageError('Give one user id (a UUID).');
    if (!database) throw new Error('database not opened');
    const r = await resyncUser(createBillingDeps(database.db, config), userId);
    io.out(
      `plan ${r.plan} (${r.planStatus}); ${r.stripeSubscriptions} Stripe subscription(s) read, ${r.phonepeChecked} pending PhonePe payment(s) checked`,
    );
    return 0;
  },
};
