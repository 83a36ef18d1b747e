/**
 * Stripe webhooks as "something changed, go look" (docs/decisions/016-billing-sync.md):
 * - the webhook records the event id and enqueues a `billing-stripe-sync` job for the customer, in one
 *   transaction, and answers at once (a redelivered event finds its id and does nothing);
 * - the job reads the customer's subscriptions, invoices and charges from Stripe with no transaction
 *   open, then applies them under the customer's lock. Jobs of one customer coalesce (one waiting job
 *   per customer), and a run whose read started before the last applied one applies nothing, so runs
 *   may repeat or overlap and the state Stripe reported last always wins.
 */
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { z } from 'zod';
import type { Tx } from '../../db/client.ts';
import { rowsOf } from '../../db/client.ts';
import { systemActor, withContext } from '../../db/context.ts';
import { billingCustomers, payments, subscriptions } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { enqueue } from '../../tasks/queue.ts';
import { defineTask } from '../../tasks/task.ts';
import type { BillingInterval, PlanName } from '../plans/plans.ts';
import {
  applyStripeCharge,
  applyStripeInvoice,
  applyStripeSubscription,
  findCustomer,
  recomputeUserPlan,
  recordEvent,
  userOfCustomer,
} from './billing.service.ts';
import { createBillingDeps, needStripe } from './deps.ts';
import { lockKey } from './locks.ts';
import { type Currency, stripePriceFor } from './prices.ts';
import { callStripe, liveSubscription, type StripeDeps } from './stripe.ts';

export type WebhookResult = { received: true; duplicate: boolean; applied: 'queued' | null };

/** Everything Stripe says about one customer, and when (database clock) the reading started. */
export type StripeSnapshot = {
  customerId: string;
  readStartedAt: Date;
  subscriptions: Stripe.Subscription[];
  invoices: Stripe.Invoice[];
  charges: Stripe.Charge[];
  /** False when Stripe had more subscriptions than one page: then none is inferred to be gone. */
  complete: boolean;
};

export type SyncResult = {
  unknownCustomer: number;
  stale: number;
  subscriptions: number;
  invoices: number;
  charges: number;
};

const ref = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : ((v as { id?: string } | null | undefined)?.id ?? undefined);

/**
 * The customer an event concerns: named on the object, or (refunds name none) found through the payment
 * intent of a payment we recorded.
 */
async function customerOfEvent(tx: Tx, event: Stripe.Event): Promise<string | undefined> {
  const object = event.data.object as { customer?: unknown; payment_intent?: unknown };
  const named = ref(object.customer);
  if (named) return named;
  const intent = ref(object.payment_intent);
  if (!intent) return undefined;
  const [row] = await tx
    .select({ customerId: billingCustomers.customerId })
    .from(payments)
    .innerJoin(
      billingCustomers,
      and(eq(billingCustomers.userId, payments.userId), eq(billingCustomers.provider, 'stripe')),
    )
    .where(eq(payments.stripePaymentIntentId, intent));
  return row?.customerId;
}

/**
 * A verified event: its id recorded and, when it concerns one of our customers, a re-read queued, in one
 * transaction. No call to Stripe here: the webhook answers quickly and does not depend on Stripe being up.
 */
export async function acceptStripeEvent(deps: StripeDeps, event: Stripe.Event): Promise<WebhookResult> {
  return withContext(deps.db, systemActor, async (tx) => {
    const customerId = await customerOfEvent(tx, event);
    const userId = customerId ? await userOfCustomer(tx, customerId) : undefined;
    if (!(await recordEvent(tx, { provider: 'stripe', eventId: event.id, type: event.type, userId }))) {
      return { received: true as const, duplicate: true, applied: null };
    }
    if (!customerId || !userId) return { received: true as const, duplicate: false, applied: null };
    await queueStripeSync(tx, customerId);
    return { received: true as const, duplicate: false, applied: 'queued' as const };
  });
}

/** Queues a re-read of the customer; coalesces with a job of the same customer that has not started. */
export async function queueStripeSync(tx: Tx, customerId: string): Promise<void> {
  await enqueue(tx, stripeSyncTask, { customerId }, { singletonKey: `stripe:${customerId}` });
}

/** Reads the customer from Stripe. Call with no transaction open. */
export async function readStripeCustomer(deps: StripeDeps, customerId: string): Promise<StripeSnapshot> {
  const [clock] = rowsOf<{ now: Date | string }>(await deps.db.execute(sql`select clock_timestamp() as now`));
  const readStartedAt = new Date(clock?.now ?? Date.now());
  const { stripe } = deps;
  const [subs, invoices, charges] = await Promise.all([
    stripe.subscriptions.list({ customer: customerId, status: 'all', limit: 100 }),
    stripe.invoices.list({ customer: customerId, limit: 100 }),
    stripe.charges.list({ customer: customerId, limit: 100 }),
  ]);
  return {
    customerId,
    readStartedAt,
    subscriptions: subs.data,
    invoices: invoices.data,
    charges: charges.data,
    complete: !subs.has_more,
  };
}

/** An invoice worth a payments row: paid, or a collection attempt that failed, or voided. */
const settled = (i: Stripe.Invoice) =>
  i.status === 'paid' || i.status === 'void' || i.status === 'uncollectible' || (i.status === 'open' && i.attempted);

/**
 * Applies a snapshot under the customer's lock, unless a snapshot read later was applied already
 * (then this one is stale and applies nothing). Idempotent: applying the same snapshot twice changes
 * nothing the second time.
 */
export async function applyStripeSnapshot(deps: StripeDeps, snap: StripeSnapshot): Promise<SyncResult> {
  const result: SyncResult = { unknownCustomer: 0, stale: 0, subscriptions: 0, invoices: 0, charges: 0 };
  await withContext(deps.db, systemActor, async (tx) => {
    await lockKey(tx, `stripe:${snap.customerId}`);
    const [customer] = await tx
      .select({ userId: billingCustomers.userId, syncedAt: billingCustomers.syncedAt })
      .from(billingCustomers)
      .where(and(eq(billingCustomers.provider, 'stripe'), eq(billingCustomers.customerId, snap.customerId)));
    if (!customer) {
      result.unknownCustomer = 1;
      return;
    }
    if (customer.syncedAt && customer.syncedAt > snap.readStartedAt) {
      result.stale = 1;
      return;
    }
    const now = new Date();
    for (const sub of snap.subscriptions) {
      if (await applyStripeSubscription(tx, deps.stripeConfig, sub, now)) result.subscriptions++;
    }
    if (snap.complete) {
      // A subscription of ours that Stripe no longer lists for the customer is over.
      const listed = snap.subscriptions.map((s) => s.id);
      await tx
        .update(subscriptions)
        .set({ status: 'canceled', canceledAt: now, pastDueSince: null })
        .where(
          and(
            eq(subscriptions.userId, customer.userId),
            eq(subscriptions.paymentMethod, 'stripe'),
            inArray(subscriptions.status, ['active', 'past_due', 'unpaid', 'paused']),
            listed.length > 0 ? notInArray(subscriptions.stripeSubscriptionId, listed) : undefined,
          ),
        );
    }
    // Subscriptions first, so each payment links to its subscription row.
    for (const invoice of snap.invoices.filter(settled)) {
      await applyStripeInvoice(tx, invoice);
      result.invoices++;
    }
    for (const charge of snap.charges.filter((c) => c.amount_refunded > 0)) {
      await applyStripeCharge(tx, charge);
      result.charges++;
    }
    await tx
      .update(billingCustomers)
      .set({ syncedAt: snap.readStartedAt })
      .where(and(eq(billingCustomers.provider, 'stripe'), eq(billingCustomers.customerId, snap.customerId)));
    await recomputeUserPlan(tx, customer.userId, now, deps.config.billing.graceDays);
  });
  return result;
}

/** Read, then apply: the queued job, the plan change and the per-user re-sync all come here. */
export async function syncStripeCustomer(deps: StripeDeps, customerId: string): Promise<SyncResult> {
  return applyStripeSnapshot(deps, await readStripeCustomer(deps, customerId));
}

/** Plan change (with proration), cancel at period end, or resume. */
export async function updateStripeSubscription(
  deps: StripeDeps,
  o: { userId: string; change: { plan: PlanName; interval?: BillingInterval } | { cancelAtPeriodEnd: boolean } },
): Promise<void> {
  const row = await liveSubscription(deps.db, o.userId);
  if (!row?.stripeSubscriptionId) throw new AppError('SUBSCRIPTION_NOT_FOUND');
  const subId = row.stripeSubscriptionId;
  const sub = await callStripe(() => deps.stripe.subscriptions.retrieve(subId));
  let params: Stripe.SubscriptionUpdateParams;
  if ('plan' in o.change) {
    const item = sub.items.data[0];
    const currency = (item?.price.currency ?? 'usd').toUpperCase() as Currency;
    // The interval stays what it was unless the change names one (monthly to yearly, say).
    const interval = o.change.interval ?? (row.billingInterval === 'year' ? 'year' : 'month');
    const price = stripePriceFor(deps.stripeConfig, o.change.plan, currency, interval);
    params = {
      items: [{ ...(item ? { id: item.id } : {}), price }],
      proration_behavior: 'create_prorations',
      cancel_at_period_end: false,
    };
  } else {
    params = { cancel_at_period_end: o.change.cancelAtPeriodEnd };
  }
  // No idempotency key: these updates set values (safe to repeat), and a key reused within 24 hours
  // would replay an earlier answer instead of, say, cancelling again after a resume.
  const updated = await callStripe(() => deps.stripe.subscriptions.update(subId, params));
  const customerId = ref(updated.customer);
  // Applied at once, so the answer shows the new plan; the webhooks that follow re-read the same state.
  if (customerId) await callStripe(() => syncStripeCustomer(deps, customerId));
}

/** `jobr billing resync USER` and the admin button: re-read the user's Stripe customer now. */
export async function resyncStripeUser(deps: StripeDeps, userId: string): Promise<number> {
  const customer = await withContext(deps.db, systemActor, (tx) => findCustomer(tx, userId, 'stripe'));
  if (!customer) return 0;
  return (await callStripe(() => syncStripeCustomer(deps, customer))).subscriptions;
}

export const stripeSyncTask = defineTask<{ customerId: string }>({
  name: 'billing-stripe-sync',
  summary:
    "Re-read one Stripe customer's subscriptions, invoices and charges (queued by webhooks) and apply them under the customer's lock",
  schema: z.object({ customerId: z.string().min(1).max(255) }),
  // One waiting job per customer (singletonKey): a burst of events for a customer is one re-read.
  queuePolicy: 'short',
  // Stripe down: retried with backoff (30 s, 1 min, 2 min, ... about 2 hours in all).
  retry: { limit: 8, delaySeconds: 30 },
  async run({ db, config }, { customerId }) {
    const result = await syncStripeCustomer(needStripe(createBillingDeps(db, config)), customerId);
    return { ...result };
  },
});
