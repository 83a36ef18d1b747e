/** The plans (public), and for a signed-in user the way to pay for one. */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ACTIONS, api } from '../api.ts';
import { useMe } from '../session.ts';
import type { Plan } from '../types.ts';
import { ErrorMessage, Loading, Page } from '../ui.tsx';

export const money = (amount: number, currency: string) =>
  new Intl.NumberFormat(currency === 'INR' ? 'en-IN' : 'en', { style: 'currency', currency }).format(amount / 100);

type Interval = 'month' | 'year';

export function Component() {
  const plans = useQuery({ queryKey: ['plans'], queryFn: () => api<{ data: Plan[] }>('/plans') });
  const me = useMe();
  const [interval, setBillingInterval] = useState<Interval>('month');
  return (
    <Page title="Plans">
      {plans.isPending && <Loading />}
      <ErrorMessage error={plans.error} />
      {plans.data && (
        <fieldset className="actions">
          <legend className="visually-hidden">Billing interval</legend>
          {(['month', 'year'] as const).map((i) => (
            <button key={i} type="button" aria-pressed={interval === i} onClick={() => setBillingInterval(i)}>
              {i === 'month' ? 'Monthly' : 'Yearly (two months free)'}
            </button>
          ))}
        </fieldset>
      )}
      {plans.data && (
        <ul className="plans">
          {plans.data.data.map((p) => (
            <li key={p.name} className={`card plan${me.data?.plan === p.name ? ' current' : ''}`}>
              <h2>
                {p.name} {me.data?.plan === p.name && <span className="tag">Your plan</span>}
              </h2>
              <p className="price">
                {p.prices.length === 0
                  ? 'Free'
                  : p.prices
                      .filter((pr) => pr.interval === interval)
                      .map((pr) => `${money(pr.amount, pr.currency)} a ${pr.interval}`)
                      .join(' or ')}
              </p>
              <ul className="list">
                {Object.entries(p.limits).map(([action, limit]) => (
                  <li key={action}>
                    {limit === null ? 'Unlimited' : limit.toLocaleString('en')} {ACTIONS[action] ?? action}
                    {limit === null ? '' : ` a ${p.period}`}
                  </li>
                ))}
                <li>{p.apiKeys ? 'API keys for your own tools' : 'No API keys'}</li>
              </ul>
              {p.prices.length > 0 && me.data && me.data.plan !== p.name && <Checkout plan={p} interval={interval} />}
            </li>
          ))}
        </ul>
      )}
      {!me.data && me.isSuccess && (
        <p>
          <Link to="/sign-in?returnTo=%2Fplans">Sign in</Link> to upgrade.
        </p>
      )}
      {me.data && (
        <p>
          <Link to="/billing">Your billing and usage</Link>
        </p>
      )}
    </Page>
  );
}

function Checkout({ plan, interval }: { plan: Plan; interval: Interval }) {
  const checkout = useMutation({
    mutationFn: (body: { plan: string; currency: string; interval: Interval; provider: string; autopay: boolean }) =>
      api<{ url: string }>('/billing/checkout', { method: 'POST', body }),
    // The plan changes only when the provider confirms the payment; the browser just goes to its page.
    onSuccess: ({ url }) => window.location.assign(url),
  });
  // When nothing is configured the server says so (503): offer the card payment anyway so the sentence shows.
  const prices = plan.prices.filter((pr) => pr.interval === interval);
  const options: Array<{ provider: string; currency: string; autopay: boolean; text: string }> = [];
  for (const pr of prices) {
    if (pr.providers.includes('stripe') || plan.providers.length === 0)
      options.push({ provider: 'stripe', currency: pr.currency, autopay: false, text: `Pay by card (${pr.currency})` });
    if (pr.providers.includes('phonepe')) {
      const phonepe = { provider: 'phonepe', currency: 'INR' };
      options.push({ ...phonepe, autopay: false, text: `Pay with PhonePe (INR, one ${interval})` });
      // A UPI AutoPay mandate: PhonePe debits the same amount every interval until cancelled.
      options.push({ ...phonepe, autopay: true, text: `Pay every ${interval} automatically (UPI AutoPay)` });
    }
  }
  return (
    <div className="actions">
      {options.map((o) => (
        <button
          key={`${o.provider}-${o.currency}-${o.autopay}`}
          type="button"
          className="primary"
          disabled={checkout.isPending}
          onClick={() =>
            checkout.mutate({
              plan: plan.name,
              currency: o.currency,
              interval,
              provider: o.provider,
              autopay: o.autopay,
            })
          }
        >
          Upgrade to {plan.name}: {o.text}
        </button>
      ))}
      <ErrorMessage error={checkout.error} />
    </div>
  );
}
