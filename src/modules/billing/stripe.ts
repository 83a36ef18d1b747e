/**
 * Stripe: Checkout, the customer portal, plan changes and webhooks. A webhook is "something changed,
 * go look": the object it names is re-read from Stripe and that current state is applied, so
 * duplicated or out-of-order deliveries cannot leave a stale plan (docs/decisions/016-billing-sync.md).
 */
import { and, eq, inArray } from 'drizzle-orm';
import Stripe from 'stripe';
import type { Config, StripeConfig } from '../../config.ts';
import type { Db, Tx } from '../../db/client.ts';
import { systemActor, withContext } from '../../db/context.ts';
import { subscriptions, users } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import type { BillingInterval, PlanName } from '../plans/plans.ts';
import {
  applyStripeCharge,
  applyStripeInvoice,
  applyStripeSubscription,
  findCustomer,
  recomputeUserPlan,
  recordEvent,
  saveCustomer,
  userOfCustomer,
} from './billing.service.ts';
import { lockKey } from './locks.ts';
import { type Currency, stripePriceFor } from './prices.ts';

export type StripeDeps = { db: Db; config: Config; stripe: Stripe; stripeConfig: StripeConfig };

/** The SDK pointed at STRIPE_API_URL (api.stripe.com, or a local fake in tests). */
export function createStripeClient(config: Config): { stripe: Stripe; stripeConfig: StripeConfig } | undefined {
  const sc = config.billing.stripe;
  if (!sc) return undefined;
  const url = new URL(sc.apiUrl);
  const stripe = new Stripe(sc.secretKey, {
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443,
    protocol: url.protocol === 'http:' ? 'http' : 'https',
    timeout: config.billing.providerTimeoutMs,
    maxNetworkRetries: 1,
    telemetry: false,
  });
  return { stripe, stripeConfig: sc };
}

/** Runs a Stripe call; an outage or a Stripe-side failure becomes 502 BILLING_PROVIDER_UNAVAILABLE. */
export async function callStripe<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof Stripe.errors.StripeError) {
      throw new AppError('BILLING_PROVIDER_UNAVAILABLE', {
        message: `The payment provider refused or failed the request (${err.type}).`,
        cause: err,
      });
    }
    throw err;
  }
}

const isMissing = (err: unknown) => err instanceof Stripe.errors.StripeInvalidRequestError && err.statusCode === 404;

async function ensureCustomer(deps: StripeDeps, userId: string): Promise<string> {
  const { db, stripe } = deps;
  const found = await withContext(db, systemActor, (tx) => findCustomer(tx, userId, 'stripe'));
  if (found) return found;
  const [user] = await withContext(db, systemActor, (tx) =>
    tx.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, userId)),
  );
  // The idempotency key makes two concurrent first checkouts get the same Stripe customer.
  const customer = await callStripe(() =>
    stripe.customers.create(
      { ...(user?.email ? { email: user.email } : {}), name: user?.name, metadata: { userId } },
      { idempotencyKey: `jobr-customer-${userId}` },
    ),
  );
  return withContext(db, systemActor, (tx) => saveCustomer(tx, userId, customer.id));
}

async function liveSubscription(db: Db, userId: string) {
  const [row] = await withContext(db, { kind: 'user', userId }, (tx) =>
    tx
      .select()
      .from(subscriptions)
      .where(
        and(
          eq(subscriptions.userId, userId),
          eq(subscriptions.paymentMethod, 'stripe'),
          inArray(subscriptions.status, ['active', 'past_due', 'unpaid', 'paused']),
        ),
      )
      .limit(1),
  );
  return row;
}

export async function createStripeCheckout(
  deps: StripeDeps,
  o: { userId: string; plan: PlanName; currency: Currency; interval: BillingInterval },
): Promise<{ id: string; url: string }> {
  const price = stripePriceFor(deps.stripeConfig, o.plan, o.currency, o.interval);
  if (await liveSubscription(deps.db, o.userId)) throw new AppError('ALREADY_SUBSCRIBED');
  const customer = await ensureCustomer(deps, o.userId);
  const base = deps.config.publicUrl;
  const session = await callStripe(() =>
    deps.stripe.checkout.sessions.create({
      mode: 'subscription',
      customer,
      client_reference_id: o.userId,
      line_items: [{ price, quantity: 1 }],
      subscription_data: { metadata: { userId: o.userId, plan: o.plan, interval: o.interval } },
      // The return page only shows progress: the plan changes when Stripe's webhook says so.
      success_url: `${base}/billing?checkout=done&session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${base}/billing?checkout=cancelled`,
    }),
  );
  if (!session.url) throw new AppError('BILLING_PROVIDER_UNAVAILABLE');
  return { id: session.id, url: session.url };
}

export async function createPortalSession(deps: StripeDeps, userId: string): Promise<{ url: string }> {
  const customer = await withContext(deps.db, { kind: 'user', userId }, (tx) => findCustomer(tx, userId, 'stripe'));
  if (!customer) throw new AppError('SUBSCRIPTION_NOT_FOUND');
  const session = await callStripe(() =>
    deps.stripe.billingPortal.sessions.create({ customer, return_url: `${deps.config.publicUrl}/billing` }),
  );
  return { url: session.url };
}

/** Applies a subscription Stripe just returned, under the customer's lock, and recomputes the plan. */
async function applyFetched(deps: StripeDeps, customerId: string, sub: Stripe.Subscription): Promise<void> {
  await withContext(deps.db, systemActor, async (tx) => {
    await lockKey(tx, `stripe:${customerId}`);
    // Re-read under the lock: a webhook may have applied a newer state meanwhile.
    const current = await callStripe(() => deps.stripe.subscriptions.retrieve(sub.id));
    const userId = await applyStripeSubscription(tx, deps.stripeConfig, current, new Date());
    if (userId) await recomputeUserPlan(tx, userId, new Date(), deps.config.billing.graceDays);
  });
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
  const customerId = typeof updated.customer === 'string' ? updated.customer : updated.customer.id;
  await applyFetched(deps, customerId, updated);
}

export type WebhookResult = { received: true; duplicate: boolean; applied: string | null };

/** Verifies the signature over the raw body (5 minutes tolerance); throws WEBHOOK_SIGNATURE_INVALID. */
export function verifyStripeEvent(deps: StripeDeps, raw: Buffer, signature: string | undefined): Stripe.Event {
  const secret = deps.stripeConfig.webhookSecret;
  if (!secret) throw new AppError('BILLING_NOT_CONFIGURED', { message: 'STRIPE_WEBHOOK_SECRET is not set.' });
  if (!signature) throw new AppError('WEBHOOK_SIGNATURE_INVALID');
  try {
    return deps.stripe.webhooks.constructEvent(raw, signature, secret, 300);
  } catch (err) {
    throw new AppError('WEBHOOK_SIGNATURE_INVALID', { cause: err });
  }
}

type Target =
  | { kind: 'subscription'; id: string }
  | { kind: 'invoice'; id: string }
  | { kind: 'charge'; id: string }
  | { kind: 'none' };

function targetOf(event: Stripe.Event): Target {
  const object = event.data.object as { id?: string; object?: string; subscription?: unknown; charge?: unknown };
  const ref = (v: unknown) => (typeof v === 'string' ? v : ((v as { id?: string } | null)?.id ?? undefined));
  switch (object.object) {
    case 'checkout.session': {
      const sub = ref(object.subscription);
      return sub ? { kind: 'subscription', id: sub } : { kind: 'none' };
    }
    case 'subscription':
      return object.id ? { kind: 'subscription', id: object.id } : { kind: 'none' };
    case 'invoice':
      return object.id ? { kind: 'invoice', id: object.id } : { kind: 'none' };
    case 'charge':
      return object.id ? { kind: 'charge', id: object.id } : { kind: 'none' };
    case 'refund': {
      const charge = ref(object.charge);
      return charge ? { kind: 'charge', id: charge } : { kind: 'none' };
    }
    default:
      return { kind: 'none' };
  }
}

/**
 * Applies one verified event: in one transaction, under the customer's lock, re-read the object from
 * Stripe, apply it, and record the event id. A failure rolls everything back and Stripe redelivers.
 */
export async function handleStripeEvent(deps: StripeDeps, event: Stripe.Event): Promise<WebhookResult> {
  const { db, stripe, stripeConfig, config } = deps;
  const target = targetOf(event);
  const customerRef = (event.data.object as { customer?: unknown }).customer;
  const customerId =
    typeof customerRef === 'string' ? customerRef : ((customerRef as { id?: string } | null)?.id ?? 'none');
  return withContext(db, systemActor, async (tx: Tx) => {
    await lockKey(tx, `stripe:${customerId}`);
    const userId = customerId === 'none' ? undefined : await userOfCustomer(tx, customerId);
    if (!(await recordEvent(tx, { provider: 'stripe', eventId: event.id, type: event.type, userId }))) {
      return { received: true as const, duplicate: true, applied: null };
    }
    const now = new Date();
    const touched = new Set<string>();
    const applySub = async (id: string) => {
      try {
        const sub = await stripe.subscriptions.retrieve(id);
        const u = await applyStripeSubscription(tx, stripeConfig, sub, now);
        if (u) touched.add(u);
      } catch (err) {
        // A subscription Stripe no longer has is over.
        if (!isMissing(err)) throw err;
        const [row] = await tx
          .update(subscriptions)
          .set({ status: 'canceled', canceledAt: now, pastDueSince: null })
          .where(eq(subscriptions.stripeSubscriptionId, id))
          .returning({ userId: subscriptions.userId });
        if (row) touched.add(row.userId);
      }
    };
    if (target.kind === 'subscription') await applySub(target.id);
    else if (target.kind === 'invoice') {
      const invoice = await stripe.invoices.retrieve(target.id);
      const subId = typeof invoice.subscription === 'string' ? invoice.subscription : invoice.subscription?.id;
      // The subscription first, so the payment links to its row.
      if (subId) await applySub(subId);
      const u = await applyStripeInvoice(tx, invoice);
      if (u) touched.add(u);
    } else if (target.kind === 'charge') {
      const u = await applyStripeCharge(tx, await stripe.charges.retrieve(target.id));
      if (u) touched.add(u);
    }
    for (const u of touched) await recomputeUserPlan(tx, u, now, config.billing.graceDays);
    return { received: true as const, duplicate: false, applied: target.kind === 'none' ? null : target.kind };
  });
}

/** `jobr billing resync USER` and the admin button: re-read every subscription of the user from Stripe. */
export async function resyncStripeUser(deps: StripeDeps, userId: string): Promise<number> {
  const customer = await withContext(deps.db, systemActor, (tx) => findCustomer(tx, userId, 'stripe'));
  if (!customer) return 0;
  const list = await callStripe(() => deps.stripe.subscriptions.list({ customer, status: 'all', limit: 100 }));
  await withContext(deps.db, systemActor, async (tx) => {
    await lockKey(tx, `stripe:${customer}`);
    const now = new Date();
    for (const sub of list.data) await applyStripeSubscription(tx, deps.stripeConfig, sub, now);
    await recomputeUserPlan(tx, userId, now, deps.config.billing.graceDays);
  });
  return list.data.length;
}

/** Refunds (part of) a Stripe payment; the refunded amount is recorded from the charge Stripe returns. */
export async function refundStripePayment(
  deps: StripeDeps,
  o: { paymentIntentId: string; amount: number; paymentId: string },
): Promise<void> {
  const refund = await callStripe(() =>
    deps.stripe.refunds.create({
      payment_intent: o.paymentIntentId,
      amount: o.amount,
      metadata: { paymentId: o.paymentId },
    }),
  );
  const chargeId = typeof refund.charge === 'string' ? refund.charge : refund.charge?.id;
  if (!chargeId) return;
  const charge = await callStripe(() => deps.stripe.charges.retrieve(chargeId));
  await withContext(deps.db, systemActor, (tx) => applyStripeCharge(tx, charge));
}
