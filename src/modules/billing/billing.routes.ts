/**
 * /api/v1/plans (public), /api/v1/billing (your subscription and payments, checkout, portal, plan
 * change, cancel and resume), provider webhooks, and /api/v1/admin/billing (lists, refunds, re-sync).
 */

import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { BILLING_INTERVALS, PAYMENT_METHODS } from '../../db/schema/billing.ts';
import { payments, subscriptions, users } from '../../db/schema/index.ts';
import { requireAdmin, requireSession } from '../../http/auth.ts';
import { errors } from '../../http/schemas.ts';
import { AppError } from '../../lib/errors.ts';
import { PLAN_NAMES, USAGE_PERIODS } from '../plans/plans.ts';
import { planRenewsAt } from './billing.service.ts';
import { type BillingDeps, createBillingDeps, needPhonePe, needStripe } from './deps.ts';
import { createPhonePeCheckout, phonePeCallbackBody, syncPhonePePayment, verifyPhonePeCallback } from './phonepe.ts';
import { cancelPhonePeMandate, liveMandate, syncPhonePeMandate } from './phonepe-autopay.ts';
import { offeredPrices } from './prices.ts';
import { refundPayment, resyncUser } from './refunds.ts';
import { createPortalSession, createStripeCheckout, verifyStripeEvent } from './stripe.ts';
import { acceptStripeEvent, updateStripeSubscription } from './stripe-sync.ts';

const tags = ['billing'];
const paidPlan = z.enum(['Premium', 'Enterprise']);
const currency = z.enum(['USD', 'INR']);
const interval = z.enum(BILLING_INTERVALS);

const planSchema = z
  .object({
    name: z.enum(PLAN_NAMES),
    prices: z.array(
      z.object({
        amount: z.number().int().meta({ description: 'In the minor unit (cents, paise).' }),
        currency,
        interval,
        providers: z.array(z.enum(PAYMENT_METHODS)).meta({ description: 'Who takes this price here.' }),
      }),
    ),
    limits: z.record(z.string(), z.number().int().nullable()).meta({
      description: 'Per period, per metered action; null means unlimited (PLAN_LIMITS).',
    }),
    period: z.enum(USAGE_PERIODS).meta({ description: 'The limits count per UTC day, week or month (PLAN_PERIOD).' }),
    apiKeys: z.boolean().meta({ description: 'Whether the plan lets you create API keys (API_KEY_PLANS).' }),
    providers: z.array(z.enum(PAYMENT_METHODS)).meta({ description: 'How this plan can be paid here.' }),
  })
  .meta({ id: 'Plan' });

const subscriptionSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    planId: z.string(),
    billingInterval: z.string(),
    status: z.string(),
    paymentMethod: z.string(),
    currentPeriodStart: z.date(),
    currentPeriodEnd: z.date(),
    cancelAtPeriodEnd: z.boolean(),
    canceledAt: z.date().nullable(),
    pastDueSince: z.date().nullable(),
    autopay: z.boolean().meta({
      description: 'PhonePe: renewed by a UPI AutoPay mandate (cancelling it keeps the plan until the period ends).',
    }),
    createdAt: z.date(),
  })
  .meta({ id: 'Subscription' });

const paymentSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    subscriptionId: z.uuid().nullable(),
    planId: z.string().nullable(),
    billingInterval: z.string(),
    amount: z.number().int(),
    refundedAmount: z.number().int(),
    currency: z.string(),
    status: z.string(),
    paymentMethod: z.string(),
    createdAt: z.date(),
  })
  .meta({ id: 'Payment' });

const subscriptionColumns = {
  id: subscriptions.id,
  userId: subscriptions.userId,
  planId: subscriptions.planId,
  billingInterval: subscriptions.billingInterval,
  status: subscriptions.status,
  paymentMethod: subscriptions.paymentMethod,
  currentPeriodStart: subscriptions.currentPeriodStart,
  currentPeriodEnd: subscriptions.currentPeriodEnd,
  cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd,
  canceledAt: subscriptions.canceledAt,
  pastDueSince: subscriptions.pastDueSince,
  autopay: sql<boolean>`${subscriptions.phonepeSubscriptionId} is not null`,
  createdAt: subscriptions.createdAt,
};
const paymentColumns = {
  id: payments.id,
  userId: payments.userId,
  subscriptionId: payments.subscriptionId,
  planId: payments.planId,
  billingInterval: payments.billingInterval,
  amount: payments.amount,
  refundedAmount: payments.refundedAmount,
  currency: payments.currency,
  status: payments.status,
  paymentMethod: payments.paymentMethod,
  createdAt: payments.createdAt,
};

const redirect = z.object({ provider: z.enum(PAYMENT_METHODS), id: z.string(), url: z.string() });
const received = z.object({
  received: z.literal(true),
  duplicate: z.boolean(),
  applied: z
    .string()
    .nullable()
    .meta({ description: "Stripe: 'queued' (a re-read of the customer is queued); PhonePe: the outcome applied." }),
});
const adminList = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime().optional().meta({ description: 'Only rows created before this instant (paging).' }),
  userId: z.uuid().optional(),
});

export const billingRoutes =
  ({ database, config, deps }: { database: Database; config: Config; deps?: BillingDeps }): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = database;
    const billing = deps ?? createBillingDeps(db, config);
    const providerConfig = { stripe: billing.stripe?.stripeConfig, phonepe: billing.phonepe?.cfg };

    app.get(
      '/plans',
      {
        config: { auth: 'public' },
        schema: {
          tags,
          summary:
            'The plans: their limits per period, whether they include API keys, and prices per currency and interval (public)',
          response: { 200: z.object({ data: z.array(planSchema) }) },
        },
      },
      async () => ({
        data: PLAN_NAMES.map((name) => {
          const prices = offeredPrices(name, providerConfig);
          const providers = PAYMENT_METHODS.filter((m) => prices.some((p) => p.providers.includes(m)));
          return {
            name,
            prices,
            limits: { ...config.plans.limits[name] },
            period: config.plans.period,
            apiKeys: config.plans.apiKeys.includes(name),
            providers,
          };
        }),
      }),
    );

    app.get(
      '/billing',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'Your plan, subscriptions and payments',
          response: {
            200: z.object({
              plan: z.string(),
              planStatus: z.string(),
              renewsAt: z.date().nullable().meta({ description: 'End of the current paid period, if any.' }),
              subscriptions: z.array(subscriptionSchema),
              payments: z.array(paymentSchema),
            }),
            ...errors(401, 403),
          },
        },
      },
      async (request) => {
        const { user } = requireSession(request);
        return request.work(async ({ tx }) => {
          const [me] = await tx
            .select({ plan: users.plan, planStatus: users.planStatus })
            .from(users)
            .where(eq(users.id, user.id));
          const subs = await tx
            .select(subscriptionColumns)
            .from(subscriptions)
            .where(eq(subscriptions.userId, user.id))
            .orderBy(desc(subscriptions.createdAt));
          const pays = await tx
            .select(paymentColumns)
            .from(payments)
            .where(eq(payments.userId, user.id))
            .orderBy(desc(payments.createdAt))
            .limit(100);
          const plan = me?.plan ?? 'Free';
          return {
            plan,
            planStatus: me?.planStatus ?? 'active',
            renewsAt: await planRenewsAt(tx, user.id, plan),
            subscriptions: subs,
            payments: pays,
          };
        });
      },
    );

    app.post(
      '/billing/checkout',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'Start paying for a plan: returns the provider page to send the browser to',
          description:
            'Stripe: a Checkout session for a monthly or yearly subscription. PhonePe: a one-time INR payment for one month or year. ' +
            'The plan changes only when the provider confirms the payment (webhook / order status), never on the return URL.',
          body: z
            .object({
              plan: paidPlan,
              currency: currency.default('USD'),
              interval: interval.default('month'),
              provider: z.enum(PAYMENT_METHODS),
              autopay: z
                .boolean()
                .default(false)
                .meta({ description: 'PhonePe: set up an autopay mandate that renews every interval.' }),
            })
            .strict(),
          response: { 201: redirect, ...errors(400, 401, 403, 409, 502, 503) },
        },
      },
      async (request, reply) => {
        const { user } = requireSession(request);
        const { plan, currency: cur, interval: every, provider, autopay } = request.body;
        const o = { userId: user.id, plan, currency: cur, interval: every };
        const result =
          provider === 'stripe'
            ? await createStripeCheckout(needStripe(billing), o)
            : await createPhonePeCheckout(needPhonePe(billing), { ...o, autopay });
        return reply.code(201).send({ provider, ...result });
      },
    );

    app.post(
      '/billing/portal',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'Open the Stripe customer portal (payment methods, invoices, cancel)',
          response: { 200: z.object({ url: z.string() }), ...errors(401, 403, 404, 502, 503) },
        },
      },
      async (request) => createPortalSession(needStripe(billing), requireSession(request).user.id),
    );

    app.patch(
      '/billing/subscription',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'Change plan (prorated), cancel at period end, or resume your Stripe subscription',
          body: z
            .union([
              z.object({ plan: paidPlan, interval: interval.optional() }).strict(),
              z.object({ cancelAtPeriodEnd: z.boolean() }).strict(),
            ])
            .meta({
              description: '`{ plan, interval? }` (the interval stays unless given) or `{ cancelAtPeriodEnd }`.',
            }),
          response: {
            200: z.object({ plan: z.string(), planStatus: z.string() }),
            ...errors(400, 401, 403, 404, 502, 503),
          },
        },
      },
      async (request) => {
        const { user } = requireSession(request);
        const change = request.body;
        // A PhonePe autopay mandate is cancelled at PhonePe (it cannot resume); the rest is Stripe's.
        const cancelling = 'cancelAtPeriodEnd' in change && change.cancelAtPeriodEnd;
        const mandate = cancelling && billing.phonepe ? await liveMandate(billing.phonepe, user.id) : undefined;
        if (mandate && billing.phonepe) await cancelPhonePeMandate(billing.phonepe, user.id);
        else await updateStripeSubscription(needStripe(billing), { userId: user.id, change });
        const [me] = await request.work(({ tx }) =>
          tx.select({ plan: users.plan, planStatus: users.planStatus }).from(users).where(eq(users.id, user.id)),
        );
        return { plan: me?.plan ?? 'Free', planStatus: me?.planStatus ?? 'active' };
      },
    );

    app.post(
      '/billing/payments/:id/refresh',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'Ask PhonePe for the state of one of your pending payments (the return page calls this)',
          params: z.object({ id: z.uuid() }),
          response: { 200: paymentSchema, ...errors(400, 401, 403, 404, 502, 503) },
        },
      },
      async (request) => {
        const { user } = requireSession(request);
        // Two read units around the provider call: no transaction is open while PhonePe answers.
        const find = () =>
          request.work(({ tx }) =>
            tx
              .select({ ...paymentColumns, order: payments.phonepeTransactionId })
              .from(payments)
              .where(and(eq(payments.id, request.params.id), eq(payments.userId, user.id))),
          );
        const [payment] = await find();
        if (!payment) throw new AppError('PAYMENT_NOT_FOUND');
        if (payment.order && (payment.status === 'pending' || payment.status === 'processing')) {
          await syncPhonePePayment(needPhonePe(billing), payment.order);
        }
        const [after] = await find();
        const { order: _order, ...rest } = after ?? payment;
        return rest;
      },
    );

    // Webhooks read the raw body: the Stripe signature is over the exact bytes sent.
    await app.register(async (hooks) => {
      hooks.removeAllContentTypeParsers();
      hooks.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 512 * 1024 }, (_req, body, done) =>
        done(null, body),
      );

      hooks.post(
        '/billing/webhooks/stripe',
        {
          config: { auth: 'public', providerCallback: true },
          schema: {
            tags,
            summary:
              'Stripe webhook (signed; each event id is recorded once and queues a re-read of the customer from Stripe)',
            headers: z.looseObject({ 'stripe-signature': z.string().max(2000).optional() }),
            body: z
              .unknown()
              .meta({ description: 'A Stripe Event object as JSON; the signature is checked over these exact bytes.' }),
            response: { 200: received, ...errors(400, 503) },
          },
        },
        async (request) => {
          const stripe = needStripe(billing);
          const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          const signature = request.headers['stripe-signature'];
          const event = verifyStripeEvent(stripe, raw, typeof signature === 'string' ? signature : undefined);
          return acceptStripeEvent(stripe, event);
        },
      );

      hooks.post(
        '/billing/webhooks/phonepe',
        {
          config: { auth: 'public', providerCallback: true },
          schema: {
            tags,
            summary:
              'PhonePe callback (Authorization: SHA256(username:password)); the order status is fetched before anything is granted',
            body: z
              .unknown()
              .meta({ description: 'A PhonePe callback: { event, payload: { merchantOrderId, state, ... } }.' }),
            response: { 200: received, ...errors(400, 502, 503) },
          },
        },
        async (request) => {
          const phonepe = needPhonePe(billing);
          const cfg = config.billing.phonepe;
          if (!cfg || !verifyPhonePeCallback(cfg, request.headers.authorization)) {
            throw new AppError('WEBHOOK_SIGNATURE_INVALID');
          }
          let json: unknown;
          try {
            json = JSON.parse(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');
          } catch {
            throw new AppError('BAD_REQUEST', { message: 'The callback body is not JSON.' });
          }
          const parsed = phonePeCallbackBody.safeParse(json);
          if (!parsed.success)
            throw new AppError('BAD_REQUEST', { message: 'The callback body is not a PhonePe event.' });
          const { merchantOrderId, merchantSubscriptionId } = parsed.data.payload;
          if (!merchantOrderId) {
            // A mandate event (revoked, cancelled, paused): ask PhonePe for the mandate's state.
            await syncPhonePeMandate(phonepe, merchantSubscriptionId as string);
            return { received: true as const, duplicate: false, applied: null };
          }
          const result = await syncPhonePePayment(phonepe, merchantOrderId);
          return {
            received: true as const,
            duplicate: result === 'unchanged',
            applied: result === 'succeeded' || result === 'failed' || result === 'canceled' ? result : null,
          };
        },
      );
    });

    // --- administrators ---

    app.get(
      '/admin/billing/subscriptions',
      {
        config: { auth: 'admin', scope: 'billing:read' },
        schema: {
          tags: ['admin'],
          summary: 'Subscriptions, newest first',
          querystring: adminList.extend({
            status: z.enum(['active', 'canceled', 'past_due', 'unpaid', 'paused']).optional(),
          }),
          response: { 200: z.object({ data: z.array(subscriptionSchema) }), ...errors(400, 401, 403) },
        },
      },
      async (request) => {
        requireAdmin(request);
        const q = request.query;
        const data = await request.work(({ tx }) =>
          tx
            .select(subscriptionColumns)
            .from(subscriptions)
            .where(
              and(
                q.userId ? eq(subscriptions.userId, q.userId) : undefined,
                q.status ? eq(subscriptions.status, q.status) : undefined,
                q.before ? lt(subscriptions.createdAt, new Date(q.before)) : undefined,
              ),
            )
            .orderBy(desc(subscriptions.createdAt))
            .limit(q.limit),
        );
        return { data };
      },
    );

    app.get(
      '/admin/billing/payments',
      {
        config: { auth: 'admin', scope: 'billing:read' },
        schema: {
          tags: ['admin'],
          summary: 'Payments, newest first',
          querystring: adminList.extend({
            status: z.enum(['pending', 'processing', 'succeeded', 'failed', 'canceled']).optional(),
          }),
          response: { 200: z.object({ data: z.array(paymentSchema) }), ...errors(400, 401, 403) },
        },
      },
      async (request) => {
        requireAdmin(request);
        const q = request.query;
        const data = await request.work(({ tx }) =>
          tx
            .select(paymentColumns)
            .from(payments)
            .where(
              and(
                q.userId ? eq(payments.userId, q.userId) : undefined,
                q.status ? eq(payments.status, q.status) : undefined,
                q.before ? lt(payments.createdAt, new Date(q.before)) : undefined,
              ),
            )
            .orderBy(desc(payments.createdAt))
            .limit(q.limit),
        );
        return { data };
      },
    );

    app.post(
      '/admin/billing/payments/:id/refund',
      {
        config: { auth: 'admin', scope: 'billing:write' },
        schema: {
          tags: ['admin'],
          summary: 'Refund a payment, fully or in part, through its provider',
          params: z.object({ id: z.uuid() }),
          body: z
            .object({
              amount: z
                .number()
                .int()
                .positive()
                .optional()
                .meta({ description: 'Minor units; default: all that is left.' }),
            })
            .strict()
            .default({}),
          response: { 200: paymentSchema, ...errors(400, 401, 403, 404, 409, 502, 503) },
        },
      },
      async (request) => {
        requireAdmin(request);
        await refundPayment(billing, { paymentId: request.params.id, amount: request.body.amount });
        const [row] = await request.work(({ tx }) =>
          tx.select(paymentColumns).from(payments).where(eq(payments.id, request.params.id)),
        );
        if (!row) throw new AppError('PAYMENT_NOT_FOUND');
        return row;
      },
    );

    app.post(
      '/admin/billing/users/:id/resync',
      {
        config: { auth: 'admin', scope: 'billing:write' },
        schema: {
          tags: ['admin'],
          summary: "Re-read a user's subscriptions and pending payments from the providers and recompute the plan",
          params: z.object({ id: z.uuid() }),
          response: {
            200: z.object({
              plan: z.string(),
              planStatus: z.string(),
              stripeSubscriptions: z.number().int(),
              phonepeChecked: z.number().int(),
            }),
            ...errors(400, 401, 403, 404, 502),
          },
        },
      },
      async (request) => {
        requireAdmin(request);
        return resyncUser(billing, request.params.id);
      },
    );
  };
