/**
 * Chaos: many users go through Stripe (checkout, failed renewals, recoveries, cancellations) and some
 * pay once through PhonePe (completed or failed); every webhook and callback is delivered duplicated,
 * shuffled, concurrently, some first with a bad signature. In the PostgreSQL run, where the server
 * binaries exist, the app runs on a private PostgreSQL cluster (test/helpers/pg-cluster.ts) that is
 * restarted twice while deliveries are in flight: `pg_ctl restart -m fast`, then `-m immediate` (a
 * crash, recovered from the WAL). Deliveries during an outage must get a 5xx, which the provider
 * retries (with backoff, as Stripe and PhonePe do); on PGlite the restart is skipped, saying so.
 * Stripe webhooks queue re-reads of the customer; a worker works the queue while deliveries go on,
 * and the queue is drained before asserting. The end state must be exactly what the providers' final
 * state implies, with no event recorded twice.
 * Size: CHAOS_USERS (default 20; `CHAOS_USERS=170` gives ~1,000 deliveries).
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingCustomers, billingEvents, payments, subscriptions, users } from '../../src/db/schema/index.ts';
import { stripeSyncTask } from '../../src/modules/billing/stripe-sync.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInUser } from '../helpers/auth.ts';
import { openMigratedDatabase } from '../helpers/db.ts';
import { type FakePhonePe, startFakePhonePe } from '../helpers/fake-phonepe.ts';
import { type FakeEvent, type FakeStripe, startFakeStripe } from '../helpers/fake-stripe.ts';
import { PgCluster, pgBin } from '../helpers/pg-cluster.ts';
import { jobCounts, workQueue } from '../helpers/queue.ts';
import { testDatabaseUrl } from '../helpers/template.ts';

const KEY = 'sk_test_chaos';
const SECRET = 'whsec_test_chaos';
const PP = {
  clientId: 'CHAOS_CLIENT',
  clientSecret: 'pp-chaos-secret',
  username: 'chaos-hook',
  password: 'chaos-pass-1',
};
const USERS = Number(process.env.CHAOS_USERS ?? 20);
/** Users who pay once through PhonePe instead, beside the Stripe ones. */
const PHONEPE_USERS = Math.ceil(USERS / 4);
/** A real restart needs a server of our own: the PostgreSQL run, where the server binaries exist. */
const restartable = Boolean(testDatabaseUrl && pgBin);
if (!restartable) {
  console.warn(
    testDatabaseUrl
      ? 'billing chaos: no PostgreSQL server binaries, so no database restart (killed connections instead)'
      : 'billing chaos: PGlite run, no database restart (run with TEST_DATABASE_URL for the restart)',
  );
}

let ctx: TestContext & { close(): Promise<void> };
let stripe: FakeStripe;
let phonepe: FakePhonePe;
let cluster: PgCluster | undefined;

beforeAll(async () => {
  stripe = await startFakeStripe({
    secretKey: KEY,
    webhookSecret: SECRET,
    prices: { price_p: { amount: 999, currency: 'usd' }, price_e: { amount: 4999, currency: 'usd' } },
  });
  phonepe = await startFakePhonePe(PP);
  const env = {
    STRIPE_SECRET_KEY: KEY,
    STRIPE_WEBHOOK_SECRET: SECRET,
    STRIPE_PRICES: 'Premium:USD=price_p,Enterprise:USD=price_e',
    STRIPE_API_URL: stripe.url,
    PHONEPE_CLIENT_ID: PP.clientId,
    PHONEPE_CLIENT_SECRET: PP.clientSecret,
    PHONEPE_API_URL: phonepe.url,
    PHONEPE_AUTH_URL: phonepe.url,
    PHONEPE_WEBHOOK_USERNAME: PP.username,
    PHONEPE_WEBHOOK_PASSWORD: PP.password,
  };
  if (restartable) {
    cluster = await PgCluster.create({ prefix: 'jobr-chaos-' });
    cluster.start();
    // A short connect timeout: while the server is down, requests fail fast with 503 instead of queueing.
    const database = await openMigratedDatabase(cluster.url(), { connectTimeoutMs: 1000 });
    ctx = await createTestApp({ env: { ...env, DATABASE_URL: cluster.url() }, database });
  } else {
    ctx = await createTestApp({ env });
  }
});
afterAll(async () => {
  await ctx?.close();
  await stripe?.close();
  await phonepe?.close();
  cluster?.remove();
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
  it('ends with exactly the plans and payments the providers imply, no event applied twice', async () => {
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
    // PhonePe: one-time payments, settled at PhonePe (most completed, some failed) before any callback.
    const payers: Array<{ userId: string; order: string; plan: string; paid: boolean }> = [];
    for (let i = 0; i < PHONEPE_USERS; i++) {
      const { user, token } = await signedInUser(ctx.database.db);
      const plan = random() < 0.3 ? 'Enterprise' : 'Premium';
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/billing/checkout',
        headers: { authorization: `Bearer ${token}` },
        payload: { plan, currency: 'INR', provider: 'phonepe' },
      });
      expect(res.statusCode, res.body).toBe(201);
      const paid = random() < 0.75;
      phonepe.settle(res.json().id, paid ? 'COMPLETED' : 'FAILED');
      payers.push({ userId: user.id, order: res.json().id, plan, paid });
    }

    // Deliveries: every event and callback, 30% twice, 8% preceded by a badly signed copy; all shuffled.
    type Delivery = { kind: 'stripe'; ev: FakeEvent; bad: boolean } | { kind: 'phonepe'; order: string; bad: boolean };
    const deliveries: Delivery[] = [];
    const add = (d: Delivery) => {
      deliveries.push(d);
      if (random() < 0.3) deliveries.push(d);
      if (random() < 0.08) deliveries.push({ ...d, bad: true });
    };
    for (const ev of events) add({ kind: 'stripe', ev, bad: false });
    for (const p of payers) add({ kind: 'phonepe', order: p.order, bad: false });
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j] as Delivery, deliveries[i] as Delivery];
    }

    const counts = {
      deliveries: 0,
      applied: 0,
      phonepeApplied: 0,
      duplicates: 0,
      badSignatures: 0,
      retriedAfterFailure: 0,
      queued: 0,
    };
    /** The 5xx answers, by status and error code: during a restart they must all be the clean 503. */
    const failures: Record<string, number> = {};
    const request = (d: Delivery) => {
      if (d.kind === 'stripe') {
        const { payload, header } = stripe.sign(d.ev, d.bad ? { secret: 'whsec_forged_secret' } : {});
        return ctx.app.inject({
          method: 'POST',
          url: '/api/v1/billing/webhooks/stripe',
          headers: { 'content-type': 'application/json', 'stripe-signature': header },
          payload,
        });
      }
      const { payload, headers } = phonepe.callback(d.order, d.bad ? { password: 'not-the-password' } : {});
      return ctx.app.inject({ method: 'POST', url: '/api/v1/billing/webhooks/phonepe', headers, payload });
    };
    // Stripe events answered 200 at least once, and how many deliveries of each were answered "applied".
    const answered = new Set<string>();
    const appliedAt = new Map<string, number>();
    const deliver = async (d: Delivery): Promise<void> => {
      // Providers retry anything but 2xx, backing off; give up (fail the test) after a minute.
      const giveUp = Date.now() + 60_000;
      for (let attempt = 0; ; attempt++) {
        counts.deliveries++;
        const res = await request(d);
        if (d.bad && res.statusCode === 400) {
          expect(res.json().error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
          counts.badSignatures++;
          return;
        }
        if (res.statusCode === 200) {
          expect(d.bad, 'a badly signed delivery was accepted').toBe(false);
          const body = res.json();
          if (body.duplicate) counts.duplicates++;
          else if (d.kind === 'stripe') {
            counts.applied++;
            appliedAt.set(d.ev.id, (appliedAt.get(d.ev.id) ?? 0) + 1);
          }
          if (d.kind === 'stripe') answered.add(d.ev.id);
          if (d.kind === 'phonepe' && body.applied) counts.phonepeApplied++;
          if (body.applied === 'queued') counts.queued++;
          return;
        }
        expect(res.statusCode, res.body).toBeGreaterThanOrEqual(500);
        const key = `${res.statusCode} ${res.json().error?.code}`;
        failures[key] = (failures[key] ?? 0) + 1;
        counts.retriedAfterFailure++;
        if (Date.now() > giveUp) throw new Error(`delivery never succeeded: ${res.body}`);
        await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 1000)));
      }
    };

    // The database fault, while deliveries are in flight: real restarts of our own cluster, or (without
    // one, on PostgreSQL) every other connection killed; nothing on PGlite.
    let next = 0;
    const restarts: Array<{ mode: string; ms: number }> = [];
    const at = (fraction: number) => Math.floor(deliveries.length * fraction);
    const whenPast = async (index: number) => {
      while (next < index) await new Promise((r) => setTimeout(r, 10));
    };
    const faults = async () => {
      if (cluster) {
        for (const [fraction, mode] of [
          [0.3, 'fast'],
          [0.6, 'immediate'],
        ] as const) {
          await whenPast(at(fraction));
          const began = Date.now();
          await cluster.restart(mode);
          restarts.push({ mode, ms: Date.now() - began });
        }
      } else if (testDatabaseUrl) {
        await whenPast(at(0.5));
        await ctx.database.db.execute(
          sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
        );
      }
    };
    const worker = async () => {
      while (next < deliveries.length) await deliver(deliveries[next++] as Delivery);
    };
    // A queue worker re-reads customers while the deliveries go on (a run cut off by the restart fails;
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
          jobs.failed++; // the worker's own statements meet the outage too
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const queueRunning = queueWorker();
    const faulting = faults();
    await Promise.all(Array.from({ length: 6 }, worker));
    await faulting;
    delivering = false;
    await queueRunning;
    // Drain: what is left, and runs the outage left active (pg-boss would expire and retry them).
    const last = await workQueue(ctx, stripeSyncTask, { expireActive: true });
    jobs.completed += last.completed;
    jobs.failed += last.failed;
    expect(last.failed, last.errors.join('; ')).toBe(0);
    const left = await jobCounts(ctx.database, stripeSyncTask.name);
    expect(left.created ?? 0).toBe(0);
    expect(left.retry ?? 0).toBe(0);
    expect(left.active ?? 0).toBe(0);

    if (cluster) {
      // Both restarts happened while deliveries were in flight, and were seen as clean 503s.
      expect(restarts.map((r) => r.mode)).toEqual(['fast', 'immediate']);
      expect(counts.retriedAfterFailure).toBeGreaterThan(0);
      expect(Object.keys(failures)).toEqual(['503 DATABASE_UNAVAILABLE']);
    }

    // Exactly once: one recorded row per distinct Stripe event, and as many applications; PhonePe: each
    // order's outcome recorded and applied by exactly one callback, however many arrived.
    const distinct = new Set(events.map((e) => e.id)).size;
    const recorded = await ctx.database.db
      .select({ provider: billingEvents.provider, n: sql<number>`count(*)::int` })
      .from(billingEvents)
      .groupBy(billingEvents.provider)
      .orderBy(billingEvents.provider);
    expect(recorded).toEqual([
      { provider: 'phonepe', n: payers.length },
      { provider: 'stripe', n: distinct },
    ]);
    // Every event was answered 200, none was answered "applied" twice. A restart can lose the answer to a
    // delivery whose transaction committed (the provider then retries and hears "duplicate"), so only
    // without failed deliveries must every event have been answered "applied" once.
    expect(answered.size).toBe(distinct);
    expect([...appliedAt.values()].filter((n) => n > 1)).toEqual([]);
    if (counts.retriedAfterFailure === 0) expect(counts.applied).toBe(distinct);
    else expect(counts.applied).toBeGreaterThanOrEqual(distinct - counts.retriedAfterFailure);
    expect(counts.phonepeApplied).toBe(payers.length);

    // The plan of each user is what Stripe's final subscription state implies.
    const planOf = { price_p: 'Premium', price_e: 'Enterprise' } as Record<string, string>;
    const byPlan: Record<string, number> = {};
    const planRow = async (userId: string) =>
      (
        await ctx.database.db
          .select({ plan: users.plan, planStatus: users.planStatus })
          .from(users)
          .where(eq(users.id, userId))
      )[0];
    for (const p of people) {
      const sub = stripe.subs.get(p.subId) as { status: string; items: { data: Array<{ price: { id: string } }> } };
      const expected = sub.status === 'canceled' ? 'Free' : (planOf[sub.items.data[0]?.price.id ?? ''] as string);
      const expectedStatus = { past_due: 'past_due', canceled: 'cancelled' }[sub.status] ?? 'active';
      expect(await planRow(p.userId), p.userId).toEqual({ plan: expected, planStatus: expectedStatus });
      byPlan[`${expected}/${expectedStatus}`] = (byPlan[`${expected}/${expectedStatus}`] ?? 0) + 1;
      const [row] = await ctx.database.db
        .select({ status: subscriptions.status })
        .from(subscriptions)
        .where(eq(subscriptions.stripeSubscriptionId, p.subId));
      expect(row?.status).toBe(sub.status);
    }
    // PhonePe: a completed order grants its plan and one succeeded payment; a failed one grants nothing.
    for (const p of payers) {
      expect(await planRow(p.userId), p.userId).toEqual({ plan: p.paid ? p.plan : 'Free', planStatus: 'active' });
      const rows = await ctx.database.db
        .select({ status: payments.status, amount: payments.amount })
        .from(payments)
        .where(eq(payments.phonepeTransactionId, p.order));
      expect(rows).toEqual([{ status: p.paid ? 'succeeded' : 'failed', amount: phonepe.orders.get(p.order)?.amount }]);
      const key = `phonepe ${p.paid ? p.plan : 'Free'}`;
      byPlan[key] = (byPlan[key] ?? 0) + 1;
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
    const fault = cluster
      ? `PostgreSQL restarted ${restarts.map((r) => `-m ${r.mode} in ${r.ms} ms`).join(', ')}`
      : testDatabaseUrl
        ? 'PostgreSQL, connections killed midway'
        : 'PGlite, no restart';
    console.log(
      `billing chaos (${fault}): ${USERS} Stripe users, ${PHONEPE_USERS} PhonePe users, ` +
        `${events.length} distinct Stripe events, ${deliveries.length} deliveries planned, ${JSON.stringify(counts)}, ` +
        `5xx answers ${JSON.stringify(failures)}, re-read jobs ${JSON.stringify(jobs)}, ` +
        `Stripe payments ${rows.length}, final ${JSON.stringify(byPlan)}`,
    );
  }, 300_000);
});
