/**
 * Billing through local fakes of Stripe and PhonePe that speak their wire protocols: checkout,
 * signed webhooks applied exactly once whatever the order, plan changes, grace period, refunds,
 * provider outages, and other users' billing staying invisible.
 */
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingResyncCommand } from '../../src/cli/billing-commands.ts';
import { UsageError } from '../../src/cli/command.ts';
import { loadConfig } from '../../src/config.ts';
import { payments, subscriptions, users } from '../../src/db/schema/index.ts';
import { expireLapsedPlans } from '../../src/modules/billing/billing.service.ts';
import { billingResyncTask } from '../../src/modules/billing/billing.task.ts';
import { createBillingDeps, needStripe } from '../../src/modules/billing/deps.ts';
import { resyncPendingPhonePe } from '../../src/modules/billing/phonepe.ts';
import { renewPhonePeMandates } from '../../src/modules/billing/phonepe-autopay.ts';
import { addInterval } from '../../src/modules/billing/prices.ts';
import { applyStripeSnapshot, readStripeCustomer, stripeSyncTask } from '../../src/modules/billing/stripe-sync.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInAdmin, signedInUser } from '../helpers/auth.ts';
import { type FakePhonePe, startFakePhonePe } from '../helpers/fake-phonepe.ts';
import { type FakeEvent, type FakeStripe, startFakeStripe } from '../helpers/fake-stripe.ts';
import { jobCounts, workQueue } from '../helpers/queue.ts';

const STRIPE_KEY = 'sk_test_jobr_billing';
const WEBHOOK_SECRET = 'whsec_test_jobr_billing';
const PP = { clientId: 'JOBR_CLIENT', clientSecret: 'pp-secret', username: 'jobr-hook', password: 'hook-pass-123' };

let ctx: TestContext & { close(): Promise<void> };
let bare: TestContext & { close(): Promise<void> };
let stripe: FakeStripe;
let phonepe: FakePhonePe;

beforeAll(async () => {
  stripe = await startFakeStripe({
    secretKey: STRIPE_KEY,
    webhookSecret: WEBHOOK_SECRET,
    prices: {
      price_premium_usd: { amount: 999, currency: 'usd' },
      price_enterprise_usd: { amount: 4999, currency: 'usd' },
      price_premium_inr: { amount: 49900, currency: 'inr' },
      price_premium_usd_year: { amount: 9990, currency: 'usd', interval: 'year' },
    },
  });
  phonepe = await startFakePhonePe(PP);
  ctx = await createTestApp({
    env: {
      STRIPE_SECRET_KEY: STRIPE_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_PRICES:
        'Premium:USD=price_premium_usd,Enterprise:USD=price_enterprise_usd,Premium:INR=price_premium_inr,Premium:USD:year=price_premium_usd_year',
      PHONEPE_PRICES: 'Enterprise:year=2000000',
      STRIPE_API_URL: stripe.url,
      PHONEPE_CLIENT_ID: PP.clientId,
      PHONEPE_CLIENT_SECRET: PP.clientSecret,
      PHONEPE_API_URL: phonepe.url,
      PHONEPE_AUTH_URL: phonepe.url,
      PHONEPE_WEBHOOK_USERNAME: PP.username,
      PHONEPE_WEBHOOK_PASSWORD: PP.password,
      BILLING_PROVIDER_TIMEOUT_MS: '1500',
    },
  });
  bare = await createTestApp();
});
afterAll(async () => {
  await ctx?.close();
  await bare?.close();
  await stripe?.close();
  await phonepe?.close();
});

type Headers = Record<string, string>;
const api = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Headers = {}, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

const deliver = (ev: FakeEvent, opts: { secret?: string; timestamp?: number } = {}) => {
  const { payload, header } = stripe.sign(ev, opts);
  return ctx.app.inject({
    method: 'POST',
    url: '/api/v1/billing/webhooks/stripe',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    payload,
  });
};
/** What the pg-boss worker would do next: run the queued Stripe re-reads. */
const drain = () => workQueue(ctx, stripeSyncTask);
const deliverAll = async (events: FakeEvent[]) => {
  for (const ev of events) {
    const res = await deliver(ev);
    expect(res.statusCode, res.body).toBe(200);
  }
  expect((await drain()).failed).toBe(0);
};

async function userRow(id: string) {
  const [u] = await ctx.database.db.select().from(users).where(eq(users.id, id));
  return u as typeof users.$inferSelect;
}
const paymentsOf = (id: string) => ctx.database.db.select().from(payments).where(eq(payments.userId, id));
const subsOf = (id: string) => ctx.database.db.select().from(subscriptions).where(eq(subscriptions.userId, id));

/** A user who has completed Stripe Checkout for `plan`; the events are returned, not delivered. */
async function checkedOut(plan: 'Premium' | 'Enterprise' = 'Premium') {
  const me = await signedInUser(ctx.database.db);
  const res = await api('POST', '/billing/checkout', me.headers, { plan, currency: 'USD', provider: 'stripe' });
  expect(res.statusCode, res.body).toBe(201);
  const events = stripe.completeCheckout(res.json().id);
  const subId = (events[1] as FakeEvent).data.object.id as string;
  return { me, events, subId };
}

describe('plans and configuration', () => {
  it('lists the plans with limits, prices in minor units and how each can be paid, without signing in', async () => {
    const res = await api('GET', '/plans');
    expect(res.statusCode).toBe(200);
    const byName = Object.fromEntries(res.json().data.map((p: { name: string }) => [p.name, p]));
    expect(byName.Free).toMatchObject({ prices: [], providers: [], limits: { cv_upload: 3 } });
    expect(byName.Premium.prices).toEqual([
      { amount: 999, currency: 'USD', interval: 'month', providers: ['stripe'] },
      { amount: 9990, currency: 'USD', interval: 'year', providers: ['stripe'] },
      { amount: 49900, currency: 'INR', interval: 'month', providers: ['stripe', 'phonepe'] },
      { amount: 499000, currency: 'INR', interval: 'year', providers: ['phonepe'] },
    ]);
    expect(byName.Premium.providers).toEqual(['stripe', 'phonepe']);
    // PHONEPE_PRICES overrides the catalogue's INR amount; no Stripe price for Enterprise yearly here.
    expect(byName.Enterprise.prices).toContainEqual({
      amount: 2000000,
      currency: 'INR',
      interval: 'year',
      providers: ['phonepe'],
    });
    expect(byName.Enterprise.prices).toContainEqual({
      amount: 49990,
      currency: 'USD',
      interval: 'year',
      providers: [],
    });
    expect(byName.Enterprise.limits.job_application).toBeNull();
  });

  it('reads price ids per plan, currency and interval, and PhonePe amounts, from configuration', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: '/tmp/x',
      STRIPE_SECRET_KEY: 'sk_test_123456',
      STRIPE_PRICES: 'Premium:USD=price_a, Premium:USD:year=price_b',
      PHONEPE_CLIENT_ID: 'a',
      PHONEPE_CLIENT_SECRET: 'b',
      PHONEPE_PRICES: 'Premium:year=450000',
    });
    expect(config.billing.stripe?.prices).toEqual({ 'Premium:USD:month': 'price_a', 'Premium:USD:year': 'price_b' });
    expect(config.billing.phonepe?.amounts).toEqual({ 'Premium:year': 450000 });
    for (const bad of [{ STRIPE_PRICES: 'Premium:USD:week=price_a' }, { PHONEPE_PRICES: 'Premium:year=12.5' }]) {
      expect(() => loadConfig({ NODE_ENV: 'test', DATA_DIR: '/tmp/x', ...bad })).toThrow(/Invalid configuration/);
    }
  });

  it('answers 503 BILLING_NOT_CONFIGURED without provider settings, and the rest still works', async () => {
    const me = await signedInUser(bare.database.db);
    const checkout = await bare.app.inject({
      method: 'POST',
      url: '/api/v1/billing/checkout',
      headers: me.headers,
      payload: { plan: 'Premium', currency: 'USD', provider: 'stripe' },
    });
    expect(checkout.statusCode).toBe(503);
    expect(checkout.json().error.code).toBe('BILLING_NOT_CONFIGURED');
    const hook = await bare.app.inject({
      method: 'POST',
      url: '/api/v1/billing/webhooks/stripe',
      payload: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(hook.statusCode).toBe(503);
    const billing = await bare.app.inject({ method: 'GET', url: '/api/v1/billing', headers: me.headers });
    expect(billing.json()).toMatchObject({ plan: 'Free', subscriptions: [], payments: [] });
  });

  it('refuses to start in production when a configured provider lacks its webhook secret', () => {
    const base = { NODE_ENV: 'production', DATA_DIR: '/tmp/x' };
    expect(() => loadConfig({ ...base, STRIPE_SECRET_KEY: 'sk_live_123456' })).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(() => loadConfig({ ...base, PHONEPE_CLIENT_ID: 'a', PHONEPE_CLIENT_SECRET: 'b' })).toThrow(
      /PHONEPE_WEBHOOK/,
    );
    expect(() =>
      loadConfig({ ...base, STRIPE_SECRET_KEY: 'sk_live_123456', STRIPE_WEBHOOK_SECRET: 'whsec_12345678' }),
    ).not.toThrow();
  });
});

describe('Stripe checkout and webhooks', () => {
  it('validates the checkout request', async () => {
    const me = await signedInUser(ctx.database.db);
    const cases: Array<[object, number, string]> = [
      [{ plan: 'Free', currency: 'USD', provider: 'stripe' }, 400, 'VALIDATION_FAILED'],
      [{ plan: 'Premium', currency: 'EUR', provider: 'stripe' }, 400, 'VALIDATION_FAILED'],
      [{ plan: 'Enterprise', currency: 'INR', provider: 'stripe' }, 400, 'PLAN_NOT_PURCHASABLE'],
      [{ plan: 'Premium', currency: 'USD', provider: 'stripe', amount: 1 }, 400, 'VALIDATION_FAILED'],
      [{ plan: 'Premium', currency: 'USD', interval: 'week', provider: 'stripe' }, 400, 'VALIDATION_FAILED'],
      [{ plan: 'Premium', currency: 'USD', interval: 'YEAR', provider: 'stripe' }, 400, 'VALIDATION_FAILED'],
      [{ plan: 'Enterprise', currency: 'USD', interval: 'year', provider: 'stripe' }, 400, 'PLAN_NOT_PURCHASABLE'],
      [{ plan: 'Premium', currency: 'INR', interval: 'year', provider: 'stripe' }, 400, 'PLAN_NOT_PURCHASABLE'],
    ];
    for (const [body, status, code] of cases) {
      const res = await api('POST', '/billing/checkout', me.headers, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    expect((await api('POST', '/billing/checkout', {}, { plan: 'Premium', provider: 'stripe' })).statusCode).toBe(401);
  });

  it('grants the plan only when the signed webhook arrives, once, with one payment row', async () => {
    const me = await signedInUser(ctx.database.db);
    const first = await api('POST', '/billing/checkout', me.headers, {
      plan: 'Premium',
      currency: 'USD',
      provider: 'stripe',
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    // A second attempt reuses the one Stripe customer.
    const second = await api('POST', '/billing/checkout', me.headers, {
      plan: 'Premium',
      currency: 'USD',
      provider: 'stripe',
    });
    expect(second.statusCode).toBe(201);
    expect(
      [...stripe.customers.values()].filter((c) => (c.metadata as { userId?: string }).userId === me.user.id),
    ).toHaveLength(1);
    expect((await userRow(me.user.id)).plan).toBe('Free');

    const events = stripe.completeCheckout(first.json().id);
    // Three events, one customer: one queued re-read, and nothing granted until it runs.
    for (const ev of events) expect((await deliver(ev)).json()).toMatchObject({ duplicate: false, applied: 'queued' });
    const customer = stripe.sessions.get(first.json().id)?.customer as string;
    const waiting = await ctx.database.superuserQuery(
      `select id from pgboss.job where name = 'billing-stripe-sync' and state = 'created' and singleton_key = $1`,
      [`stripe:${customer}`],
    );
    expect(waiting).toHaveLength(1);
    expect((await userRow(me.user.id)).plan).toBe('Free');
    expect(await drain()).toMatchObject({ completed: 1, failed: 0 });
    expect(await userRow(me.user.id)).toMatchObject({ plan: 'Premium', planStatus: 'active' });
    // Every event again: acknowledged as duplicates, nothing applied twice.
    for (const ev of events) expect((await deliver(ev)).json()).toMatchObject({ received: true, duplicate: true });
    const pays = await paymentsOf(me.user.id);
    expect(pays).toHaveLength(1);
    expect(pays[0]).toMatchObject({ amount: 999, currency: 'USD', status: 'succeeded', planId: 'Premium' });

    const billing = (await api('GET', '/billing', me.headers)).json();
    expect(billing).toMatchObject({ plan: 'Premium', planStatus: 'active' });
    expect(new Date(billing.renewsAt).getTime()).toBeGreaterThan(Date.now());
    expect(billing.subscriptions).toHaveLength(1);
    const me2 = (await api('GET', '/me', me.headers)).json();
    expect(me2).toMatchObject({ plan: 'Premium', planRenewsAt: billing.renewsAt });
    // Already subscribed: a new checkout is refused.
    const again = await api('POST', '/billing/checkout', me.headers, {
      plan: 'Enterprise',
      currency: 'USD',
      provider: 'stripe',
    });
    expect(again.json().error.code).toBe('ALREADY_SUBSCRIBED');
  });

  it('sells a yearly subscription: the yearly price at Stripe, a renewal date a year out on /me', async () => {
    const me = await signedInUser(ctx.database.db);
    const res = await api('POST', '/billing/checkout', me.headers, {
      plan: 'Premium',
      currency: 'USD',
      interval: 'year',
      provider: 'stripe',
    });
    expect(res.statusCode, res.body).toBe(201);
    const events = stripe.completeCheckout(res.json().id);
    await deliverAll(events);
    const [sub] = await subsOf(me.user.id);
    expect(sub).toMatchObject({ planId: 'Premium', billingInterval: 'year', status: 'active' });
    const renews = new Date((await api('GET', '/me', me.headers)).json().planRenewsAt).getTime();
    expect(renews - Date.now()).toBeGreaterThan(360 * 86_400_000);
    expect(await paymentsOf(me.user.id)).toMatchObject([{ amount: 9990, currency: 'USD', status: 'succeeded' }]);
    // Back to monthly: the plan change names the interval, Stripe gets the monthly price.
    const down = await api('PATCH', '/billing/subscription', me.headers, { plan: 'Premium', interval: 'month' });
    expect(down.statusCode, down.body).toBe(200);
    expect((await subsOf(me.user.id))[0]?.billingInterval).toBe('month');
    const bad = await api('PATCH', '/billing/subscription', me.headers, { plan: 'Premium', interval: 'fortnight' });
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses missing, forged, wrong-secret and stale signatures without recording anything', async () => {
    const { me, events } = await checkedOut();
    const ev = events[1] as FakeEvent;
    const { payload } = stripe.sign(ev);
    const post = (headers: Headers, body = payload) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/v1/billing/webhooks/stripe',
        headers: { 'content-type': 'application/json', ...headers },
        payload: body,
      });
    const tampered = stripe.sign(ev);
    const cases = [
      await post({}),
      await post({ 'stripe-signature': 'garbage' }),
      await post({ 'stripe-signature': stripe.sign(ev, { secret: 'whsec_wrong_secret' }).header }),
      await post({ 'stripe-signature': stripe.sign(ev, { timestamp: Math.floor(Date.now() / 1000) - 301 }).header }),
      await post({ 'stripe-signature': tampered.header }, tampered.payload.replace('"active"', '"unpaid"')),
    ];
    for (const res of cases) {
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    }
    expect((await userRow(me.user.id)).plan).toBe('Free');
    // The genuine one still applies afterwards (the refusals recorded nothing).
    expect((await deliver(ev)).json()).toMatchObject({ duplicate: false, applied: 'queued' });
    await drain();
    expect((await userRow(me.user.id)).plan).toBe('Premium');
  });

  it('ends in the provider state whatever the delivery order (stale events re-read Stripe)', async () => {
    const { me, events, subId } = await checkedOut();
    const cancelled = stripe.cancelNow(subId);
    // Deliver the cancellation first, then the older "created" and "paid" events.
    await deliverAll([...cancelled, ...[...events].reverse()]);
    expect(await userRow(me.user.id)).toMatchObject({ plan: 'Free', planStatus: 'cancelled' });
    const [sub] = await subsOf(me.user.id);
    expect(sub?.status).toBe('canceled');
    expect(await paymentsOf(me.user.id)).toHaveLength(1);
  });

  it('keeps the plan during the grace period when a renewal fails, then falls back to Free; paying restores it', async () => {
    const { me, events, subId } = await checkedOut();
    await deliverAll(events);
    await deliverAll(stripe.failRenewal(subId));
    expect(await userRow(me.user.id)).toMatchObject({ plan: 'Premium', planStatus: 'past_due' });
    const failed = (await paymentsOf(me.user.id)).filter((p) => p.status === 'failed');
    expect(failed).toHaveLength(1);

    const grace = ctx.config.billing.graceDays;
    await expireLapsedPlans(ctx.database.db, new Date(Date.now() + (grace - 1) * 86_400_000), grace);
    expect((await userRow(me.user.id)).plan).toBe('Premium');
    await expireLapsedPlans(ctx.database.db, new Date(Date.now() + (grace + 1) * 86_400_000), grace);
    expect(await userRow(me.user.id)).toMatchObject({ plan: 'Free', planStatus: 'unpaid' });

    await deliverAll(stripe.payRenewal(subId));
    expect(await userRow(me.user.id)).toMatchObject({ plan: 'Premium', planStatus: 'active' });
  });

  it('changes plan with proration, cancels at period end and resumes', async () => {
    const { me, events, subId } = await checkedOut();
    await deliverAll(events);
    const up = await api('PATCH', '/billing/subscription', me.headers, { plan: 'Enterprise' });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ plan: 'Enterprise', planStatus: 'active' });
    expect(stripe.invoices.size).toBeGreaterThan(0);
    const proration = [...stripe.invoices.values()].find((i) => i.subscription === subId && i.amount_paid === 4000);
    expect(proration).toBeDefined();

    const cancel = await api('PATCH', '/billing/subscription', me.headers, { cancelAtPeriodEnd: true });
    expect(cancel.statusCode).toBe(200);
    expect((await subsOf(me.user.id))[0]).toMatchObject({ cancelAtPeriodEnd: true, status: 'active' });
    expect((await userRow(me.user.id)).plan).toBe('Enterprise');
    await api('PATCH', '/billing/subscription', me.headers, { cancelAtPeriodEnd: false });
    expect((await subsOf(me.user.id))[0]?.cancelAtPeriodEnd).toBe(false);
    // Cancelling again after a resume really cancels again.
    await api('PATCH', '/billing/subscription', me.headers, { cancelAtPeriodEnd: true });
    expect((await subsOf(me.user.id))[0]?.cancelAtPeriodEnd).toBe(true);
    expect((stripe.subs.get(subId) as { cancel_at_period_end: boolean }).cancel_at_period_end).toBe(true);

    const portal = await api('POST', '/billing/portal', me.headers);
    expect(portal.json().url).toMatch(/^https:\/\/billing\.stripe\.test\//);
    const bad = await api('PATCH', '/billing/subscription', me.headers, {
      plan: 'Enterprise',
      cancelAtPeriodEnd: true,
    });
    expect(bad.statusCode).toBe(400);
    const nobody = await signedInUser(ctx.database.db);
    expect((await api('PATCH', '/billing/subscription', nobody.headers, { plan: 'Premium' })).statusCode).toBe(404);
    expect((await api('POST', '/billing/portal', nobody.headers)).statusCode).toBe(404);
  });

  it('applies concurrent deliveries for one subscription exactly once', async () => {
    const { me, events, subId } = await checkedOut();
    const more = [...stripe.failRenewal(subId), ...stripe.payRenewal(subId)];
    const all = [...events, ...more];
    const results = await Promise.all([...all, ...all].map((ev) => deliver(ev)));
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    const applied = results.filter((r) => r.json().duplicate === false);
    expect(applied).toHaveLength(all.length);
    // Re-reads run concurrently too (as several workers would), twice over.
    await Promise.all([drain(), drain()]);
    expect(await subsOf(me.user.id)).toHaveLength(1);
    const pays = await paymentsOf(me.user.id);
    expect(pays.filter((p) => p.status === 'succeeded')).toHaveLength(2);
    expect(await userRow(me.user.id)).toMatchObject({ plan: 'Premium', planStatus: 'active' });
  });

  it('turns a Stripe outage into 502 at checkout; webhooks still answer at once and the re-read is retried', async () => {
    const me = await signedInUser(ctx.database.db);
    for (const mode of ['error', 'hang'] as const) {
      stripe.setOutage(mode);
      const res = await api('POST', '/billing/checkout', me.headers, {
        plan: 'Premium',
        currency: 'USD',
        provider: 'stripe',
      });
      expect(res.statusCode, res.body).toBe(502);
      expect(res.json().error.code).toBe('BILLING_PROVIDER_UNAVAILABLE');
      stripe.setOutage('none');
    }
    const { me: buyer, events } = await checkedOut();
    stripe.setOutage('hang');
    const calls = stripe.calls.length;
    // The webhook does not call Stripe: it records the event and queues the re-read.
    expect((await deliver(events[0] as FakeEvent)).json()).toMatchObject({ duplicate: false, applied: 'queued' });
    expect(stripe.calls.length).toBe(calls);
    stripe.setOutage('error');
    const failed = await drain();
    expect(failed.completed).toBe(0);
    expect(failed.failed).toBeGreaterThan(0);
    expect((await userRow(buyer.user.id)).plan).toBe('Free');
    expect((await jobCounts(ctx.database, 'billing-stripe-sync')).retry).toBeGreaterThan(0);
    stripe.setOutage('none');
    // The retry (pg-boss backoff; due at once here) applies; a redelivery is a duplicate.
    expect((await drain()).failed).toBe(0);
    expect((await userRow(buyer.user.id)).plan).toBe('Premium');
    expect((await deliver(events[0] as FakeEvent)).json()).toMatchObject({ duplicate: true });
  });

  it('re-reads safely twice or at once, and a read older than the one applied applies nothing', async () => {
    const { me, events, subId } = await checkedOut();
    await deliverAll(events);
    const deps = needStripe(createBillingDeps(ctx.database.db, ctx.config));
    const customer = (stripe.subs.get(subId) as { customer: string }).customer;
    const older = await readStripeCustomer(deps, customer);
    stripe.cancelNow(subId); // its webhook is late
    const newer = await readStripeCustomer(deps, customer);
    expect(await applyStripeSnapshot(deps, newer)).toMatchObject({ stale: 0, subscriptions: 1, invoices: 1 });
    expect(await applyStripeSnapshot(deps, older)).toMatchObject({ stale: 1, subscriptions: 0 });
    expect(await userRow(me.user.id)).toMatchObject({ plan: 'Free', planStatus: 'cancelled' });
    const logger = pino({ level: 'silent' });
    const run = () =>
      stripeSyncTask.run(
        { db: ctx.database.db, config: ctx.config, logger, now: new Date() },
        { customerId: customer },
      );
    await Promise.all([run(), run()]);
    await run();
    expect(await paymentsOf(me.user.id)).toHaveLength(1);
    expect(await subsOf(me.user.id)).toMatchObject([{ status: 'canceled' }]);
    expect(await userRow(me.user.id)).toMatchObject({ plan: 'Free', planStatus: 'cancelled' });
  });
});

describe('PhonePe', () => {
  async function phonePeCheckout() {
    const me = await signedInUser(ctx.database.db);
    const res = await api('POST', '/billing/checkout', me.headers, {
      plan: 'Premium',
      currency: 'INR',
      provider: 'phonepe',
    });
    expect(res.statusCode, res.body).toBe(201);
    return { me, order: res.json().id as string, url: res.json().url as string };
  }
  const callback = (c: { payload: string; headers: Headers }) =>
    ctx.app.inject({ method: 'POST', url: '/api/v1/billing/webhooks/phonepe', headers: c.headers, payload: c.payload });

  it('grants only after PhonePe reports the order COMPLETED, once, however often the callback comes', async () => {
    const { me, order, url } = await phonePeCheckout();
    expect(url).toMatch(/^https:\/\/mercury-uat\.phonepe\.test\//);
    expect(await paymentsOf(me.user.id)).toMatchObject([
      { status: 'pending', amount: 49900, currency: 'INR', planId: 'Premium' },
    ]);

    // A forged callback is refused; a genuine one for a still-pending order grants nothing.
    const forged = await callback(phonepe.callback(order, { password: 'guess' }));
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect((await callback(phonepe.callback(order))).json()).toMatchObject({ applied: null });
    expect((await userRow(me.user.id)).plan).toBe('Free');

    phonepe.settle(order, 'COMPLETED');
    const results = await Promise.all([1, 2, 3].map(() => callback(phonepe.callback(order))));
    expect(results.map((r) => r.json().applied).filter((a) => a === 'succeeded')).toHaveLength(1);
    expect(await userRow(me.user.id)).toMatchObject({ plan: 'Premium', planStatus: 'active' });
    const subs = await subsOf(me.user.id);
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ paymentMethod: 'phonepe', status: 'active' });
    expect((await paymentsOf(me.user.id))[0]?.status).toBe('succeeded');
    // A one-time purchase: no mandate behind it.
    expect((await api('GET', '/billing', me.headers)).json().subscriptions).toMatchObject([{ autopay: false }]);

    // The paid month runs out: back to Free.
    await expireLapsedPlans(ctx.database.db, new Date(Date.now() + 31 * 86_400_000), 7);
    expect((await userRow(me.user.id)).plan).toBe('Free');
  });

  it('sells a year through PhonePe at the configured amount, and grants a year', async () => {
    const me = await signedInUser(ctx.database.db);
    const res = await api('POST', '/billing/checkout', me.headers, {
      plan: 'Enterprise',
      currency: 'INR',
      interval: 'year',
      provider: 'phonepe',
    });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json().id as string;
    expect(phonepe.orders.get(order)?.amount).toBe(2000000);
    phonepe.settle(order, 'COMPLETED');
    expect((await callback(phonepe.callback(order))).json().applied).toBe('succeeded');
    const [sub] = await subsOf(me.user.id);
    expect(sub).toMatchObject({ planId: 'Enterprise', billingInterval: 'year', paymentMethod: 'phonepe' });
    const days = ((sub?.currentPeriodEnd.getTime() ?? 0) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(364);
    expect(days).toBeLessThan(367);
    await expireLapsedPlans(ctx.database.db, new Date(Date.now() + 200 * 86_400_000), 7);
    expect((await userRow(me.user.id)).plan).toBe('Enterprise');
  });

  /** A user whose autopay mandate PhonePe has activated (first debit paid). */
  async function withMandate() {
    const me = await signedInUser(ctx.database.db);
    const res = await api('POST', '/billing/checkout', me.headers, {
      plan: 'Premium',
      currency: 'INR',
      provider: 'phonepe',
      autopay: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json().id as string;
    expect(order).toMatch(/^JOBRM/);
    const mandate = `JOBRSUB${order.slice('JOBRM'.length)}`;
    expect(phonepe.mandates.get(mandate)).toMatchObject({
      state: 'ACTIVATION_IN_PROGRESS',
      frequency: 'MONTHLY',
      maxAmount: 49900,
    });
    // Not approved yet: the callback grants nothing.
    expect((await callback(phonepe.callback(order))).json().applied).toBeNull();
    phonepe.settle(order, 'COMPLETED');
    expect((await callback(phonepe.callback(order))).json().applied).toBe('succeeded');
    return { me, order, mandate };
  }
  const phonePeDeps = () => {
    const deps = createBillingDeps(ctx.database.db, ctx.config).phonepe;
    if (!deps) throw new Error('PhonePe not configured');
    return deps;
  };

  it('autopay: grants once the mandate is ACTIVE, renews by notify then execute before the period ends, cancels', async () => {
    const { me, mandate } = await withMandate();
    const [sub] = await subsOf(me.user.id);
    expect(sub).toMatchObject({ phonepeSubscriptionId: mandate, status: 'active', planId: 'Premium' });
    expect((await userRow(me.user.id)).plan).toBe('Premium');
    // GET /billing says it renews by autopay (the web app shows the mandate and its cancel button).
    expect((await api('GET', '/billing', me.headers)).json().subscriptions).toMatchObject([
      { paymentMethod: 'phonepe', autopay: true, cancelAtPeriodEnd: false },
    ]);
    const end = sub?.currentPeriodEnd as Date;
    const deps = phonePeDeps();

    expect(await renewPhonePeMandates(deps, new Date())).toMatchObject({ notified: 0 });
    const before = new Date(end.getTime() - 36 * 3600_000);
    expect(await renewPhonePeMandates(deps, before)).toMatchObject({ notified: 1, executed: 0, errors: 0 });
    // One open redemption at a time; executed only once the notification is 24 hours old.
    expect(await renewPhonePeMandates(deps, before)).toMatchObject({ notified: 0, executed: 0 });
    const redemption = (await paymentsOf(me.user.id)).find((p) => p.status === 'pending');
    const order = redemption?.phonepeTransactionId as string;
    expect(phonepe.orders.get(order)).toMatchObject({ state: 'NOTIFIED', amount: 49900, mandate });
    expect(await renewPhonePeMandates(deps, new Date(before.getTime() + 3600_000))).toMatchObject({ executed: 0 });
    expect(await renewPhonePeMandates(deps, new Date(before.getTime() + 25 * 3600_000))).toMatchObject({
      notified: 0,
      executed: 1,
    });
    expect((await paymentsOf(me.user.id)).find((p) => p.id === redemption?.id)?.status).toBe('processing');
    phonepe.settle(order, 'COMPLETED');
    expect((await callback(phonepe.callback(order))).json().applied).toBe('succeeded');
    const [renewed] = await subsOf(me.user.id);
    expect(renewed?.currentPeriodEnd.getTime()).toBe(addInterval(end, 'month').getTime());
    expect(await paymentsOf(me.user.id)).toHaveLength(2);

    // Cancel: at PhonePe; the plan stays until the paid period ends and is not renewed.
    const cancel = await api('PATCH', '/billing/subscription', me.headers, { cancelAtPeriodEnd: true });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json()).toMatchObject({ plan: 'Premium' });
    expect(phonepe.mandates.get(mandate)?.state).toBe('CANCELLED');
    expect((await subsOf(me.user.id))[0]).toMatchObject({ cancelAtPeriodEnd: true, status: 'active' });
    const renewedEnd = (renewed as { currentPeriodEnd: Date }).currentPeriodEnd.getTime();
    expect(await renewPhonePeMandates(deps, new Date(renewedEnd - 36 * 3600_000))).toMatchObject({ notified: 0 });
    await expireLapsedPlans(ctx.database.db, new Date(renewedEnd + 1000), 7);
    expect((await userRow(me.user.id)).plan).toBe('Free');
  });

  it('autopay: a mandate revoked in the UPI app renews no more (PhonePe asked, not the callback believed)', async () => {
    const { me, mandate } = await withMandate();
    const forged = phonepe.subscriptionCallback(mandate);
    forged.headers.authorization = 'f'.repeat(64);
    expect((await callback(forged)).statusCode).toBe(400);
    // A genuine callback while PhonePe still says ACTIVE changes nothing.
    expect((await callback(phonepe.subscriptionCallback(mandate))).statusCode).toBe(200);
    expect((await subsOf(me.user.id))[0]?.cancelAtPeriodEnd).toBe(false);
    phonepe.revoke(mandate);
    expect((await callback(phonepe.subscriptionCallback(mandate))).statusCode).toBe(200);
    const [sub] = await subsOf(me.user.id);
    expect(sub).toMatchObject({ cancelAtPeriodEnd: true, status: 'active' });
    const before = new Date((sub as { currentPeriodEnd: Date }).currentPeriodEnd.getTime() - 36 * 3600_000);
    expect(await renewPhonePeMandates(phonePeDeps(), before)).toMatchObject({ notified: 0 });
    // A setup the customer never approves grants nothing.
    const other = await signedInUser(ctx.database.db);
    const res = await api('POST', '/billing/checkout', other.headers, {
      plan: 'Premium',
      currency: 'INR',
      provider: 'phonepe',
      autopay: true,
    });
    phonepe.settle(res.json().id, 'FAILED');
    expect((await callback(phonepe.callback(res.json().id))).json().applied).toBe('failed');
    expect(await subsOf(other.user.id)).toEqual([]);
  });

  it('refunds a PhonePe payment through PhonePe (administrators), never more than was paid', async () => {
    const admin = await signedInAdmin(ctx.database.db);
    const { me, order } = await phonePeCheckout();
    const [pending] = await paymentsOf(me.user.id);
    const early = await api('POST', `/admin/billing/payments/${pending?.id}/refund`, admin.headers, {});
    expect(early.json().error.code).toBe('REFUND_NOT_ALLOWED');
    phonepe.settle(order, 'COMPLETED');
    await callback(phonepe.callback(order));
    const part = await api('POST', `/admin/billing/payments/${pending?.id}/refund`, admin.headers, { amount: 10000 });
    expect(part.statusCode, part.body).toBe(200);
    expect(part.json()).toMatchObject({ refundedAmount: 10000, status: 'succeeded', currency: 'INR' });
    expect(phonepe.orders.get(order)?.refunded).toBe(10000);
    const over = await api('POST', `/admin/billing/payments/${pending?.id}/refund`, admin.headers, { amount: 40000 });
    expect(over.json().error).toMatchObject({ code: 'REFUND_NOT_ALLOWED', details: { refundable: 39900 } });
  });

  it('caps open PhonePe orders per user, and the billing-resync task runs', async () => {
    const me = await signedInUser(ctx.database.db);
    const start = () =>
      api('POST', '/billing/checkout', me.headers, { plan: 'Premium', currency: 'INR', provider: 'phonepe' });
    for (let i = 0; i < 3; i++) expect((await start()).statusCode).toBe(201);
    expect((await start()).json().error.code).toBe('CONFLICT');
    const logger = { info: () => {}, warn: () => {}, error: () => {} } as unknown as Parameters<
      typeof billingResyncTask.run
    >[0]['logger'];
    const result = await billingResyncTask.run({ db: ctx.database.db, config: ctx.config, logger, now: new Date() });
    expect(result).toHaveProperty('plansRecomputed');
    expect(result).toHaveProperty('eventIdsForgotten', 0);
  });

  it('refuses USD through PhonePe, and a failed order grants nothing', async () => {
    const me = await signedInUser(ctx.database.db);
    const usd = await api('POST', '/billing/checkout', me.headers, {
      plan: 'Premium',
      currency: 'USD',
      provider: 'phonepe',
    });
    expect(usd.json().error.code).toBe('PLAN_NOT_PURCHASABLE');
    const { me: other, order } = await phonePeCheckout();
    phonepe.settle(order, 'FAILED');
    expect((await callback(phonepe.callback(order))).json().applied).toBe('failed');
    expect((await userRow(other.user.id)).plan).toBe('Free');
    expect((await paymentsOf(other.user.id))[0]?.status).toBe('failed');
  });

  it('on an outage answers 502, leaves the payment pending, and the re-sync task settles it later', async () => {
    const me = await signedInUser(ctx.database.db);
    phonepe.setOutage('hang');
    const res = await api('POST', '/billing/checkout', me.headers, {
      plan: 'Premium',
      currency: 'INR',
      provider: 'phonepe',
    });
    phonepe.setOutage('none');
    expect(res.statusCode).toBe(502);
    expect(res.json().error.code).toBe('BILLING_PROVIDER_UNAVAILABLE');
    expect(await paymentsOf(me.user.id)).toMatchObject([{ status: 'pending' }]);
    expect((await userRow(me.user.id)).plan).toBe('Free');

    // A paid order stuck pending (callback lost) is granted by the task; an order PhonePe never got is cancelled.
    const { me: paid, order } = await phonePeCheckout();
    phonepe.settle(order, 'COMPLETED');
    const deps = createBillingDeps(ctx.database.db, ctx.config);
    const later = new Date(Date.now() + 31 * 60_000);
    const counts = await resyncPendingPhonePe(deps.phonepe as NonNullable<typeof deps.phonepe>, later);
    expect(counts.succeeded).toBeGreaterThanOrEqual(1);
    expect(counts.canceled).toBeGreaterThanOrEqual(1);
    expect((await userRow(paid.user.id)).plan).toBe('Premium');
    expect((await paymentsOf(me.user.id))[0]?.status).toBe('canceled');
  });
});

describe('privacy and administration', () => {
  it("shows only your own billing; another user's payment is 404; admin endpoints need an admin", async () => {
    const { me, events } = await checkedOut();
    await deliverAll(events);
    const other = await signedInUser(ctx.database.db);
    const mine = (await api('GET', '/billing', me.headers)).json();
    const theirs = (await api('GET', '/billing', other.headers)).json();
    expect(theirs).toMatchObject({ plan: 'Free', subscriptions: [], payments: [] });
    const paymentId = mine.payments[0].id;
    expect((await api('POST', `/billing/payments/${paymentId}/refresh`, other.headers)).statusCode).toBe(404);
    expect((await api('POST', `/billing/payments/${paymentId}/refresh`, me.headers)).statusCode).toBe(200);
    expect((await api('POST', '/billing/payments/not-a-uuid/refresh', me.headers)).statusCode).toBe(400);
    for (const url of ['/admin/billing/subscriptions', '/admin/billing/payments']) {
      expect((await api('GET', url, me.headers)).statusCode).toBe(403);
    }
    expect((await api('POST', `/admin/billing/payments/${paymentId}/refund`, me.headers, {})).statusCode).toBe(403);
  });

  it('lets an administrator list, refund (partly, then the rest, never more) and re-sync', async () => {
    const admin = await signedInAdmin(ctx.database.db);
    const { me, events } = await checkedOut();
    await deliverAll(events);
    const list = await api('GET', `/admin/billing/payments?userId=${me.user.id}`, admin.headers);
    expect(list.statusCode).toBe(200);
    const [payment] = list.json().data;
    expect(payment).toMatchObject({ amount: 999, status: 'succeeded', refundedAmount: 0 });
    const subs = await api('GET', `/admin/billing/subscriptions?userId=${me.user.id}&status=active`, admin.headers);
    expect(subs.json().data).toHaveLength(1);

    const part = await api('POST', `/admin/billing/payments/${payment.id}/refund`, admin.headers, { amount: 300 });
    expect(part.statusCode, part.body).toBe(200);
    expect(part.json().refundedAmount).toBe(300);
    const tooMuch = await api('POST', `/admin/billing/payments/${payment.id}/refund`, admin.headers, { amount: 700 });
    expect(tooMuch.json().error.code).toBe('REFUND_NOT_ALLOWED');
    const rest = await api('POST', `/admin/billing/payments/${payment.id}/refund`, admin.headers, {});
    expect(rest.json().refundedAmount).toBe(999);

    const resync = await api('POST', `/admin/billing/users/${me.user.id}/resync`, admin.headers);
    expect(resync.json()).toMatchObject({ plan: 'Premium', stripeSubscriptions: 1 });
    const missing = await api(
      'POST',
      '/admin/billing/payments/00000000-0000-4000-8000-000000000000/refund',
      admin.headers,
      {},
    );
    expect(missing.statusCode).toBe(404);
  });

  it('`jobr billing resync USER` re-reads the user from Stripe and prints the plan', async () => {
    const { me, subId } = await checkedOut('Enterprise');
    // No webhook delivered at all: the re-sync alone brings the plan in.
    const lines: string[] = [];
    const io = { out: (l: string) => void lines.push(l), err: (l: string) => void lines.push(l) };
    const run = (args: string[]) => billingResyncCommand.run(args, { config: ctx.config, database: ctx.database, io });
    expect(await run([me.user.id])).toBe(0);
    expect(lines.join('\n')).toMatch(/plan Enterprise \(active\); 1 Stripe subscription/);
    expect((await subsOf(me.user.id))[0]?.stripeSubscriptionId).toBe(subId);
    await expect(run(['not-a-user'])).rejects.toBeInstanceOf(UsageError);
    await expect(run([])).rejects.toBeInstanceOf(UsageError);
  });

  it('records but ignores events about customers that are not ours', async () => {
    const { events } = await checkedOut();
    const foreign = structuredClone(events[1] as FakeEvent);
    foreign.id = `evt_foreign_${Date.now()}`;
    foreign.data.object.customer = 'cus_not_jobr';
    const res = await deliver(foreign);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ duplicate: false, applied: null });
  });
});
