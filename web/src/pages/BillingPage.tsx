/** My plan, this month's usage per action, subscription (cancel / resume) and payments. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ACTIONS, api } from '../api.ts';
import { formatDate } from '../format.ts';
import type { Billing, Payment, Subscription, Usage } from '../types.ts';
import { ErrorMessage, Loading, Page, RequireUser } from '../ui.tsx';
import { money } from './PlansPage.tsx';

export function Component() {
  return (
    <RequireUser>
      <Page title="Billing and usage">
        <ReturnNotice />
        <UsagePanel />
        <BillingPanel />
      </Page>
    </RequireUser>
  );
}

/** Back from the provider's page: the plan changes only once the provider confirms, never from this URL. */
function ReturnNotice() {
  const [params] = useSearchParams();
  if (params.get('checkout') === 'cancelled')
    return (
      <p className="card" role="status">
        The payment was cancelled; nothing was charged.
      </p>
    );
  if (params.get('checkout') === 'done' || params.get('order'))
    return (
      <p className="card" role="status">
        Thank you. We are confirming the payment with the provider; your plan changes as soon as it is confirmed.
      </p>
    );
  return null;
}

const isPending = (p: Payment) =>
  p.paymentMethod === 'phonepe' && (p.status === 'pending' || p.status === 'processing');

function UsagePanel() {
  const usage = useQuery({ queryKey: ['usage'], queryFn: () => api<Usage>('/me/usage') });
  if (usage.isPending) return <Loading what="Loading your usage" />;
  if (usage.error) return <ErrorMessage error={usage.error} />;
  const u = usage.data;
  return (
    <section className="card" aria-labelledby="usage-title">
      <h2 id="usage-title">
        This {u.period} on the {u.plan} plan
      </h2>
      <ul className="usage">
        {u.actions.map((a) => {
          const name = ACTIONS[a.action] ?? a.action;
          const full = a.limit !== null && a.used >= a.limit;
          return (
            <li key={a.action}>
              <span className="usage-name">{name.charAt(0).toUpperCase() + name.slice(1)}</span>{' '}
              {a.limit === null ? (
                <span>{a.used} used, unlimited</span>
              ) : (
                <>
                  <meter
                    min={0}
                    max={a.limit}
                    value={a.used}
                    high={a.limit * 0.8}
                    optimum={0}
                    aria-label={`${name} used`}
                  />{' '}
                  <span>
                    {a.used} of {a.limit}
                  </span>
                  {full && (
                    <span className="warning-text">
                      {' '}
                      — all used until {formatDate(a.resetsAt)}. <Link to="/plans">Upgrade for more</Link>
                    </span>
                  )}
                </>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/**
 * A PhonePe UPI AutoPay mandate: on (renews every interval) or cancelled (here, or revoked in the UPI
 * app: the server asks PhonePe and sets cancel-at-period-end). A cancelled mandate cannot be resumed:
 * setting up a new one is a new checkout on the plans page.
 */
function AutoPay(props: { subscription: Subscription; onCancel: () => void; cancelling: boolean }) {
  const s = props.subscription;
  const every = s.billingInterval === 'year' ? 'year' : 'month';
  return (
    <section className="stack" aria-labelledby="autopay-title">
      <h3 id="autopay-title">UPI AutoPay (PhonePe)</h3>
      {s.cancelAtPeriodEnd ? (
        <p>
          <span className="tag">Cancelled</span> Nothing more will be debited. Your {s.planId} plan ends on{' '}
          {formatDate(s.currentPeriodEnd)}. <Link to="/plans">Set up UPI AutoPay again</Link>
        </p>
      ) : (
        <>
          <p>
            <span className="tag">Active</span> PhonePe debits your {s.planId} plan every {every}; next renewal on{' '}
            {formatDate(s.currentPeriodEnd)}.
          </p>
          <button type="button" onClick={props.onCancel} disabled={props.cancelling}>
            Cancel UPI AutoPay
          </button>
        </>
      )}
    </section>
  );
}

function BillingPanel() {
  const client = useQueryClient();
  const billing = useQuery({ queryKey: ['billing'], queryFn: () => api<Billing>('/billing') });
  const change = useMutation({
    mutationFn: (cancelAtPeriodEnd: boolean) =>
      api('/billing/subscription', { method: 'PATCH', body: { cancelAtPeriodEnd } }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['billing'] });
      void client.invalidateQueries({ queryKey: ['me'] });
    },
  });
  const switchPlan = useMutation({
    mutationFn: (plan: string) => api('/billing/subscription', { method: 'PATCH', body: { plan } }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['billing'] });
      void client.invalidateQueries({ queryKey: ['me'] });
    },
  });
  const refresh = useMutation({
    mutationFn: (id: string) => api<Payment>(`/billing/payments/${id}/refresh`, { method: 'POST' }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['billing'] });
      void client.invalidateQueries({ queryKey: ['me'] });
      void client.invalidateQueries({ queryKey: ['usage'] });
    },
  });
  // Back from PhonePe (?order=…): ask once for the state of the pending payments.
  const [params] = useSearchParams();
  const asked = useRef(false);
  const pending = billing.data?.payments.filter(isPending) ?? [];
  useEffect(() => {
    if (asked.current || !params.get('order') || pending.length === 0) return;
    asked.current = true;
    for (const p of pending) refresh.mutate(p.id);
  }, [params, pending, refresh]);
  const portal = useMutation({
    mutationFn: () => api<{ url: string }>('/billing/portal', { method: 'POST' }),
    onSuccess: ({ url }) => window.location.assign(url),
  });
  if (billing.isPending) return <Loading what="Loading your billing" />;
  if (billing.error) return <ErrorMessage error={billing.error} />;
  const b = billing.data;
  const live = b.subscriptions.find((s) => s.status !== 'canceled' && s.status !== 'incomplete_expired');
  return (
    <section className="card" aria-labelledby="billing-title">
      <h2 id="billing-title">Your plan: {b.plan}</h2>
      <p>
        {b.planStatus !== 'active' && <span className="tag">{b.planStatus}</span>}{' '}
        {b.renewsAt ? `Paid until ${formatDate(b.renewsAt)}.` : 'No paid period.'}{' '}
        <Link to="/plans">See the plans</Link>
      </p>
      {live?.autopay && (
        <AutoPay subscription={live} onCancel={() => change.mutate(true)} cancelling={change.isPending} />
      )}
      {live?.paymentMethod === 'stripe' && (
        <div className="actions">
          {live.cancelAtPeriodEnd ? (
            <>
              <span>Ends on {formatDate(live.currentPeriodEnd)}.</span>
              <button type="button" onClick={() => change.mutate(false)} disabled={change.isPending}>
                Resume the subscription
              </button>
            </>
          ) : (
            <button type="button" onClick={() => change.mutate(true)} disabled={change.isPending}>
              Cancel at the end of the period
            </button>
          )}
          {!live.cancelAtPeriodEnd &&
            ['Premium', 'Enterprise']
              .filter((p) => p !== b.plan)
              .map((p) => (
                <button key={p} type="button" onClick={() => switchPlan.mutate(p)} disabled={switchPlan.isPending}>
                  Switch to {p} (prorated)
                </button>
              ))}
          <button type="button" onClick={() => portal.mutate()} disabled={portal.isPending}>
            Manage payment methods and invoices
          </button>
        </div>
      )}
      <ErrorMessage error={change.error ?? switchPlan.error ?? portal.error ?? refresh.error} />
      <h3>Payments</h3>
      {b.payments.length === 0 ? (
        <p className="muted">No payments yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Plan</th>
              <th scope="col">Amount</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {b.payments.map((p) => (
              <tr key={p.id}>
                <td>{formatDate(p.createdAt)}</td>
                <td>{p.planId ?? '—'}</td>
                <td>
                  {money(p.amount, p.currency)}
                  {p.refundedAmount > 0 && ` (refunded ${money(p.refundedAmount, p.currency)})`}
                </td>
                <td>
                  {p.status}{' '}
                  {isPending(p) && (
                    <button type="button" onClick={() => refresh.mutate(p.id)} disabled={refresh.isPending}>
                      Check again
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
