/**
 * Billing state in our database: subscriptions and payments as the providers last reported them, and
 * the user's effective plan derived from them. Every function takes a transaction; none calls a
 * provider (the callers fetch provider state first and pass it in).
 */

import { and, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { StripeConfig } from '../../config.ts';
import type { Db, Tx } from '../../db/client.ts';
import { systemActor, withContext } from '../../db/context.ts';
import { CURRENCIES } from '../../db/schema/billing.ts';
import { billingCustomers, billingEvents, payments, subscriptions, users } from '../../db/schema/index.ts';
import { type BillingInterval, isPlanName, type PlanName } from '../plans/plans.ts';
import { addInterval, planOfStripePrice } from './prices.ts';

const PLAN_RANK: Record<PlanName, number> = { Free: 0, Premium: 1, Enterprise: 2 };
const CURRENCY_SET = new Set<string>(CURRENCIES);

export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;

/**
 * Records a provider event id. Returns false when it was already recorded: the caller must then do
 * nothing. Same transaction as the effect, so an event is applied exactly once.
 */
export async function recordEvent(
  tx: Tx,
  e: { provider: 'stripe' | 'phonepe'; eventId: string; type: string; userId?: string | null },
): Promise<boolean> {
  const rows = await tx
    .insert(billingEvents)
    .values({ provider: e.provider, eventId: e.eventId, type: e.type.slice(0, 100), userId: e.userId ?? null })
    .onConflictDoNothing()
    .returning({ id: billingEvents.eventId });
  return rows.length === 1;
}

export async function findCustomer(tx: Tx, userId: string, provider: 'stripe'): Promise<string | undefined> {
  const [row] = await tx
    .select({ customerId: billingCustomers.customerId })
    .from(billingCustomers)
    .where(and(eq(billingCustomers.userId, userId), eq(billingCustomers.provider, provider)));
  return row?.customerId;
}

/** Saves the customer; when another request saved one first, that one wins and is returned. */
export async function saveCustomer(tx: Tx, userId: string, customerId: string): Promise<string> {
  await tx.insert(billingCustomers).values({ userId, provider: 'stripe', customerId }).onConflictDoNothing();
  return (await findCustomer(tx, userId, 'stripe')) ?? customerId;
}

export async function userOfCustomer(tx: Tx, customerId: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ userId: billingCustomers.userId })
    .from(billingCustomers)
    .where(and(eq(billingCustomers.provider, 'stripe'), eq(billingCustomers.customerId, customerId)));
  return row?.userId;
}

const idOf = (v: string | { id: string } | null | undefined): string | undefined =>
  typeof v === 'string' ? v : (v?.id ?? undefined);

const STRIPE_STATUS: Partial<Record<Stripe.Subscription.Status, SubscriptionRow['status']>> = {
  active: 'active',
  trialing: 'active',
  past_due: 'past_due',
  unpaid: 'unpaid',
  canceled: 'canceled',
  incomplete_expired: 'canceled',
  paused: 'paused',
};

/**
 * Makes our row match a subscription as Stripe reports it now. Returns the user it belongs to, or
 * undefined when the subscription is not ours (unknown customer) or not yet real (incomplete).
 */
export async function applyStripeSubscription(
  tx: Tx,
  config: StripeConfig,
  sub: Stripe.Subscription,
  now: Date,
): Promise<string | undefined> {
  const customerId = idOf(sub.customer);
  const userId = customerId ? await userOfCustomer(tx, customerId) : undefined;
  if (!userId) return undefined;
  const status = STRIPE_STATUS[sub.status];
  const [existing] = await tx
    .select()
    .from(subscriptions)
    .where(eq(subscriptions.stripeSubscriptionId, sub.id))
    .for('update');
  // An incomplete subscription (first payment not made) grants nothing and gets no row yet.
  if (!status) return existing ? userId : undefined;
  const price = sub.items.data[0]?.price;
  const known = planOfStripePrice(config, price?.id);
  const plan = known?.plan ?? (existing?.planId as PlanName | undefined);
  if (!plan) return undefined;
  const billingInterval: BillingInterval =
    known?.interval ?? (price?.recurring?.interval === 'year' ? 'year' : 'month');
  const start = new Date(sub.current_period_start * 1000);
  let end = new Date(sub.current_period_end * 1000);
  if (end <= start) end = new Date(start.getTime() + 1000);
  const values = {
    planId: plan,
    billingInterval,
    status,
    currentPeriodStart: start,
    currentPeriodEnd: end,
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    canceledAt: sub.canceled_at ? new Date(sub.canceled_at * 1000) : null,
    pastDueSince: status === 'past_due' ? (existing?.pastDueSince ?? now) : null,
  };
  if (existing) {
    await tx.update(subscriptions).set(values).where(eq(subscriptions.id, existing.id));
  } else {
    await tx
      .insert(subscriptions)
      .values({ ...values, userId, stripeSubscriptionId: sub.id, paymentMethod: 'stripe' })
      .onConflictDoUpdate({ target: subscriptions.stripeSubscriptionId, set: values });
  }
  return userId;
}

/** A paid or failed invoice becomes (or updates) one payments row, keyed by its payment intent. */
export async function applyStripeInvoice(tx: Tx, invoice: Stripe.Invoice): Promise<string | undefined> {
  const customerId = idOf(invoice.customer);
  const userId = customerId ? await userOfCustomer(tx, customerId) : undefined;
  const intent = idOf(invoice.payment_intent);
  const currency = invoice.currency.toUpperCase();
  const paid = invoice.status === 'paid';
  const amount = paid ? invoice.amount_paid : invoice.amount_due;
  if (!userId || !intent || amount <= 0 || !CURRENCY_SET.has(currency)) return userId;
  const subId = idOf(invoice.subscription);
  const [sub] = subId
    ? await tx
        .select({ id: subscriptions.id, planId: subscriptions.planId })
        .from(subscriptions)
        .where(eq(subscriptions.stripeSubscriptionId, subId))
    : [];
  const status: PaymentRow['status'] = paid
    ? 'succeeded'
    : invoice.status === 'void' || invoice.status === 'uncollectible'
      ? 'canceled'
      : 'failed';
  const values = { amount, currency, status, subscriptionId: sub?.id ?? null, planId: sub?.planId ?? null };
  await tx
    .insert(payments)
    .values({ ...values, userId, paymentMethod: 'stripe', stripePaymentIntentId: intent })
    .onConflictDoUpdate({
      target: payments.stripePaymentIntentId,
      // A succeeded payment never goes back to failed (a late payment_failed event for an invoice paid since).
      set: { ...values, status: sql`case when ${payments.status} = 'succeeded' then 'succeeded' else ${status} end` },
    });
  return userId;
}

/** Records how much of a Stripe payment has been refunded, as the charge reports it. */
export async function applyStripeCharge(tx: Tx, charge: Stripe.Charge): Promise<string | undefined> {
  const intent = idOf(charge.payment_intent);
  if (!intent) return undefined;
  const [row] = await tx
    .update(payments)
    .set({ refundedAmount: sql`least(${charge.amount_refunded}, ${payments.amount})` })
    .where(eq(payments.stripePaymentIntentId, intent))
    .returning({ userId: payments.userId });
  return row?.userId;
}

/**
 * A PhonePe payment PhonePe reports as COMPLETED: marks it succeeded and grants (or extends) the plan
 * it buys, once. A payment already final is left alone, so a repeated callback does nothing.
 */
export async function completePhonePePayment(
  tx: Tx,
  paymentId: string,
  outcome: 'succeeded' | 'failed',
  now: Date,
  /** The autopay mandate a setup payment creates (merchantSubscriptionId). */
  mandate?: string,
): Promise<{ changed: boolean; userId?: string }> {
  const [payment] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for('update');
  if (!payment || (payment.status !== 'pending' && payment.status !== 'processing')) {
    return { changed: false, userId: payment?.userId };
  }
  if (outcome === 'failed' || !payment.planId || !isPlanName(payment.planId)) {
    await tx.update(payments).set({ status: 'failed' }).where(eq(payments.id, paymentId));
    return { changed: true, userId: payment.userId };
  }
  const interval: BillingInterval = payment.billingInterval === 'year' ? 'year' : 'month';
  // The row this payment pays for: the subscription a redemption was made for, the mandate's row, or
  // (one-time payments) the user's PhonePe row of that plan; a new payment extends it from its end.
  const mine = and(eq(subscriptions.userId, payment.userId), eq(subscriptions.paymentMethod, 'phonepe'));
  const [current] = await tx
    .select()
    .from(subscriptions)
    .where(
      payment.subscriptionId
        ? and(mine, eq(subscriptions.id, payment.subscriptionId))
        : mandate
          ? and(mine, eq(subscriptions.phonepeSubscriptionId, mandate))
          : and(mine, eq(subscriptions.planId, payment.planId), isNull(subscriptions.phonepeSubscriptionId)),
    )
    .orderBy(desc(subscriptions.currentPeriodEnd))
    .limit(1)
    .for('update');
  let subscriptionId: string;
  if (current && current.status === 'active' && current.currentPeriodEnd > now) {
    await tx
      .update(subscriptions)
      .set({ currentPeriodEnd: addInterval(current.currentPeriodEnd, interval), billingInterval: interval })
      .where(eq(subscriptions.id, current.id));
    subscriptionId = current.id;
  } else if (current) {
    await tx
      .update(subscriptions)
      .set({
        status: 'active',
        currentPeriodStart: now,
        currentPeriodEnd: addInterval(now, interval),
        billingInterval: interval,
        canceledAt: null,
      })
      .where(eq(subscriptions.id, current.id));
    subscriptionId = current.id;
  } else {
    const [created] = await tx
      .insert(subscriptions)
      .values({
        userId: payment.userId,
        planId: payment.planId,
        status: 'active',
        currentPeriodStart: now,
        currentPeriodEnd: addInterval(now, interval),
        billingInterval: interval,
        paymentMethod: 'phonepe',
        phonepeSubscriptionId: mandate ?? null,
      })
      .returning({ id: subscriptions.id });
    subscriptionId = (created as { id: string }).id;
  }
  await tx.update(payments).set({ status: 'succeeded', subscriptionId }).where(eq(payments.id, paymentId));
  return { changed: true, userId: payment.userId };
}

/**
 * Derives users.plan / plan_status from the user's subscriptions: the best plan among active ones
 * (PhonePe ones only until their paid period ends) and past-due ones still in their grace period.
 * Without one: Free, 'unpaid' when a grace period ran out, 'cancelled' after a cancellation.
 * Ends PhonePe periods that have run out.
 */
export async function recomputeUserPlan(
  tx: Tx,
  userId: string,
  now: Date,
  graceDays: number,
): Promise<{ plan: PlanName; planStatus: string }> {
  // Row lock first: concurrent recomputations for one user run one after the other, each reading the
  // subscriptions the previous one committed.
  await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
  await tx
    .update(subscriptions)
    .set({ status: 'canceled', canceledAt: now })
    .where(
      and(
        eq(subscriptions.userId, userId),
        eq(subscriptions.paymentMethod, 'phonepe'),
        eq(subscriptions.status, 'active'),
        lte(subscriptions.currentPeriodEnd, now),
      ),
    );
  const rows = await tx
    .select()
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.userId, userId),
        inArray(subscriptions.status, ['active', 'past_due', 'unpaid', 'canceled']),
      ),
    );
  const graceMs = graceDays * 24 * 3600 * 1000;
  let plan: PlanName = 'Free';
  let planStatus = 'active';
  let lapsed = false;
  let cancelled = false;
  for (const s of rows) {
    if (!isPlanName(s.planId)) continue;
    if (s.status === 'canceled') {
      cancelled = true;
      continue;
    }
    const inGrace = s.status === 'past_due' && (s.pastDueSince ?? now).getTime() + graceMs > now.getTime();
    if (s.status === 'active' || inGrace) {
      const status = s.status === 'active' ? 'active' : 'past_due';
      if (PLAN_RANK[s.planId] > PLAN_RANK[plan] || (s.planId === plan && status === 'active')) {
        plan = s.planId;
        planStatus = status;
      }
    } else {
      lapsed = true;
    }
  }
  // users.plan_status spells it 'cancelled' (the design document's CHECK); subscriptions say 'canceled'.
  if (plan === 'Free' && lapsed) planStatus = 'unpaid';
  else if (plan === 'Free' && cancelled) planStatus = 'cancelled';
  await tx.update(users).set({ plan, planStatus }).where(eq(users.id, userId));
  return { plan, planStatus };
}

/**
 * Recomputes the plan of every user with a subscription that may have lapsed: a PhonePe period that
 * ended, or a past-due grace period that ran out. One small transaction per user.
 */
export async function expireLapsedPlans(db: Db, now: Date, graceDays: number): Promise<number> {
  const graceStart = new Date(now.getTime() - graceDays * 24 * 3600 * 1000);
  const rows = await withContext(db, systemActor, (tx) =>
    tx
      .selectDistinct({ userId: subscriptions.userId })
      .from(subscriptions)
      .innerJoin(users, eq(users.id, subscriptions.userId))
      .where(
        or(
          and(
            eq(subscriptions.paymentMethod, 'phonepe'),
            eq(subscriptions.status, 'active'),
            lte(subscriptions.currentPeriodEnd, now),
          ),
          and(
            eq(subscriptions.status, 'past_due'),
            lte(subscriptions.pastDueSince, graceStart),
            eq(users.planStatus, 'past_due'),
          ),
        ),
      )
      .limit(1000),
  );
  for (const r of rows) {
    await withContext(db, systemActor, (tx) => recomputeUserPlan(tx, r.userId, now, graceDays));
  }
  return rows.length;
}

/** When the user's current paid plan renews or ends: the latest period end of a live subscription to it. */
export async function planRenewsAt(tx: Tx, userId: string, plan: string): Promise<Date | null> {
  if (plan === 'Free') return null;
  const [row] = await tx
    .select({ end: subscriptions.currentPeriodEnd })
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.userId, userId),
        eq(subscriptions.planId, plan),
        inArray(subscriptions.status, ['active', 'past_due']),
      ),
    )
    .orderBy(desc(subscriptions.currentPeriodEnd))
    .limit(1);
  return row?.end ?? null;
}

/**
 * Event ids only need to outlive redelivery (Stripe retries for up to 3 days); 30 days leaves room for
 * a manual replay from the dashboard.
 */
export async function forgetOldEvents(db: Db, now: Date): Promise<number> {
  const rows = await withContext(db, systemActor, (tx) =>
    tx
      .delete(billingEvents)
      .where(lt(billingEvents.processedAt, new Date(now.getTime() - 30 * 24 * 3600 * 1000)))
      .returning({ id: billingEvents.eventId }),
  );
  return rows.length;
}
