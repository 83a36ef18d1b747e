/**
 * Stripe: Checkout, the customer portal, plan changes and webhooks. A webhook is "something changed,
 * go look": the object it names is re-read from Stripe and that current state is applied, so
 * duplicated or out-of-order deliveries cannot leave a stale plan (docs/decisions/016-billing-sync.md).
 */
import { and, eq, inArray } from 'drizzle-orm';
import Stripe from 'stripe';
import type { Config, StripeConfig } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { systemActor, withContext } from '../../db/context.ts';
import { subscriptions, users } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import type { BillingInterval, PlanName } from '../plans/plans.ts';
import { applyStripeCharge, findCustomer, saveCustomer } from './billing.service.ts';
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

/** The user's Stripe subscription that is not over, if any. */
export async function liveSubscription(db: Db, userId: string) {
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
