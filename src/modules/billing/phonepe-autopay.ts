/**
 * PhonePe autopay (recurring): a mandate set up at checkout (its first debit grants the first period,
 * see syncPhonePePayment), renewed by redemptions (notify, then execute at least 24 hours later) that a
 * scheduled task starts before each renewal, and cancelled by the user or revoked in their UPI app.
 * PhonePe is always asked for the mandate's state before anything changes; callbacks only trigger that.
 */
import { and, eq, gt, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import { systemActor, withContext } from '../../db/context.ts';
import { payments, subscriptions } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { isPlanName } from '../plans/plans.ts';
import { guard, newRedemptionOrder, type PhonePeDeps } from './phonepe.ts';
import { phonePeAmountFor } from './prices.ts';

/** A redemption is notified this long before the period ends (PhonePe debits 24 hours after notify at the earliest). */
const NOTIFY_BEFORE_MS = 48 * 3600_000;
/** And executed once the notification is this old. */
const EXECUTE_AFTER_MS = 24 * 3600_000;
const ENDED = new Set(['CANCELLED', 'REVOKED', 'EXPIRED', 'FAILED']);

/**
 * Asks PhonePe for the mandate's state; one that ended (cancelled, revoked in the UPI app, expired)
 * renews no more: the paid period runs out (cancel at period end). Returns PhonePe's state.
 */
export async function syncPhonePeMandate(deps: PhonePeDeps, mandate: string): Promise<string> {
  const { state } = await guard(() => deps.phonepe.subscriptionStatus(mandate));
  if (ENDED.has(state)) {
    await withContext(deps.db, systemActor, (tx) =>
      tx
        .update(subscriptions)
        .set({ cancelAtPeriodEnd: true })
        .where(and(eq(subscriptions.phonepeSubscriptionId, mandate), eq(subscriptions.cancelAtPeriodEnd, false))),
    );
  }
  return state;
}

/** The user's live autopay mandate, if any. */
export async function liveMandate(deps: PhonePeDeps, userId: string) {
  const [row] = await withContext(deps.db, { kind: 'user', userId }, (tx) =>
    tx
      .select({ id: subscriptions.id, mandate: subscriptions.phonepeSubscriptionId })
      .from(subscriptions)
      .where(
        and(
          eq(subscriptions.userId, userId),
          isNotNull(subscriptions.phonepeSubscriptionId),
          eq(subscriptions.status, 'active'),
          eq(subscriptions.cancelAtPeriodEnd, false),
        ),
      )
      .limit(1),
  );
  return row?.mandate ? { id: row.id, mandate: row.mandate } : undefined;
}

/** Cancels the user's mandate at PhonePe; the plan stays until the paid period ends. */
export async function cancelPhonePeMandate(deps: PhonePeDeps, userId: string): Promise<void> {
  const live = await liveMandate(deps, userId);
  if (!live) throw new AppError('SUBSCRIPTION_NOT_FOUND');
  await guard(() => deps.phonepe.cancelSubscription(live.mandate));
  await syncPhonePeMandate(deps, live.mandate);
}

/**
 * The renewal task's work: (1) for mandates whose period ends within 48 hours and that have no open
 * redemption, check the mandate is ACTIVE at PhonePe, write the pending payment, then notify;
 * (2) execute redemptions notified at least 24 hours ago. The outcome is settled by the billing-resync
 * task (order status fetched from PhonePe), which extends the period.
 */
export async function renewPhonePeMandates(deps: PhonePeDeps, now: Date): Promise<Record<string, number>> {
  const counts = { notified: 0, executed: 0, mandatesEnded: 0, errors: 0 };
  const open = sql`exists (select 1 from payments p where p.subscription_id = ${subscriptions.id} and p.status in ('pending', 'processing'))`;
  const due = await withContext(deps.db, systemActor, (tx) =>
    tx
      .select()
      .from(subscriptions)
      .where(
        and(
          isNotNull(subscriptions.phonepeSubscriptionId),
          eq(subscriptions.status, 'active'),
          eq(subscriptions.cancelAtPeriodEnd, false),
          lte(subscriptions.currentPeriodEnd, new Date(now.getTime() + NOTIFY_BEFORE_MS)),
          gt(subscriptions.currentPeriodEnd, now),
          sql`not ${open}`,
        ),
      )
      .limit(200),
  );
  for (const sub of due) {
    const mandate = sub.phonepeSubscriptionId as string;
    try {
      if ((await syncPhonePeMandate(deps, mandate)) !== 'ACTIVE' || !isPlanName(sub.planId)) {
        counts.mandatesEnded++;
        continue;
      }
      const interval = sub.billingInterval === 'year' ? 'year' : 'month';
      const amount = phonePeAmountFor(deps.cfg, sub.planId, interval);
      const order = newRedemptionOrder();
      // The row first: an order PhonePe knows about always has one.
      await withContext(deps.db, systemActor, (tx) =>
        tx.insert(payments).values({
          userId: sub.userId,
          subscriptionId: sub.id,
          planId: sub.planId,
          billingInterval: interval,
          amount,
          currency: 'INR',
          status: 'pending',
          paymentMethod: 'phonepe',
          phonepeTransactionId: order,
          // The notification's time on the task's clock: it is executed 24 hours later on the same clock.
          createdAt: now,
        }),
      );
      await guard(() =>
        deps.phonepe.notifyRedemption({ merchantOrderId: order, merchantSubscriptionId: mandate, amount }),
      );
      counts.notified++;
    } catch {
      counts.errors++;
    }
  }
  const notified = await withContext(deps.db, systemActor, (tx) =>
    tx
      .select({ id: payments.id, order: payments.phonepeTransactionId })
      .from(payments)
      .where(
        and(
          eq(payments.status, 'pending'),
          isNotNull(payments.subscriptionId),
          sql`${payments.phonepeTransactionId} like 'JOBRR%'`,
          lte(payments.createdAt, new Date(now.getTime() - EXECUTE_AFTER_MS)),
        ),
      )
      .limit(200),
  );
  for (const p of notified) {
    try {
      await guard(() => deps.phonepe.executeRedemption(p.order as string));
      // 'processing': executed, waiting for PhonePe's outcome (the re-sync task fetches it).
      await withContext(deps.db, systemActor, (tx) =>
        tx
          .update(payments)
          .set({ status: 'processing' })
          .where(and(eq(payments.id, p.id), inArray(payments.status, ['pending']))),
      );
      counts.executed++;
    } catch {
      counts.errors++;
    }
  }
  return counts;
}
