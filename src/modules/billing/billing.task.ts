import { defineTask, noPayload } from '../../tasks/task.ts';
import { expireLapsedPlans, forgetOldEvents } from './billing.service.ts';
import { createBillingDeps } from './deps.ts';
import { resyncPendingPhonePe } from './phonepe.ts';
import { renewPhonePeMandates } from './phonepe-autopay.ts';

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

export const phonePeRenewalsTask = defineTask<void>({
  name: 'billing-phonepe-renewals',
  summary:
    'PhonePe autopay: notify the redemption of mandates renewing within 48 hours (after checking the mandate is active), execute redemptions notified 24 hours ago',
  schema: noPayload,
  schedule: '17 * * * *',
  async run({ db, config, now }) {
    const deps = createBillingDeps(db, config);
    return deps.phonepe ? renewPhonePeMandates(deps.phonepe, now) : {};
  },
});

function prefix(p: string, counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [`${p}${k[0]?.toUpperCase()}${k.slice(1)}`, v]));
}
