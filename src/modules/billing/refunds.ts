/** Refunds (administrators) and the per-user re-sync used by the admin API and `jobr billing resync`. */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { systemActor, withContext } from '../../db/context.ts';
import { payments, users } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { recomputeUserPlan } from './billing.service.ts';
import { type BillingDeps, needPhonePe, needStripe } from './deps.ts';
import { refundPhonePePayment, syncPhonePePayment } from './phonepe.ts';
import { refundStripePayment } from './stripe.ts';
import { resyncStripeUser } from './stripe-sync.ts';

export async function refundPayment(deps: BillingDeps, o: { paymentId: string; amount?: number }): Promise<void> {
  const [payment] = await withContext(deps.db, systemActor, (tx) =>
    tx.select().from(payments).where(eq(payments.id, o.paymentId)),
  );
  if (!payment) throw new AppError('PAYMENT_NOT_FOUND');
  const left = payment.amount - payment.refundedAmount;
  const amount = o.amount ?? left;
  if (payment.status !== 'succeeded' || amount <= 0 || amount > left) {
    throw new AppError('REFUND_NOT_ALLOWED', { details: { refundable: payment.status === 'succeeded' ? left : 0 } });
  }
  if (payment.paymentMethod === 'stripe') {
    if (!payment.stripePaymentIntentId) throw new AppError('REFUND_NOT_ALLOWED');
    // Stripe reports the charge's refunded total, which is what gets recorded.
    await refundStripePayment(needStripe(deps), {
      paymentIntentId: payment.stripePaymentIntentId,
      amount,
      paymentId: payment.id,
    });
    return;
  }
  if (!payment.phonepeTransactionId) throw new AppError('REFUND_NOT_ALLOWED');
  await refundPhonePePayment(needPhonePe(deps), {
    merchantOrderId: payment.phonepeTransactionId,
    amount,
    paymentId: payment.id,
  });
  // PhonePe accepted the refund: record it (the CHECK keeps the total within the amount).
  await withContext(deps.db, systemActor, (tx) =>
    tx
      .update(payments)
      .set({ refundedAmount: sql`${payments.refundedAmount} + ${amount}` })
      .where(eq(payments.id, payment.id)),
  );
}

export async function resyncUser(
  deps: BillingDeps,
  userId: string,
): Promise<{ plan: string; planStatus: string; stripeSubscriptions: number; phonepeChecked: number }> {
  const [user] = await withContext(deps.db, systemActor, (tx) =>
    tx.select({ id: users.id }).from(users).where(eq(users.id, userId)),
  );
  if (!user) throw new AppError('NOT_FOUND', { message: 'No such user.' });
  const stripeSubscriptions = deps.stripe ? await resyncStripeUser(deps.stripe, userId) : 0;
  let phonepeChecked = 0;
  if (deps.phonepe) {
    const pending = await withContext(deps.db, systemActor, (tx) =>
      tx
        .select({ order: payments.phonepeTransactionId })
        .from(payments)
        .where(
          and(
            eq(payments.userId, userId),
            eq(payments.paymentMethod, 'phonepe'),
            inArray(payments.status, ['pending', 'processing']),
          ),
        ),
    );
    for (const p of pending) {
      if (!p.order) continue;
      await syncPhonePePayment(deps.phonepe, p.order);
      phonepeChecked++;
    }
  }
  const result = await withContext(deps.db, systemActor, (tx) =>
    recomputeUserPlan(tx, userId, new Date(), deps.config.billing.graceDays),
  );
  return { ...result, stripeSubscriptions, phonepeChecked };
}
