import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, api } from '../api.ts';
import { formatDate, label } from '../format.ts';
import { type Application, type JobDetail, type Page as ListPage, STATUSES, type Status } from '../types.ts';
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
        <TrackJob />
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

/** The form's text fields: empty ones are left out (the API refuses empty strings). */
function formBody(form: FormData) {
  const body: Record<string, string | boolean> = {};
  for (const name of ['title', 'company', 'location', 'url', 'description']) {
    const value = String(form.get(name) ?? '').trim();
    if (value) body[name] = value;
  }
  if (form.get('remote') === 'on') body.remote = true;
  return body;
}

/**
 * "Add a job you found elsewhere": paste the page's address (the server reads its job posting), or fill
 * the short form when the page has none. The new job opens like any job, marked as tracked by you.
 */
function TrackJob() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [byForm, setByForm] = useState(false);
  const [pasted, setPasted] = useState(''); // carried into the form when the page has no posting
  const tracked = useQuery({
    queryKey: ['tracked-jobs'],
    queryFn: () => api<ListPage<JobDetail>>('/me/jobs?limit=100'),
  });
  const add = useMutation({
    mutationFn: (body: Record<string, string | boolean>) => api<JobDetail>('/me/jobs', { method: 'POST', body }),
    onSuccess: (job) => {
      void client.invalidateQueries({ queryKey: ['tracked-jobs'] });
      void navigate(`/jobs/${job.id}`);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'JOB_POSTING_NOT_FOUND') setByForm(true);
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body = formBody(new FormData(e.currentTarget));
    if (!byForm) setPasted(String(body.url ?? ''));
    add.mutate(body);
  };
  const jobs = tracked.data?.data ?? [];
  return (
    <section className="card" aria-labelledby="track-title">
      <h2 id="track-title">Add a job you found elsewhere</h2>
      <p className="small muted">Only you see the jobs you add. Apply and follow them up here like any other.</p>
      {byForm ? (
        <form onSubmit={submit} className="stack" aria-label="The job, by hand">
          <label htmlFor="track-title-field">Job title</label>
          <input id="track-title-field" name="title" required maxLength={255} />
          <label htmlFor="track-company">Company</label>
          <input id="track-company" name="company" required maxLength={255} />
          <label htmlFor="track-location">Location (optional)</label>
          <input id="track-location" name="location" maxLength={255} />
          <label htmlFor="track-form-url">Address of the posting (optional)</label>
          <input id="track-form-url" name="url" type="url" maxLength={2000} defaultValue={pasted} />
          <label htmlFor="track-description">Description (optional)</label>
          <textarea id="track-description" name="description" rows={4} maxLength={100000} />
          <label className="inline">
            <input type="checkbox" name="remote" /> Remote
          </label>
          <ErrorMessage error={add.error} />
          <div className="actions">
            <button type="submit" className="primary" disabled={add.isPending}>
              {add.isPending ? 'Adding…' : 'Add the job'}
            </button>
            <button type="button" className="link" onClick={() => setByForm(false)}>
              Paste an address instead
            </button>
          </div>
        </form>
      ) : (
        <form onSubmit={submit} className="stack" aria-label="The job, from its address">
          <label htmlFor="track-url">Address of the job posting</label>
          <input id="track-url" name="url" type="url" required maxLength={2000} placeholder="https://" />
          <ErrorMessage error={add.error} />
          <div className="actions">
            <button type="submit" className="primary" disabled={add.isPending}>
              {add.isPending ? 'Reading the page…' : 'Add from the address'}
            </button>
            <button type="button" className="link" onClick={() => setByForm(true)}>
              Fill in a short form instead
            </button>
          </div>
        </form>
      )}
      {jobs.length > 0 && (
        <>
          <h3>Jobs you track</h3>
          <ul className="list">
            {jobs.map((j) => (
              <li key={j.id}>
                <Link to={`/jobs/${j.id}`}>
                  {j.title} at {j.company}
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
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
      {a.job?.tracked && (
        <>
          {' '}
          <span className="tag">Tracked by you</span>
        </>
      )}
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
