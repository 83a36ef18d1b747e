/**
 * Chaos: many users go through Stripe (checkout, failed renewals, recoveries, cancellations); every
 * webhook is delivered duplicated, shuffled, concurrently, some first with a bad signature, and (on
 * PostgreSQL) with the database connections killed mid-run. Failed deliveries are retried as Stripe
 * does. Webhooks queue re-reads of the customer; a worker works the queue while deliveries go on, and
 * the queue is drained before asserting. The end state must be exactly what Stripe's final state
 * implies, with no event recorded twice.
 * Size: CHAOS_USERS (default 20; `CHAOS_USERS=170` gives ~1,000 deliveries).
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingCustomers, billingEvents, payments, subscriptions, users } from '../../src/db/schema/index.ts';
import { stripeSyncTask } from '../../src/modules/billing/stripe-sync.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInUser } from '../helpers/auth.ts';
import { type FakeEvent, type FakeStripe, startFakeStripe } from '../helpers/fake-stripe.ts';
import { jobCounts, workQueue } from '../helpers/queue.ts';

const KEY = 'sk_test_chaos';
const SECRET = 'whsec_test_chaos';
const USERS = Number(process.env.CHAOS_USERS ?? 20);
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

let ctx: TestContext & { close(): Promise<void> };
let stripe: FakeStripe;

beforeAll(async () => {
  stripe = await startFakeStripe({
    secretKey: KEY,
    webhookSecret: SECRET,
    prices: { price_p: { amount: 999, currency: 'usd' }, price_e: { amount: 4999, currency: 'usd' } },
  });
  ctx = await createTestApp({
    env: {
      STRIPE_SECRET_KEY: KEY,
      STRIPE_WEBHOOK_SECRET: SECRET,
      STRIPE_PRICES: 'Premium:USD=price_p,Enterprise:USD=price_e',
      STRIPE_API_URL: stripe.url,
    },
  });
});
afterAll(async () => {
  await ctx?.close();
  await stripe?.close();
});

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

describe('billing chaos', () => {
  it('ends with exactly the plans and payments Stripe implies, no event applied twice', async () => {
    const random = rng(20261201);
    const events: FakeEvent[] = [];
    const people: Array<{ userId: string; subId: string }> = [];
    for (let i = 0; i < USERS; i++) {
      const { user, token } = await signedInUser(ctx.database.db);
      const plan = random() < 0.3 ? 'Enterprise' : 'Premium';
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/billing/checkout',
        headers: { authorization: `Bearer ${token}` },
        payload: { plan, currency: 'USD', provider: 'stripe' },
      });
      expect(res.statusCode, res.body).toBe(201);
      const created = stripe.completeCheckout(res.json().id);
      const subId = created[1]?.data.object.id as string;
      events.push(...created);
      // A life: renewals that fail, recover, or end in cancellation.
      const r = random();
      if (r < 0.25) events.push(...stripe.failRenewal(subId));
      else if (r < 0.45) events.push(...stripe.failRenewal(subId), ...stripe.payRenewal(subId));
      else if (r < 0.6) events.push(...stripe.cancelNow(subId));
      else if (r < 0.7) events.push(...stripe.failRenewal(subId), ...stripe.cancelNow(subId));
      people.push({ userId: user.id, subId });
    }

    // Deliveries: every event, 30% twice, 8% preceded by a badly signed copy; all shuffled.
    type Delivery = { ev: FakeEvent; bad: boolean };
    const deliveries: Delivery[] = [];
    for (const ev of events) {
      deliveries.push({ ev, bad: false });
      if (random() < 0.3) deliveries.push({ ev, bad: false });
      if (random() < 0.08) deliveries.push({ ev, bad: true });
    }
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j] as Delivery, deliveries[i] as Delivery];
    }

    const counts = { deliveries: 0, applied: 0, duplicates: 0, badSignatures: 0, retriedAfterFailure: 0, queued: 0 };
    const deliver = async (d: Delivery): Promise<void> => {
      const { payload, header } = stripe.sign(d.ev, d.bad ? { secret: 'whsec_forged_secret' } : {});
      for (let attempt = 0; attempt < 20; attempt++) {
        counts.deliveries++;
        const res = await ctx.app.inject({
          method: 'POST',
          url: '/api/v1/billing/webhooks/stripe',
          headers: { 'content-type': 'application/json', 'stripe-signature': header },
          payload,
        });
        if (d.bad) {
          expect(res.statusCode).toBe(400);
          counts.badSignatures++;
          return;
        }
        if (res.statusCode === 200) {
          if (res.json().duplicate) counts.duplicates++;
          else counts.applied++;
          if (res.json().applied === 'queued') counts.queued++;
          return;
        }
        // Stripe retries anything but 2xx.
        expect(res.statusCode, res.body).toBeGreaterThanOrEqual(500);
        counts.retriedAfterFailure++;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('delivery never succeeded');
    };

    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < deliveries.length) {
        const d = deliveries[next++] as Delivery;
        await deliver(d);
        // Halfway through, kill every other database connection (a database restart as clients see it).
        if (onPostgres && !killed && next >= Math.floor(deliveries.length / 2)) {
          killed = true;
          await ctx.database.db.execute(
            sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
          );
        }
      }
    };
    // A queue worker re-reads customers while the deliveries go on (a killed connection fails its run;
    // pg-boss retries it).
    let delivering = true;
    const jobs = { completed: 0, failed: 0 };
    const queueWorker = async () => {
      while (delivering) {
        try {
          const r = await workQueue(ctx, stripeSyncTask);
          jobs.completed += r.completed;
          jobs.failed += r.failed;
        } catch {
          jobs.failed++; // the worker's own statements can meet a killed connection too
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const queueRunning = queueWorker();
    await Promise.all(Array.from({ length: 6 }, worker));
    delivering = false;
    await queueRunning;
    // Drain: what is left, and runs a killed connection left active (pg-boss would expire and retry them).
    const last = await workQueue(ctx, stripeSyncTask, { expireActive: true });
    jobs.completed += last.completed;
    jobs.failed += last.failed;
    expect(last.failed, last.errors.join('; ')).toBe(0);
    const left = await jobCounts(ctx.database, stripeSyncTask.name);
    expect(left.created ?? 0).toBe(0);
    expect(left.retry ?? 0).toBe(0);
    expect(left.active ?? 0).toBe(0);

    // Exactly once: one recorded row per distinct event, and as many applications.
    const distinct = new Set(events.map((e) => e.id)).size;
    const [recorded] = await ctx.database.db.select({ n: sql<number>`count(*)::int` }).from(billingEvents);
    expect(recorded?.n).toBe(distinct);
    expect(counts.applied).toBe(distinct);

    // The plan of each user is what Stripe's final subscription state implies.
    const planOf = { price_p: 'Premium', price_e: 'Enterprise' } as Record<string, string>;
    const byPlan: Record<string, number> = {};
    for (const p of people) {
      const sub = stripe.subs.get(p.subId) as { status: string; items: { data: Array<{ price: { id: string } }> } };
      const expected = sub.status === 'canceled' ? 'Free' : (planOf[sub.items.data[0]?.price.id ?? ''] as string);
      const expectedStatus = { past_due: 'past_due', canceled: 'cancelled' }[sub.status] ?? 'active';
      const [u] = await ctx.database.db
        .select({ plan: users.plan, planStatus: users.planStatus })
        .from(users)
        .where(eq(users.id, p.userId));
      expect(u, p.userId).toEqual({ plan: expected, planStatus: expectedStatus });
      byPlan[`${expected}/${expectedStatus}`] = (byPlan[`${expected}/${expectedStatus}`] ?? 0) + 1;
      const [row] = await ctx.database.db
        .select({ status: subscriptions.status })
        .from(subscriptions)
        .where(eq(subscriptions.stripeSubscriptionId, p.subId));
      expect(row?.status).toBe(sub.status);
    }

    // One payment row per invoice, with Stripe's amount and outcome.
    const rows = await ctx.database.db
      .select({ intent: payments.stripePaymentIntentId, amount: payments.amount, status: payments.status })
      .from(payments)
      .innerJoin(billingCustomers, eq(billingCustomers.userId, payments.userId));
    const invoices = [...stripe.invoices.values()] as Array<{
      payment_intent: string;
      amount_due: number;
      status: string;
    }>;
    expect(rows).toHaveLength(invoices.length);
    const byIntent = new Map(rows.map((r) => [r.intent, r]));
    for (const inv of invoices) {
      expect(byIntent.get(inv.payment_intent)).toEqual({
        intent: inv.payment_intent,
        amount: inv.amount_due,
        status: inv.status === 'paid' ? 'succeeded' : 'failed',
      });
    }
    console.log(
      `billing chaos (${onPostgres ? 'PostgreSQL, connections killed midway' : 'PGlite'}): ${USERS} users, ` +
        `${events.length} distinct events, ${JSON.stringify(counts)}, re-read jobs ${JSON.stringify(jobs)} ` +
        `(queued ${counts.queued} events), payments ${rows.length}, final ${JSON.stringify(byPlan)}`,
    );
  }, 300_000);
});
