/**
 * What a plan costs through each provider, from the plan catalogue (amounts) and configuration (Stripe
 * price ids per plan × currency × interval; PhonePe amounts per plan × interval in paise).
 */
import type { PhonePeConfig, StripeConfig } from '../../config.ts';
import { AppError } from '../../lib/errors.ts';
import { type BillingInterval, isPlanName, PLANS, type PlanName, type PlanPrice } from '../plans/plans.ts';

export type Currency = PlanPrice['currency'];
export type OfferedPrice = PlanPrice & { providers: Array<'stripe' | 'phonepe'> };

const stripeKey = (plan: PlanName, currency: Currency, interval: BillingInterval) => `${plan}:${currency}:${interval}`;

/** The catalogue price of (plan, currency, interval), with PhonePe's configured INR amount when set. */
export function catalogueAmount(
  phonepe: PhonePeConfig | undefined,
  plan: PlanName,
  currency: Currency,
  interval: BillingInterval,
): number | undefined {
  const configured = currency === 'INR' ? phonepe?.amounts[`${plan}:${interval}`] : undefined;
  return configured ?? PLANS[plan].prices.find((p) => p.currency === currency && p.interval === interval)?.amount;
}

/** Every price of a plan, and which configured provider takes it. */
export function offeredPrices(
  plan: PlanName,
  providers: { stripe?: StripeConfig | undefined; phonepe?: PhonePeConfig | undefined },
): OfferedPrice[] {
  return PLANS[plan].prices.map((p) => {
    const by: OfferedPrice['providers'] = [];
    if (providers.stripe?.prices[stripeKey(plan, p.currency, p.interval)]) by.push('stripe');
    if (providers.phonepe && p.currency === 'INR') by.push('phonepe');
    const amount = catalogueAmount(providers.phonepe, plan, p.currency, p.interval) ?? p.amount;
    return { amount, currency: p.currency, interval: p.interval, providers: by };
  });
}

/** The Stripe price id of (plan, currency, interval); 400 PLAN_NOT_PURCHASABLE when there is none. */
export function stripePriceFor(
  sc: StripeConfig,
  plan: PlanName,
  currency: Currency,
  interval: BillingInterval,
): string {
  const offered = PLANS[plan].prices.some((p) => p.currency === currency && p.interval === interval);
  const price = sc.prices[stripeKey(plan, currency, interval)];
  if (!offered || !price) throw new AppError('PLAN_NOT_PURCHASABLE', { details: { plan, currency, interval } });
  return price;
}

/** Plan and interval of a configured Stripe price id. */
export function planOfStripePrice(
  sc: StripeConfig,
  priceId: string | undefined,
): { plan: PlanName; interval: BillingInterval } | undefined {
  if (!priceId) return undefined;
  for (const [key, id] of Object.entries(sc.prices)) {
    if (id !== priceId) continue;
    const [plan = '', , interval] = key.split(':');
    if (isPlanName(plan) && (interval === 'month' || interval === 'year')) return { plan, interval };
  }
  return undefined;
}

/** What PhonePe charges for (plan, interval), in paise; 400 PLAN_NOT_PURCHASABLE when not offered. */
export function phonePeAmountFor(cfg: PhonePeConfig, plan: PlanName, interval: BillingInterval): number {
  const amount = catalogueAmount(cfg, plan, 'INR', interval);
  if (!amount) throw new AppError('PLAN_NOT_PURCHASABLE', { details: { plan, currency: 'INR', interval } });
  return amount;
}

/**
 * The end of a paid period that starts at `from`: one calendar month (clamped to the month's last day,
 * so 31 January + 1 month = 28/29 February) or one year (UTC).
 */
export function addInterval(from: Date, interval: BillingInterval): Date {
  const d = new Date(from);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  if (interval === 'year') d.setUTCFullYear(d.getUTCFullYear() + 1);
  else d.setUTCMonth(d.getUTCMonth() + 1);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}
