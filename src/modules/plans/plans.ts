/**
 * The plan catalogue: one place that says what each plan costs and how much of each metered action
 * (the design document's usage_tracking actions) it allows per calendar month (UTC). Billing reads the
 * prices, quota enforcement reads the limits, GET /plans shows both. `null` means unlimited.
 */
import type { BILLING_INTERVALS, USAGE_ACTIONS } from '../../db/schema/billing.ts';
import { PLANS as PLAN_NAMES } from '../../db/schema/users.ts';

/** The plan names: the one list that also feeds users_plan_valid in the schema. */
export { PLAN_NAMES };
export type PlanName = (typeof PLAN_NAMES)[number];
export type UsageAction = (typeof USAGE_ACTIONS)[number];
export type BillingInterval = (typeof BILLING_INTERVALS)[number];

export type PlanPrice = {
  /** Smallest currency unit (cents, paise), as Stripe and PhonePe take amounts. */
  amount: number;
  currency: 'USD' | 'INR';
  interval: BillingInterval;
};

export type Plan = {
  name: PlanName;
  /** Free costs nothing; paid plans have one price per currency and interval (a year costs ten months). */
  prices: readonly PlanPrice[];
  limits: Readonly<Record<UsageAction, number | null>>;
};

export const PLANS: Readonly<Record<PlanName, Plan>> = {
  Free: {
    name: 'Free',
    prices: [],
    limits: { cv_upload: 3, job_application: 20, ai_match: 50, cover_letter_generated: 3 },
  },
  Premium: {
    name: 'Premium',
    prices: [
      { amount: 999, currency: 'USD', interval: 'month' },
      { amount: 9_990, currency: 'USD', interval: 'year' },
      { amount: 49_900, currency: 'INR', interval: 'month' },
      { amount: 499_000, currency: 'INR', interval: 'year' },
    ],
    limits: { cv_upload: 20, job_application: 200, ai_match: 2_000, cover_letter_generated: 100 },
  },
  Enterprise: {
    name: 'Enterprise',
    prices: [
      { amount: 4_999, currency: 'USD', interval: 'month' },
      { amount: 49_990, currency: 'USD', interval: 'year' },
      { amount: 249_900, currency: 'INR', interval: 'month' },
      { amount: 2_499_000, currency: 'INR', interval: 'year' },
    ],
    limits: { cv_upload: null, job_application: null, ai_match: null, cover_letter_generated: null },
  },
};

export function isPlanName(value: string): value is PlanName {
  return (PLAN_NAMES as readonly string[]).includes(value);
}

/** The monthly limit of one action on a plan; null when unlimited. */
export function planLimit(plan: PlanName, action: UsageAction): number | null {
  return PLANS[plan].limits[action];
}

/** Start of the UTC calendar month that `now` falls in: quotas reset there. */
export function usagePeriodStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}
