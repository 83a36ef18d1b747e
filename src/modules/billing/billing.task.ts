import type { Task } from '../../tasks/task.ts';
import { expireLapsedPlans } from './billing.service.ts';
import { createBillingDeps } from './deps.ts';
import { resyncPendingPhonePe } from './phonepe.ts';

export const billingResyncTask: Task = {
  name: 'billing-resync',
  summary:
    'Re-check pending PhonePe payments with PhonePe until final; end PhonePe periods that ran out and past-due grace periods',
  intervalMs: 5 * 60_000,
  async run({ db, config, now }) {
    const deps = createBillingDeps(db, config);
    const phonepe = deps.phonepe ? await resyncPendingPhonePe(deps.phonepe, now) : {};
    const plans = await expireLapsedPlans(db, now, config.billing.graceDays);
    return { ...prefix('phonepe', phonepe), plansRecomputed: plans };
  },
};

function prefix(p: string, counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [`${p}${k[0]?.toUpperCase()}${k.slice(1)}`, v]));
}
