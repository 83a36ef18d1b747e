import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../lib/errors.ts';
import { PhonePeClient, type PhonePeDeps } from './phonepe.ts';
import { createStripeClient, type StripeDeps } from './stripe.ts';

/** The configured payment providers; either may be absent (then its endpoints answer 503). */
export type BillingDeps = { db: Db; config: Config; stripe?: StripeDeps; phonepe?: PhonePeDeps };

export function createBillingDeps(db: Db, config: Config): BillingDeps {
  const s = createStripeClient(config);
  const p = config.billing.phonepe;
  return {
    db,
    config,
    ...(s ? { stripe: { db, config, ...s } } : {}),
    ...(p ? { phonepe: { db, config, cfg: p, phonepe: new PhonePeClient(p, config.billing.providerTimeoutMs) } } : {}),
  };
}

export function needStripe(deps: BillingDeps): StripeDeps {
  if (!deps.stripe)
    throw new AppError('BILLING_NOT_CONFIGURED', { message: 'Stripe is not configured on this server.' });
  return deps.stripe;
}

export function needPhonePe(deps: BillingDeps): PhonePeDeps {
  if (!deps.phonepe)
    throw new AppError('BILLING_NOT_CONFIGURED', { message: 'PhonePe is not configured on this server.' });
  return deps.phonepe;
}
