import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { createdAt, id, inValues, timestamptz } from './columns.ts';
import { users } from './users.ts';

export const SUBSCRIPTION_STATUSES = ['active', 'canceled', 'past_due', 'unpaid', 'paused'] as const;
export const PAYMENT_METHODS = ['stripe', 'phonepe'] as const;
export const PAYMENT_STATUSES = ['pending', 'processing', 'succeeded', 'failed', 'canceled'] as const;
export const CURRENCIES = ['USD', 'INR', 'EUR', 'GBP'] as const;
/** How often a subscription renews (and how long a one-time payment's period runs). */
export const BILLING_INTERVALS = ['month', 'year'] as const;
export const USAGE_ACTIONS = ['cv_upload', 'job_application', 'ai_match', 'cover_letter_generated'] as const;

export const subscriptions = pgTable(
  'subscriptions',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    planId: varchar('plan_id', { length: 50 }).notNull(),
    status: varchar('status', { length: 20 }).notNull().default('active'),
    currentPeriodStart: timestamptz('current_period_start').notNull(),
    currentPeriodEnd: timestamptz('current_period_end').notNull(),
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
    canceledAt: timestamptz('canceled_at'),
    stripeSubscriptionId: varchar('stripe_subscription_id', { length: 255 }).unique(
      'subscriptions_stripe_subscription_id_key',
    ),
    paymentMethod: varchar('payment_method', { length: 20 }).notNull().default('stripe'),
    createdAt: createdAt(),
    updatedAt: createdAt('updated_at'),
    // Additive (billing): when the subscription last went past_due; the grace period counts from here.
    pastDueSince: timestamptz('past_due_since'),
    // Additive (billing): the renewal interval, and PhonePe autopay's merchantSubscriptionId (the mandate).
    billingInterval: varchar('billing_interval', { length: 10 }).notNull().default('month'),
    phonepeSubscriptionId: varchar('phonepe_subscription_id', { length: 64 }).unique(
      'subscriptions_phonepe_subscription_id_key',
    ),
  },
  (t) => [
    check('subscriptions_status_valid', inValues(t.status, SUBSCRIPTION_STATUSES)),
    check('subscriptions_billing_interval_valid', inValues(t.billingInterval, BILLING_INTERVALS)),
    check('subscriptions_payment_method_valid', inValues(t.paymentMethod, PAYMENT_METHODS)),
    check('subscriptions_period_valid', sql`${t.currentPeriodEnd} > ${t.currentPeriodStart}`),
    index('idx_subscriptions_user_id').on(t.userId),
    index('idx_subscriptions_status').on(t.status),
    index('idx_subscriptions_user_status').on(t.userId, t.status),
    index('idx_subscriptions_period_end').on(t.currentPeriodEnd),
    index('idx_subscriptions_stripe_id').on(t.stripeSubscriptionId).where(sql`${t.stripeSubscriptionId} IS NOT NULL`),
    index('idx_subscriptions_user_active').on(t.userId, t.status).where(sql`${t.status} = 'active'`),
  ],
);

export const payments = pgTable(
  'payments',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    subscriptionId: uuid('subscription_id').references(() => subscriptions.id, { onDelete: 'set null' }),
    amount: integer('amount').notNull(),
    currency: varchar('currency', { length: 3 }).notNull().default('USD'),
    status: varchar('status', { length: 20 }).notNull().default('pending'),
    paymentMethod: varchar('payment_method', { length: 20 }).notNull(),
    stripePaymentIntentId: varchar('stripe_payment_intent_id', { length: 255 }).unique(
      'payments_stripe_payment_intent_id_key',
    ),
    phonepeTransactionId: varchar('phonepe_transaction_id', { length: 255 }).unique(
      'payments_phonepe_transaction_id_key',
    ),
    createdAt: createdAt(),
    updatedAt: createdAt('updated_at'),
    // Additive (billing): the plan a one-time payment buys, and how much of it was refunded (minor units).
    planId: varchar('plan_id', { length: 50 }),
    refundedAmount: integer('refunded_amount').notNull().default(0),
    // Additive (billing): the period a payment pays for (a PhonePe one-time yearly payment grants a year).
    billingInterval: varchar('billing_interval', { length: 10 }).notNull().default('month'),
  },
  (t) => [
    check('payments_billing_interval_valid', inValues(t.billingInterval, BILLING_INTERVALS)),
    check('payments_refund_within_amount', sql`${t.refundedAmount} >= 0 AND ${t.refundedAmount} <= ${t.amount}`),
    check('payments_amount_positive', sql`${t.amount} > 0`),
    check('payments_currency_valid', inValues(t.currency, CURRENCIES)),
    check('payments_status_valid', inValues(t.status, PAYMENT_STATUSES)),
    check('payments_method_valid', inValues(t.paymentMethod, PAYMENT_METHODS)),
    index('idx_payments_user_id').on(t.userId),
    index('idx_payments_subscription_id').on(t.subscriptionId),
    index('idx_payments_status').on(t.status),
    index('idx_payments_method').on(t.paymentMethod),
    index('idx_payments_created_at').on(t.createdAt.desc()),
    index('idx_payments_stripe_intent').on(t.stripePaymentIntentId).where(sql`${t.stripePaymentIntentId} IS NOT NULL`),
    index('idx_payments_phonepe_txn').on(t.phonepeTransactionId).where(sql`${t.phonepeTransactionId} IS NOT NULL`),
  ],
);

export const usageTracking = pgTable(
  'usage_tracking',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    actionType: varchar('action_type', { length: 50 }).notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    check('ut_action_type_valid', inValues(t.actionType, USAGE_ACTIONS)),
    index('idx_ut_user_id').on(t.userId),
    index('idx_ut_action_type').on(t.actionType),
    index('idx_ut_created_at').on(t.createdAt.desc()),
    index('idx_ut_user_action_date').on(t.userId, t.actionType, t.createdAt.desc()),
    index('idx_ut_metadata').using('gin', t.metadata),
    index('idx_usage_tracking_created_at').on(t.createdAt.desc()),
    index('idx_usage_metadata').using('gin', t.metadata),
  ],
);

/** One payment-provider customer per user, created on first need (Stripe). */
export const billingCustomers = pgTable(
  'billing_customers',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    provider: varchar('provider', { length: 20 }).notNull(),
    customerId: varchar('customer_id', { length: 255 }).notNull(),
    createdAt: createdAt(),
    /**
     * When the Stripe read last applied for this customer started (database clock). A sync whose read
     * started earlier than this is stale and applies nothing (docs/decisions/016-billing-sync.md).
     */
    syncedAt: timestamptz('synced_at'),
  },
  (t) => [
    primaryKey({ name: 'billing_customers_pkey', columns: [t.userId, t.provider] }),
    check('billing_customers_provider_valid', inValues(t.provider, PAYMENT_METHODS)),
    uniqueIndex('billing_customers_provider_customer_key').on(t.provider, t.customerId),
  ],
);

/**
 * Every provider event applied, recorded in the same transaction as its effect: a redelivered event
 * finds its id here and does nothing.
 */
export const billingEvents = pgTable(
  'billing_events',
  {
    provider: varchar('provider', { length: 20 }).notNull(),
    eventId: varchar('event_id', { length: 255 }).notNull(),
    type: varchar('type', { length: 100 }).notNull(),
    /** The user the event concerned, when known (for the admin view). */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    processedAt: createdAt('processed_at'),
  },
  (t) => [
    primaryKey({ name: 'billing_events_pkey', columns: [t.provider, t.eventId] }),
    check('billing_events_provider_valid', inValues(t.provider, PAYMENT_METHODS)),
    index('idx_billing_events_processed_at').on(t.processedAt.desc()),
  ],
);
