import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, api } from '../api.ts';
import { formatDate, label } from '../format.ts';
import type { ApplicationDetail } from '../types.ts';
import { ErrorMessage, Loading, Page, RequireUser } from '../ui.tsx';
import { useWorkflow } from './ApplicationsPage.tsx';
import { NotFound } from './NotFound.tsx';

export function Component() {
  return (
    <RequireUser>
      <ApplicationView />
    </RequireUser>
  );
}

function ApplicationView() {
  const { id = '' } = useParams();
  const client = useQueryClient();
  const workflow = useWorkflow();
  const app = useQuery({
    queryKey: ['applications', 'one', id],
    queryFn: () => api<ApplicationDetail>(`/applications/${encodeURIComponent(id)}`),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['applications'] });
  const move = useMutation({
    mutationFn: (body: { status: string; notes?: string }) =>
      api(`/applications/${id}/status`, { method: 'PATCH', body }),
    onSuccess: refresh,
  });
  const note = useMutation({
    mutationFn: (body: string) => api(`/applications/${id}/notes`, { method: 'POST', body: { body } }),
    onSuccess: refresh,
  });
  if (app.isPending) return <Loading />;
  if (app.error instanceof ApiError && (app.error.status === 404 || app.error.status === 400))
    return <NotFound what="application" />;
  if (app.error) return <ErrorMessage error={app.error} />;
  const a = app.data;
  const allowed = workflow.data?.transitions[a.status] ?? [];
  const canWithdraw = allowed.includes('withdrawn');
  const onMove = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const notes = String(form.get('notes') ?? '').trim();
    move.mutate({ status: String(form.get('status')), ...(notes ? { notes } : {}) });
  };
  const onNote = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const body = String(new FormData(formEl).get('note')).trim();
    if (body) note.mutate(body, { onSuccess: () => formEl.reset() });
  };
  return (
    <Page title={a.job ? `${a.job.title} at ${a.job.company}` : 'Application'}>
      <p>
        Status: <strong className={`status status-${a.status}`}>{label(a.status)}</strong> · applied{' '}
        {formatDate(a.submittedAt)}
        {a.job && (
          <>
            {' '}
            · <Link to={`/jobs/${a.job.id}`}>see the job</Link>
          </>
        )}
      </p>
      {canWithdraw && (
        <button
          type="button"
          className="danger"
          onClick={() => {
            if (window.confirm('Withdraw this application? You can undo it for a few days.'))
              move.mutate({ status: 'withdrawn' });
          }}
        >
          Withdraw the application
        </button>
      )}
      {allowed.length > 0 && (
        <details className="card">
          <summary>Record a change (an interview, an offer, a rejection…)</summary>
          <form className="stack narrow" onSubmit={onMove}>
            <label htmlFor="move-status">New status</label>
            <select id="move-status" name="status">
              {allowed.map((s) => (
                <option key={s} value={s}>
                  {label(s)}
                </option>
              ))}
            </select>
            <label htmlFor="move-notes">Notes (optional)</label>
            <textarea id="move-notes" name="notes" rows={2} maxLength={2000} />
            <button type="submit" disabled={move.isPending}>
              Save the change
            </button>
          </form>
        </details>
      )}
      <ErrorMessage error={move.error} />
      <section>
        <h2>Timeline</h2>
        <ol className="timeline">
          {a.history.map((h) => (
            <li key={`${h.at}-${h.status}`}>
              <time dateTime={h.at}>{formatDate(h.at)}</time> — {label(h.status)}
              {h.notes && <p className="muted">{h.notes}</p>}
            </li>
          ))}
        </ol>
      </section>
      <NextStep application={a} />
      {a.coverLetter && (
        <section>
          <h2>Cover letter</h2>
          <p className="prose">{a.coverLetter}</p>
        </section>
      )}
      <section>
        <h2>Notes</h2>
        <ul className="list">
          {a.notes.map((n) => (
            <li key={n.id}>
              <time className="muted small" dateTime={n.createdAt}>
                {formatDate(n.createdAt)}
              </time>
              <p className="prose">{n.body}</p>
            </li>
          ))}
        </ul>
        <form onSubmit={onNote} className="stack">
          <label htmlFor="note">Add a note</label>
          <textarea id="note" name="note" rows={3} maxLength={5000} required />
          <ErrorMessage error={note.error} />
          <button type="submit" disabled={note.isPending}>
            Add note
          </button>
        </form>
      </section>
    </Page>
  );
}

/** datetime-local wants "YYYY-MM-DDTHH:mm" in local time. */
function localInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function NextStep({ application: a }: { application: ApplicationDetail }) {
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (body: Record<string, string | null>) => api(`/applications/${a.id}`, { method: 'PATCH', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['applications'] }),
  });
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const when = (k: string) => {
      const v = String(form.get(k) ?? '');
      return v ? new Date(v).toISOString() : null;
    };
    save.mutate({
      nextStep: String(form.get('nextStep') ?? '').trim() || null,
      nextStepAt: when('nextStepAt'),
      remindAt: when('remindAt'),
    });
  };
  return (
    <section aria-labelledby="next-title">
      <h2 id="next-title">Next step</h2>
      {a.nextStepAt && (
        <p>
          <a href={`/api/v1/applications/${a.id}/calendar.ics`} download>
            Add it to your calendar (.ics)
          </a>
        </p>
      )}
      <form className="stack narrow" onSubmit={onSubmit} key={a.updatedAt}>
        <label htmlFor="next-step">What happens next</label>
        <input
          id="next-step"
          name="nextStep"
          maxLength={200}
          defaultValue={a.nextStep ?? ''}
          placeholder="Technical interview"
        />
        <label htmlFor="next-at">When</label>
        <input id="next-at" name="nextStepAt" type="datetime-local" defaultValue={localInput(a.nextStepAt)} />
        <label htmlFor="remind-at">Remind me at</label>
        <input id="remind-at" name="remindAt" type="datetime-local" defaultValue={localInput(a.remindAt)} />
        <ErrorMessage error={save.error} />
        {save.isSuccess && (
          <p className="ok" role="status">
            Saved.
          </p>
        )}
        <button type="submit" disabled={save.isPending}>
          Save the next step
        </button>
      </form>
    </section>
  );
}
