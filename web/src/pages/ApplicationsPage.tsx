import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { formatDate, label } from '../format.ts';
import { type Application, type Page as ListPage, STATUSES, type Status } from '../types.ts';
import { ErrorMessage, Loading, Page, RequireUser } from '../ui.tsx';

export type Workflow = { transitions: Record<Status, Status[]>; open: Status[]; final: Status[] };
type Stats = {
  total: number;
  byStatus: Record<string, number>;
  responseRate: number | null;
  medianDaysToFirstResponse: number | null;
};

export function useWorkflow() {
  return useQuery({
    queryKey: ['workflow'],
    queryFn: () => api<Workflow>('/applications/workflow'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function Component() {
  return (
    <RequireUser>
      <Page title="Your applications">
        <StatsPanel />
        <FollowUps />
        <Board />
      </Page>
    </RequireUser>
  );
}

function StatsPanel() {
  const stats = useQuery({ queryKey: ['applications', 'stats'], queryFn: () => api<Stats>('/applications/stats') });
  if (!stats.data || stats.data.total === 0) return null;
  const s = stats.data;
  const max = Math.max(1, ...Object.values(s.byStatus));
  return (
    <section className="card stats" aria-labelledby="stats-title">
      <h2 id="stats-title">At a glance</h2>
      <p>
        {s.total} application{s.total === 1 ? '' : 's'}
        {s.responseRate !== null && ` · response rate ${Math.round(s.responseRate * 100)}%`}
        {s.medianDaysToFirstResponse !== null &&
          ` · median ${s.medianDaysToFirstResponse < 1 ? 'under a day' : `${Math.round(s.medianDaysToFirstResponse)} days`} to a first response`}
      </p>
      <table className="bars">
        <caption className="visually-hidden">Applications per status</caption>
        <tbody>
          {STATUSES.filter((st) => s.byStatus[st]).map((st) => (
            <tr key={st}>
              <th scope="row">{label(st)}</th>
              <td>
                <span className="bar" style={{ width: `${((s.byStatus[st] ?? 0) / max) * 100}%` }} />
                {s.byStatus[st]}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type FollowUp = { id: string; jobId: string; title: string; company: string; submittedAt: string; daysWaiting: number };

/** Applications without an answer for a while (the reminder e-mails link to ?view=follow-up). */
function FollowUps() {
  const [params] = useSearchParams();
  const list = useQuery({
    queryKey: ['applications', 'follow-ups'],
    queryFn: () => api<{ data: FollowUp[] }>('/applications/follow-ups'),
  });
  const items = list.data?.data ?? [];
  if (items.length === 0 && params.get('view') !== 'follow-up') return null;
  return (
    <section className="card" aria-labelledby="follow-title">
      <h2 id="follow-title">Time to follow up</h2>
      <ErrorMessage error={list.error} />
      {items.length === 0 ? (
        <p>Nothing to follow up right now.</p>
      ) : (
        <ul className="list">
          {items.map((f) => (
            <li key={f.id}>
              <Link to={`/applications/${f.id}`}>
                {f.title} at {f.company}
              </Link>{' '}
              <span className="muted">— no answer for {f.daysWaiting} days</span>
            </li>
          ))}
        </ul>
      )}
      <p className="small">
        <Link to="/account/notifications">When to follow up, and the weekly e-mail</Link>
      </p>
    </section>
  );
}

function Board() {
  const list = useQuery({
    queryKey: ['applications', 'list'],
    queryFn: () => api<ListPage<Application>>('/applications?limit=100'),
  });
  if (list.isPending) return <Loading />;
  if (list.error) return <ErrorMessage error={list.error} />;
  if (list.data.data.length === 0)
    return (
      <p className="empty">
        No applications yet. <Link to="/">Find a job</Link> and apply.
      </p>
    );
  return (
    <div className="board">
      {STATUSES.map((status) => {
        const cards = list.data.data.filter((a) => a.status === status);
        return (
          <section key={status} className="column" aria-labelledby={`col-${status}`}>
            <h2 id={`col-${status}`}>
              {label(status)} <span className="muted">({cards.length})</span>
            </h2>
            <ul>
              {cards.map((a) => (
                <Card key={a.id} application={a} />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

/** A card moves with a "Move to" menu (works with the keyboard and screen readers, unlike dragging). */
function Card({ application: a }: { application: Application }) {
  const workflow = useWorkflow();
  const client = useQueryClient();
  const [target, setTarget] = useState('');
  const move = useMutation({
    mutationFn: (status: string) => api(`/applications/${a.id}/status`, { method: 'PATCH', body: { status } }),
    onSuccess: () => {
      setTarget('');
      void client.invalidateQueries({ queryKey: ['applications'] });
    },
  });
  const allowed = workflow.data?.transitions[a.status] ?? [];
  const title = a.job ? `${a.job.title} at ${a.job.company}` : 'A removed job';
  return (
    <li className="app-card">
      <Link to={`/applications/${a.id}`}>{title}</Link>
      <p className="muted small">Applied {formatDate(a.submittedAt)}</p>
      {a.nextStep && <p className="small">Next: {a.nextStep}</p>}
      {allowed.length > 0 && (
        <div className="inline">
          <select aria-label={`Move ${title} to`} value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">Move to…</option>
            {allowed.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
          <button type="button" disabled={!target || move.isPending} onClick={() => move.mutate(target)}>
            Move
          </button>
        </div>
      )}
      <ErrorMessage error={move.error} />
    </li>
  );
}
