import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api.ts';
import { formatDate, label } from '../../format.ts';
import { type Application, type Page as ListPage, STATUSES } from '../../types.ts';
import { ErrorMessage, Loading, Page, RequireAdmin } from '../../ui.tsx';
import { useWorkflow } from '../ApplicationsPage.tsx';

export function Component() {
  return (
    <RequireAdmin>
      <Page title="All applications" actions={<Link to="/admin">Jobs</Link>}>
        <List />
      </Page>
    </RequireAdmin>
  );
}

function List() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const jobId = params.get('jobId') ?? '';
  const q = new URLSearchParams({ limit: '100' });
  if (status) q.set('status', status);
  if (/^[0-9a-f-]{36}$/i.test(jobId)) q.set('jobId', jobId);
  const list = useQuery({
    queryKey: ['applications', 'admin', q.toString()],
    queryFn: () => api<ListPage<Application>>(`/applications?${q}`),
  });
  const onFilter = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const k of ['status', 'jobId']) {
      const v = String(form.get(k) ?? '').trim();
      if (v) next.set(k, v);
    }
    setParams(next);
  };
  return (
    <>
      <form className="inline card" onSubmit={onFilter}>
        <label htmlFor="f-status">Status</label>
        <select id="f-status" name="status" defaultValue={status}>
          <option value="">Any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {label(s)}
            </option>
          ))}
        </select>
        <label htmlFor="f-job">Job id</label>
        <input id="f-job" name="jobId" defaultValue={jobId} size={38} />
        <button type="submit">Filter</button>
      </form>
      {list.isPending && <Loading />}
      <ErrorMessage error={list.error} />
      {list.data?.data.length === 0 && <p className="empty">No applications match.</p>}
      <ul className="list">
        {list.data?.data.map((a) => (
          <Row key={a.id} application={a} />
        ))}
      </ul>
    </>
  );
}

function Row({ application: a }: { application: Application }) {
  const client = useQueryClient();
  const workflow = useWorkflow();
  const [open, setOpen] = useState(false);
  const move = useMutation({
    mutationFn: (body: { status: string; notes?: string }) =>
      api(`/applications/${a.id}/status`, { method: 'PATCH', body }),
    onSuccess: () => {
      setOpen(false);
      void client.invalidateQueries({ queryKey: ['applications'] });
    },
  });
  const allowed = workflow.data?.transitions[a.status] ?? [];
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const notes = String(form.get('notes') ?? '').trim();
    move.mutate({ status: String(form.get('status')), ...(notes ? { notes } : {}) });
  };
  return (
    <li>
      <div className="list-item">
        <span>
          {a.job ? (
            <Link to={`/jobs/${a.job.id}`}>
              {a.job.title} at {a.job.company}
            </Link>
          ) : (
            'A removed job'
          )}{' '}
          · <strong>{label(a.status)}</strong> · applied {formatDate(a.submittedAt)}
        </span>
        {allowed.length > 0 && !open && (
          <button type="button" onClick={() => setOpen(true)}>
            Change status
          </button>
        )}
      </div>
      {open && (
        <form className="stack narrow" onSubmit={onSubmit}>
          <label htmlFor={`st-${a.id}`}>New status</label>
          <select id={`st-${a.id}`} name="status">
            {allowed.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
          <label htmlFor={`nt-${a.id}`}>Note to the applicant (optional)</label>
          <textarea id={`nt-${a.id}`} name="notes" rows={2} maxLength={2000} />
          <div className="actions">
            <button type="submit" className="primary" disabled={move.isPending}>
              Save
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <ErrorMessage error={move.error} />
    </li>
  );
}
