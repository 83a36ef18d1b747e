import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { ApiError, api, toApiError } from '../../api.ts';
import { formatSalary } from '../../format.ts';
import type { JobDetail, JobPage } from '../../types.ts';
import { ErrorMessage, Loading, Modal, Page, RequireAdmin } from '../../ui.tsx';

type ImportReport = {
  rows: number;
  inserted: number;
  updated: number;
  skipped: number;
  rejected: number;
  merged: number;
  warned: number;
  errors: Array<{ line: number; reason: string }>;
  errorsTruncated: boolean;
  /** Every warning and rejection, as CSV (administrators; kept 30 days). */
  reportUrl: string;
};

const TYPES: Record<string, string> = {
  csv: 'text/csv',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  jsonl: 'application/x-ndjson',
};

export function Component() {
  return (
    <RequireAdmin>
      <Page title="Jobs (administration)" actions={<Link to="/admin/applications">All applications</Link>}>
        <JobList />
        <section className="card" aria-labelledby="admin-create">
          <h2 id="admin-create">Publish a job</h2>
          <JobForm />
        </section>
        <ImportFile />
        <ImportUrl />
      </Page>
    </RequireAdmin>
  );
}

function JobList() {
  const client = useQueryClient();
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['jobs', 'admin', q],
    queryFn: () => api<JobPage>(`/jobs?limit=50&facets=false&sort=newest${q ? `&q=${encodeURIComponent(q)}` : ''}`),
  });
  const remove = useMutation({
    mutationFn: (id: string) => api(`/jobs/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['jobs'] }),
  });
  return (
    <section className="card" aria-labelledby="admin-list">
      <h2 id="admin-list">Jobs</h2>
      <search>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setQ(String(new FormData(e.currentTarget).get('q')).trim());
          }}
          className="inline"
        >
          <label htmlFor="admin-q">Search</label>
          <input id="admin-q" name="q" type="search" />
          <button type="submit">Search</button>
        </form>
      </search>
      {list.isPending && <Loading />}
      <ErrorMessage error={list.error ?? remove.error} />
      <ul className="list">
        {list.data?.data.map((j) => (
          <li key={j.id} className="list-item">
            <span>
              <Link to={`/jobs/${j.id}`}>{j.title}</Link> · {j.company} · {formatSalary(j) ?? 'no salary'} · {j.source}
            </span>
            <span className="actions">
              <button type="button" onClick={() => setEditing(j.id)}>
                Edit<span className="visually-hidden"> {j.title}</span>
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => {
                  if (window.confirm(`Delete "${j.title}"?`)) remove.mutate(j.id);
                }}
              >
                Delete<span className="visually-hidden"> {j.title}</span>
              </button>
            </span>
          </li>
        ))}
      </ul>
      <Modal open={editing !== null} onClose={() => setEditing(null)} title="Edit the job">
        {editing && <EditJob id={editing} onDone={() => setEditing(null)} />}
      </Modal>
    </section>
  );
}

function EditJob({ id, onDone }: { id: string; onDone: () => void }) {
  const job = useQuery({ queryKey: ['job', id], queryFn: () => api<JobDetail>(`/jobs/${id}`) });
  if (job.isPending) return <Loading />;
  if (job.error) return <ErrorMessage error={job.error} />;
  return <JobForm initial={job.data} onDone={onDone} />;
}

/** Publish (POST /jobs) or edit (PATCH /jobs/:id); the API's field messages are shown per field. */
function JobForm({ initial, onDone }: { initial?: JobDetail; onDone?: () => void }) {
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      initial
        ? api<{ id: string }>(`/jobs/${initial.id}`, { method: 'PATCH', body })
        : api<{ id: string }>('/jobs', { method: 'POST', body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['jobs'] });
      if (initial) void client.invalidateQueries({ queryKey: ['job', initial.id] });
      onDone?.();
    },
  });
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    const num = (k: string) => (s(k) ? Number(s(k)) : null);
    save.mutate({
      title: s('title'),
      company: s('company'),
      location: s('location') || null,
      remote: f.get('remote') === 'on',
      description: s('description'),
      salaryMin: num('salaryMin'),
      salaryMax: num('salaryMax'),
      salaryCurrency: s('salaryCurrency'),
      salaryPeriod: s('salaryPeriod'),
      jobType: s('jobType'),
      requirements: s('requirements')
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    });
  };
  const fieldErrors =
    save.error instanceof ApiError && Array.isArray(save.error.details)
      ? (save.error.details as Array<{ path: string; message: string }>)
      : [];
  const p = initial ? `e-${initial.id.slice(0, 8)}` : 'j';
  return (
    <form className="stack narrow" onSubmit={onSubmit}>
      <label htmlFor={`${p}-title`}>Title</label>
      <input id={`${p}-title`} name="title" required defaultValue={initial?.title} />
      <label htmlFor={`${p}-company`}>Company</label>
      <input id={`${p}-company`} name="company" required defaultValue={initial?.company} />
      <label htmlFor={`${p}-location`}>Location</label>
      <input id={`${p}-location`} name="location" defaultValue={initial?.location ?? ''} />
      <label className="check">
        <input type="checkbox" name="remote" defaultChecked={initial?.remote} /> Remote
      </label>
      <label htmlFor={`${p}-type`}>Job type</label>
      <select id={`${p}-type`} name="jobType" defaultValue={initial?.jobType ?? 'full-time'}>
        {['full-time', 'part-time', 'contract', 'internship', 'freelance'].map((t) => (
          <option key={t}>{t}</option>
        ))}
      </select>
      <label htmlFor={`${p}-min`}>Salary from</label>
      <input id={`${p}-min`} name="salaryMin" inputMode="numeric" defaultValue={initial?.salaryMin ?? ''} />
      <label htmlFor={`${p}-max`}>Salary to</label>
      <input id={`${p}-max`} name="salaryMax" inputMode="numeric" defaultValue={initial?.salaryMax ?? ''} />
      <label htmlFor={`${p}-cur`}>Currency</label>
      <select id={`${p}-cur`} name="salaryCurrency" defaultValue={initial?.salaryCurrency ?? 'USD'}>
        {['USD', 'INR', 'EUR', 'GBP'].map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
      <label htmlFor={`${p}-per`}>Per</label>
      <select id={`${p}-per`} name="salaryPeriod" defaultValue={initial?.salaryPeriod ?? 'yearly'}>
        {['hourly', 'daily', 'monthly', 'yearly'].map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
      <label htmlFor={`${p}-req`}>Requirements (comma separated)</label>
      <input id={`${p}-req`} name="requirements" defaultValue={initial?.requirements.join(', ')} />
      <label htmlFor={`${p}-desc`}>Description</label>
      <textarea id={`${p}-desc`} name="description" rows={6} required defaultValue={initial?.description} />
      <ErrorMessage error={save.error} />
      {fieldErrors.length > 0 && (
        <ul className="error">
          {fieldErrors.map((d) => (
            <li key={d.path}>
              {d.path.replace(/^body\./, '')}: {d.message}
            </li>
          ))}
        </ul>
      )}
      {save.isSuccess && !initial && (
        <p className="ok" role="status">
          Published. <Link to={`/jobs/${save.data.id}`}>See it</Link>
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {initial ? 'Save changes' : 'Publish'}
        </button>
        {onDone && (
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function ImportUrl() {
  const client = useQueryClient();
  const run = useMutation({
    mutationFn: (url: string) => api<ImportReport>('/jobs/import-url', { method: 'POST', body: { url } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['jobs'] }),
  });
  return (
    <section className="card" aria-labelledby="admin-import-url">
      <h2 id="admin-import-url">Import from a web page</h2>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate(String(new FormData(e.currentTarget).get('url')).trim());
        }}
      >
        <label htmlFor="import-url">Page address (with schema.org JobPosting data)</label>
        <input id="import-url" name="url" type="url" required size={40} />
        <button type="submit" disabled={run.isPending}>
          Import
        </button>
      </form>
      {run.isPending && <Loading what="Fetching and importing" />}
      <ErrorMessage error={run.error} />
      {run.data && <Report r={run.data} />}
    </section>
  );
}

function Report({ r }: { r: ImportReport }) {
  return (
    <div role="status">
      <p>
        {r.rows} rows: {r.inserted} new, {r.updated} updated, {r.skipped} unchanged, {r.rejected} rejected.
        {r.merged > 0 && ` ${r.merged} merged into the same posting listed under another id.`}
        {r.warned > 0 && ` ${r.warned} imported with warnings.`}
      </p>
      {(r.rejected > 0 || r.warned > 0) && (
        <p>
          <a href={r.reportUrl} download>
            Download the full report (CSV)
          </a>{' '}
          — every warning and rejection, by line.
        </p>
      )}
      {r.errors.length > 0 && (
        <ul className="error">
          {r.errors.map((e) => (
            <li key={e.line}>
              Line {e.line}: {e.reason}
            </li>
          ))}
          {r.errorsTruncated && <li>… and more</li>}
        </ul>
      )}
    </div>
  );
}

type ImportProgress = Pick<ImportReport, 'rows' | 'inserted' | 'updated' | 'skipped' | 'rejected'>;
type ImportLine =
  | ({ type: 'progress' } & ImportProgress)
  | { type: 'report'; report: ImportReport }
  | { type: 'error'; error: { code: string; message: string } };

/** Reads the NDJSON lines of POST /jobs/import/stream as they arrive. */
async function* importLines(response: Response): AsyncGenerator<ImportLine> {
  const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
  if (!reader) return;
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    buffer += value ?? '';
    let end = buffer.indexOf('\n');
    while (end !== -1) {
      const line = buffer.slice(0, end).trim();
      buffer = buffer.slice(end + 1);
      if (line) yield JSON.parse(line) as ImportLine;
      end = buffer.indexOf('\n');
    }
    if (done) return;
  }
}

function ImportFile() {
  const client = useQueryClient();
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const run = useMutation({
    mutationFn: async (file: File) => {
      setProgress(null);
      const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
      const response = await fetch('/api/v1/jobs/import/stream', {
        method: 'POST',
        headers: {
          'content-type': TYPES[ext] ?? (file.type || 'application/octet-stream'),
          accept: 'application/x-ndjson, application/json',
        },
        body: file,
        credentials: 'same-origin',
      });
      if (!response.ok) throw toApiError(response.status, await response.json().catch(() => undefined));
      for await (const line of importLines(response)) {
        if (line.type === 'progress') setProgress(line);
        else if (line.type === 'report') return line.report;
        else throw new ApiError(200, line.error.code, undefined);
      }
      throw new ApiError(0, 'NETWORK', null); // the answer ended without a report
    },
    onSettled: () => client.invalidateQueries({ queryKey: ['jobs'] }),
  });
  const r = run.data;
  return (
    <section className="card" aria-labelledby="admin-import">
      <h2 id="admin-import">Import a file</h2>
      <label htmlFor="import-file">CSV, JSON, NDJSON or JSON-LD file</label>
      <input
        id="import-file"
        type="file"
        accept=".csv,.json,.ndjson,.jsonl,.html"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          if (file) run.mutate(file);
        }}
      />
      {run.isPending && (
        <p role="status" aria-live="polite" className="import-progress">
          {progress
            ? `Importing… ${progress.rows} rows read: ${progress.inserted + progress.updated + progress.skipped} imported, ${progress.rejected} rejected.`
            : 'Importing…'}
        </p>
      )}
      <ErrorMessage error={run.error} />
      {r && <Report r={r} />}
    </section>
  );
}
