import { defineTask, noPayload } from '../../tasks/task.ts';
import { expireLapsedPlans, forgetOldEvents } from './billing.service.ts';
import { createBillingDeps } from './deps.ts';
import { resyncPendingPhonePe } from './phonepe.ts';

export const billingResyncTask = defineTask<void>({
  name: 'billing-resync',
  summary:
    'Re-check pending PhonePe payments with PhonePe until final; end PhonePe periods and past-due grace periods that ran out; forget event ids older than 30 days',
  schema: noPayload,
  schedule: '*/5 * * * *',
  async run({ db, config, now }) {
    const deps = createBillingDeps(db, config);
    const phonepe = deps.phonepe ? await resyncPendingPhonePe(deps.phonepe, now) : {};
    const plans = await expireLapsedPlans(db, now, config.billing.graceDays);
    const events = await forgetOldEvents(db, now);
    return { ...prefix('phonepe', phonepe), plansRecomputed: plans, eventIdsForgotten: events };
  },
});

function prefix(p: string, counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [`${p}${k[0]?.toUpperCase()}${k.slice(1)}`, v]));
}
