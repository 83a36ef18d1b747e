/**
 * The plan catalogue: what each plan costs (PLANS, fixed: payment providers hold the same prices) and
 * what it allows (PlanRules: the limit of each metered action per period, and API keys), configurable
 * with defaults below. Billing reads the prices, quota enforcement and API keys read the rules, GET /plans
 * shows both. `null` means unlimited.
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
};

export type PlanLimits = Readonly<Record<PlanName, Readonly<Record<UsageAction, number | null>>>>;

/** The length of a usage period: quotas reset at the start of each (UTC; weeks start on Monday). */
export const USAGE_PERIODS = ['day', 'week', 'month'] as const;
export type UsagePeriod = (typeof USAGE_PERIODS)[number];

/**
 * What each plan allows, as configured (PLAN_LIMITS, PLAN_PERIOD, API_KEY_PLANS; see config.ts and the
 * README): the one table quota enforcement, API-key creation, GET /plans and GET /me/usage read.
 */
export type PlanRules = {
  limits: PlanLimits;
  period: UsagePeriod;
  /** Plans whose users may create API keys (administrators always may). */
  apiKeys: readonly PlanName[];
};

/** The limits when PLAN_LIMITS does not change them. */
export const DEFAULT_PLAN_LIMITS: PlanLimits = {
  Free: { cv_upload: 3, job_application: 20, ai_match: 50, cover_letter_generated: 3 },
  Premium: { cv_upload: 20, job_application: 200, ai_match: 2_000, cover_letter_generated: 100 },
  Enterprise: { cv_upload: null, job_application: null, ai_match: null, cover_letter_generated: null },
};

export const DEFAULT_PLAN_RULES: PlanRules = {
  limits: DEFAULT_PLAN_LIMITS,
  period: 'month',
  apiKeys: ['Premium', 'Enterprise'],
};

export const PLANS: Readonly<Record<PlanName, Plan>> = {
  Free: { name: 'Free', prices: [] },
  Premium: {
    name: 'Premium',
    prices: [
      { amount: 999, currency: 'USD', interval: 'month' },
      { amount: 9_990, currency: 'USD', interval: 'year' },
      { amount: 49_900, currency: 'INR', interval: 'month' },
      { amount: 499_000, currency: 'INR', interval: 'year' },
    ],
  },
  Enterprise: {
    name: 'Enterprise',
    prices: [
      { amount: 4_999, currency: 'USD', interval: 'month' },
      { amount: 49_990, currency: 'USD', interval: 'year' },
      { amount: 249_900, currency: 'INR', interval: 'month' },
      { amount: 2_499_000, currency: 'INR', interval: 'year' },
    ],
  },
};

export function isPlanName(value: string): value is PlanName {
  return (PLAN_NAMES as readonly string[]).includes(value);
}

/** The limit of one action on a plan per period; null when unlimited. */
export function planLimit(rules: PlanRules, plan: PlanName, action: UsageAction): number | null {
  return rules.limits[plan][action];
}

/** Start of the UTC day, week (Monday) or calendar month that `now` falls in: quotas reset there. */
export function usagePeriodStart(now: Date, period: UsagePeriod): Date {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  if (period === 'month') return new Date(Date.UTC(y, m, 1));
  const day = new Date(Date.UTC(y, m, now.getUTCDate()));
  if (period === 'day') return day;
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000);
}

/** First instant of the next period: when this period's usage stops counting. */
export function usageResetsAt(now: Date, period: UsagePeriod): Date {
  const start = usagePeriodStart(now, period);
  if (period === 'month') return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  return new Date(start.getTime() + (period === 'day' ? 1 : 7) * 86_400_000);
}
