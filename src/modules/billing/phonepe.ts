/**
 * PhonePe Payment Gateway v2 (Standard Checkout): a small typed client of the documented HTTP API
 * (OAuth client-credentials token, create payment, order status, refund) and the callback check.
 * The official `pg-sdk-node` hard-codes PhonePe's hosts, so it cannot be pointed at a local fake
 * (docs/decisions/016-billing-sync.md). The callback never grants anything: the order status is
 * fetched from PhonePe first.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Config, PhonePeConfig } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { systemActor, withContext } from '../../db/context.ts';
import { payments } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import type { BillingInterval, PlanName } from '../plans/plans.ts';
import { completePhonePePayment, recomputeUserPlan, recordEvent } from './billing.service.ts';
import { lockKey } from './locks.ts';
import { type Currency, phonePeAmountFor } from './prices.ts';

const tokenResponse = z.object({ access_token: z.string().min(1), expires_at: z.number(), token_type: z.string() });
const createResponse = z.object({ orderId: z.string(), state: z.string(), redirectUrl: z.string() });
export const ORDER_STATES = ['PENDING', 'COMPLETED', 'FAILED'] as const;
const statusResponse = z.object({
  orderId: z.string().optional(),
  state: z.enum(ORDER_STATES),
  amount: z.number().int(),
});
// Autopay order states include NOTIFIED (redemption notified, not yet executed): waiting, like PENDING.
const subscriptionOrderResponse = z.object({
  state: z.string().transform((v) => (v === 'COMPLETED' || v === 'FAILED' ? v : 'PENDING')),
  amount: z.number().int(),
});
const mandateResponse = z.object({ merchantSubscriptionId: z.string().optional(), state: z.string() });
const refundResponse = z.object({ refundId: z.string(), amount: z.number().int(), state: z.string() });

/** PhonePe answered with an error, or did not answer: the caller turns it into 502. */
export class PhonePeError extends Error {
  override name = 'PhonePeError';
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

export class PhonePeClient {
  private token?: { value: string; expiresAt: number };

  constructor(
    private readonly cfg: PhonePeConfig,
    private readonly timeoutMs: number,
  ) {}

  private async request(url: string, init: RequestInit): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw new PhonePeError(`PhonePe unreachable: ${(err as Error).name}`);
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      throw new PhonePeError(`PhonePe answered ${res.status} with a body that is not JSON`, res.status);
    }
    if (!res.ok) {
      const code = (body as { code?: string; errorCode?: string }).code ?? (body as { errorCode?: string }).errorCode;
      throw new PhonePeError(`PhonePe answered ${res.status}`, res.status, code);
    }
    return body;
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt - 60 > Date.now() / 1000) return this.token.value;
    const body = new URLSearchParams({
      client_id: this.cfg.clientId,
      client_version: this.cfg.clientVersion,
      client_secret: this.cfg.clientSecret,
      grant_type: 'client_credentials',
    });
    const parsed = tokenResponse.safeParse(
      await this.request(`${this.cfg.authUrl}/v1/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }),
    );
    if (!parsed.success) throw new PhonePeError('PhonePe token response malformed');
    this.token = { value: parsed.data.access_token, expiresAt: parsed.data.expires_at };
    return this.token.value;
  }

  /** An authorised call whose answer must have `schema`'s shape; anything else is `PhonePeError(what …)`. */
  private async authed<T>(
    schema: z.ZodType<T>,
    what: string,
    path: string,
    init: RequestInit & { body?: string } = {},
  ): Promise<T> {
    const token = await this.accessToken();
    const parsed = schema.safeParse(
      await this.request(`${this.cfg.apiUrl}${path}`, {
        ...init,
        headers: { 'content-type': 'application/json', authorization: `O-Bearer ${token}` },
      }),
    );
    if (!parsed.success) throw new PhonePeError(`PhonePe ${what} response malformed`);
    return parsed.data;
  }

  async createPayment(o: { merchantOrderId: string; amount: number; redirectUrl: string; message: string }) {
    return this.authed(createResponse, 'create-payment', '/checkout/v2/pay', {
      method: 'POST',
      body: JSON.stringify({
        merchantOrderId: o.merchantOrderId,
        amount: o.amount,
        expireAfter: 1200,
        paymentFlow: { type: 'PG_CHECKOUT', message: o.message, merchantUrls: { redirectUrl: o.redirectUrl } },
      }),
    });
  }

  async orderStatus(merchantOrderId: string) {
    return this.authed(
      statusResponse,
      'order-status',
      `/checkout/v2/order/${encodeURIComponent(merchantOrderId)}/status?details=false`,
      {
        method: 'GET',
      },
    );
  }

  // --- Autopay (recurring): mandate setup, its status, redemption (notify, then execute), cancel. ---

  /** Creates an autopay mandate and its first debit (authWorkflowType TRANSACTION): the customer approves at `redirectUrl`. */
  async setupSubscription(o: {
    merchantOrderId: string;
    merchantSubscriptionId: string;
    amount: number;
    frequency: 'MONTHLY' | 'YEARLY';
    redirectUrl: string;
  }) {
    return this.authed(createResponse, 'subscription-setup', '/checkout/v2/pay', {
      method: 'POST',
      body: JSON.stringify({
        merchantOrderId: o.merchantOrderId,
        amount: o.amount,
        paymentFlow: {
          type: 'SUBSCRIPTION_CHECKOUT_SETUP',
          merchantUrls: { redirectUrl: o.redirectUrl, cancelRedirectUrl: o.redirectUrl },
          subscriptionDetails: {
            subscriptionType: 'RECURRING',
            merchantSubscriptionId: o.merchantSubscriptionId,
            authWorkflowType: 'TRANSACTION',
            amountType: 'FIXED',
            maxAmount: o.amount,
            frequency: o.frequency,
            productType: 'UPI_MANDATE',
          },
        },
      }),
    });
  }

  /** State of an autopay order (the setup's first debit, or a redemption). */
  async subscriptionOrderStatus(merchantOrderId: string) {
    return this.authed(
      subscriptionOrderResponse,
      'subscription order-status',
      `/subscriptions/v2/order/${encodeURIComponent(merchantOrderId)}/status?details=true`,
      {
        method: 'GET',
      },
    );
  }

  /** State of a mandate: ACTIVE, or CANCELLED / REVOKED / PAUSED / EXPIRED / FAILED / ACTIVATION_IN_PROGRESS. */
  async subscriptionStatus(merchantSubscriptionId: string) {
    return this.authed(
      mandateResponse,
      'subscription-status',
      `/subscriptions/v2/${encodeURIComponent(merchantSubscriptionId)}/status?details=false`,
      {
        method: 'GET',
      },
    );
  }

  /** Redemption step 1: PhonePe tells the customer about the debit (at least 24 hours before it). */
  async notifyRedemption(o: { merchantOrderId: string; merchantSubscriptionId: string; amount: number }) {
    await this.authed(z.unknown(), 'notify', '/subscriptions/v2/notify', {
      method: 'POST',
      body: JSON.stringify({
        merchantOrderId: o.merchantOrderId,
        amount: o.amount,
        paymentFlow: {
          type: 'SUBSCRIPTION_REDEMPTION',
          merchantSubscriptionId: o.merchantSubscriptionId,
          redemptionRetryStrategy: 'STANDARD',
          autoDebit: false,
        },
      }),
    });
  }

  /** Redemption step 2: debit a notified order. */
  async executeRedemption(merchantOrderId: string) {
    await this.authed(z.unknown(), 'redeem', '/subscriptions/v2/redeem', {
      method: 'POST',
      body: JSON.stringify({ merchantOrderId }),
    });
  }

  async cancelSubscription(merchantSubscriptionId: string) {
    await this.authed(z.unknown(), 'cancel', `/subscriptions/v2/${encodeURIComponent(merchantSubscriptionId)}/cancel`, {
      method: 'POST',
    });
  }

  async refund(o: { merchantRefundId: string; originalMerchantOrderId: string; amount: number }) {
    return this.authed(refundResponse, 'refund', '/payments/v2/refund', { method: 'POST', body: JSON.stringify(o) });
  }
}

/** Callbacks carry `Authorization: SHA256(username:password)` (hex), compared in constant time. */
export function verifyPhonePeCallback(cfg: PhonePeConfig, header: string | undefined): boolean {
  if (!cfg.webhookUsername || !cfg.webhookPassword || !header) return false;
  const expected = createHash('sha256').update(`${cfg.webhookUsername}:${cfg.webhookPassword}`).digest();
  const presented = Buffer.from(
    header
      .trim()
      .replace(/^SHA256\s*/i, '')
      .toLowerCase(),
    'utf8',
  );
  const hex = Buffer.from(expected.toString('hex'), 'utf8');
  return presented.length === hex.length && timingSafeEqual(presented, hex);
}

/** An order event names `merchantOrderId`; a mandate event (revoked, cancelled, paused) `merchantSubscriptionId`. */
export const phonePeCallbackBody = z.object({
  event: z.string().max(100),
  payload: z
    .looseObject({
      merchantOrderId: z.string().min(1).max(255).optional(),
      merchantSubscriptionId: z.string().min(1).max(64).optional(),
      state: z.string().max(50).optional(),
    })
    .refine((p) => p.merchantOrderId || p.merchantSubscriptionId, 'merchantOrderId or merchantSubscriptionId'),
});

export type PhonePeDeps = { db: Db; config: Config; cfg: PhonePeConfig; phonepe: PhonePeClient };

export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof PhonePeError) {
      throw new AppError('BILLING_PROVIDER_UNAVAILABLE', {
        message: `${err.message}. Nothing was granted.`,
        cause: err,
      });
    }
    throw err;
  }
}

/**
 * Order ids say what they are: `JOBR…` a one-time payment, `JOBRM…` a mandate setup (its mandate is
 * `JOBRSUB…` with the same suffix, so a pending setup needs no row of its own), `JOBRR…` a redemption.
 */
const token = () => randomBytes(12).toString('hex').toUpperCase();
export const isAutopayOrder = (order: string) => order.startsWith('JOBRM') || order.startsWith('JOBRR');
export const mandateOfSetupOrder = (order: string) =>
  order.startsWith('JOBRM') ? `JOBRSUB${order.slice('JOBRM'.length)}` : undefined;
export const newRedemptionOrder = () => `JOBRR${token()}`;

const MAX_OPEN_ORDERS = 3;
const TOO_MANY_OPEN = `You have ${MAX_OPEN_ORDERS} PhonePe payments still open. Finish or wait for them (they expire within 30 minutes).`;

/**
 * Starts a one-time INR payment for one month or one year of a plan. The pending payment row is written first,
 * so an order PhonePe knows about always has a row; if PhonePe fails, the row stays pending and the
 * re-sync task settles it from PhonePe's own answer.
 */
export async function createPhonePeCheckout(
  deps: PhonePeDeps,
  o: { userId: string; plan: PlanName; currency: Currency; interval: BillingInterval; autopay?: boolean },
): Promise<{ id: string; url: string }> {
  if (o.currency !== 'INR') throw new AppError('PLAN_NOT_PURCHASABLE', { details: o });
  const amount = phonePeAmountFor(deps.cfg, o.plan, o.interval);
  const merchantOrderId = `${o.autopay ? 'JOBRM' : 'JOBR'}${token()}`;
  await withContext(deps.db, { kind: 'user', userId: o.userId }, async (tx) => {
    await lockKey(tx, `user:${o.userId}`);
    // A few abandoned attempts are normal; an unbounded number of open orders is not.
    const [open] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(payments)
      .where(
        and(
          eq(payments.userId, o.userId),
          eq(payments.paymentMethod, 'phonepe'),
          inArray(payments.status, ['pending', 'processing']),
        ),
      );
    if ((open?.n ?? 0) >= MAX_OPEN_ORDERS) throw new AppError('CONFLICT', { message: TOO_MANY_OPEN });
    await tx.insert(payments).values({
      userId: o.userId,
      amount,
      currency: 'INR',
      status: 'pending',
      paymentMethod: 'phonepe',
      phonepeTransactionId: merchantOrderId,
      planId: o.plan,
      billingInterval: o.interval,
    });
  });
  const redirectUrl = `${deps.config.publicUrl}/billing?order=${merchantOrderId}`;
  const mandate = mandateOfSetupOrder(merchantOrderId);
  const created = await guard(() =>
    mandate
      ? deps.phonepe.setupSubscription({
          merchantOrderId,
          merchantSubscriptionId: mandate,
          amount,
          frequency: o.interval === 'year' ? 'YEARLY' : 'MONTHLY',
          redirectUrl,
        })
      : deps.phonepe.createPayment({
          merchantOrderId,
          amount,
          redirectUrl,
          message: `Jobr ${o.plan}, one ${o.interval}`,
        }),
  );
  return { id: merchantOrderId, url: created.redirectUrl };
}

/** Orders PhonePe has never heard of after this long are abandoned. */
const ABANDONED_AFTER_MS = 30 * 60_000;

/**
 * Asks PhonePe for the order's state and applies it: COMPLETED grants, FAILED fails, PENDING waits.
 * Safe to run any number of times and concurrently (the payment row's state guards the grant).
 */
export async function syncPhonePePayment(
  deps: PhonePeDeps,
  merchantOrderId: string,
  now = new Date(),
): Promise<'succeeded' | 'failed' | 'pending' | 'canceled' | 'unknown' | 'unchanged'> {
  const [payment] = await withContext(deps.db, systemActor, (tx) =>
    tx.select().from(payments).where(eq(payments.phonepeTransactionId, merchantOrderId)),
  );
  if (!payment) return 'unknown';
  if (payment.status !== 'pending' && payment.status !== 'processing') return 'unchanged';
  let state: (typeof ORDER_STATES)[number] | 'MISSING';
  try {
    const status = isAutopayOrder(merchantOrderId)
      ? await deps.phonepe.subscriptionOrderStatus(merchantOrderId)
      : await deps.phonepe.orderStatus(merchantOrderId);
    // An amount that differs from what we asked for is not our payment: never grant on it.
    state = status.state === 'COMPLETED' && status.amount !== payment.amount ? 'FAILED' : status.state;
  } catch (err) {
    if (err instanceof PhonePeError && err.status === 404) state = 'MISSING';
    else throw new AppError('BILLING_PROVIDER_UNAVAILABLE', { cause: err });
  }
  if (state === 'PENDING') return 'pending';
  if (state === 'MISSING') {
    if (now.getTime() - payment.createdAt.getTime() < ABANDONED_AFTER_MS) return 'pending';
    await withContext(deps.db, systemActor, (tx) =>
      tx
        .update(payments)
        .set({ status: 'canceled' })
        .where(and(eq(payments.id, payment.id), inArray(payments.status, ['pending', 'processing']))),
    );
    return 'canceled';
  }
  // A mandate's first debit grants only when the mandate itself is ACTIVE at PhonePe.
  const mandate = mandateOfSetupOrder(merchantOrderId);
  let outcome: 'succeeded' | 'failed' = state === 'COMPLETED' ? 'succeeded' : 'failed';
  if (outcome === 'succeeded' && mandate) {
    const m = await guard(() => deps.phonepe.subscriptionStatus(mandate));
    if (m.state === 'ACTIVATION_IN_PROGRESS') return 'pending';
    if (m.state !== 'ACTIVE') outcome = 'failed';
  }
  return withContext(deps.db, systemActor, async (tx) => {
    await lockKey(tx, `user:${payment.userId}`);
    const result = await completePhonePePayment(tx, payment.id, outcome, now, mandate);
    if (!result.changed) return 'unchanged' as const;
    await recordEvent(tx, {
      provider: 'phonepe',
      eventId: `${merchantOrderId}:${state}`,
      type: `order.${state.toLowerCase()}`,
      userId: payment.userId,
    });
    await recomputeUserPlan(tx, payment.userId, now, deps.config.billing.graceDays);
    return outcome;
  });
}

/** The re-sync task: every PhonePe payment still pending a minute after it started is checked again. */
export async function resyncPendingPhonePe(deps: PhonePeDeps, now: Date): Promise<Record<string, number>> {
  const pending = await withContext(deps.db, systemActor, (tx) =>
    tx
      .select({ id: payments.phonepeTransactionId })
      .from(payments)
      .where(
        and(
          eq(payments.paymentMethod, 'phonepe'),
          inArray(payments.status, ['pending', 'processing']),
          lt(payments.createdAt, new Date(now.getTime() - 60_000)),
        ),
      )
      .limit(500),
  );
  const counts: Record<string, number> = { checked: 0, succeeded: 0, failed: 0, canceled: 0, errors: 0 };
  for (const p of pending) {
    if (!p.id) continue;
    counts.checked = (counts.checked ?? 0) + 1;
    try {
      const r = await syncPhonePePayment(deps, p.id, now);
      if (r === 'succeeded' || r === 'failed' || r === 'canceled') counts[r] = (counts[r] ?? 0) + 1;
    } catch {
      counts.errors = (counts.errors ?? 0) + 1;
    }
  }
  return counts;
}

export async function refundPhonePePayment(
  deps: PhonePeDeps,
  o: { merchantOrderId: string; amount: number; paymentId: string },
): Promise<void> {
  await guard(() =>
    deps.phonepe.refund({
      merchantRefundId: `R${randomBytes(12).toString('hex').toUpperCase()}`,
      originalMerchantOrderId: o.merchantOrderId,
      amount: o.amount,
    }),
  );
}
