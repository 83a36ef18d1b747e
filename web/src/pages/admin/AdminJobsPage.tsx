import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { ApiError, api } from '../../api.ts';
import { formatSalary } from '../../format.ts';
import { useMe } from '../../session.ts';
import type { JobPage } from '../../types.ts';
import { ErrorMessage, Loading, Page, RequireUser } from '../../ui.tsx';

type ImportReport = {
  rows: number;
  inserted: number;
  updated: number;
  skipped: number;
  rejected: number;
  errors: Array<{ line: number; reason: string }>;
  errorsTruncated: boolean;
};

const TYPES: Record<string, string> = {
  csv: 'text/csv',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  jsonl: 'application/x-ndjson',
};

export function Component() {
  return (
    <RequireUser>
      <AdminOnly />
    </RequireUser>
  );
}

function AdminOnly() {
  const me = useMe();
  if (me.data?.role !== 'admin')
    return (
      <Page title="Administration">
        <p>This page is for administrators.</p>
      </Page>
    );
  return (
    <Page title="Jobs (administration)">
      <JobList />
      <CreateJob />
      <ImportFile />
      {/* Next: edit form, import from URL, all applications with status moves (see the README's "Web app"). */}
    </Page>
  );
}

function JobList() {
  const client = useQueryClient();
  const [q, setQ] = useState('');
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
            <button
              type="button"
              className="danger"
              onClick={() => {
                if (window.confirm(`Delete "${j.title}"?`)) remove.mutate(j.id);
              }}
            >
              Delete<span className="visually-hidden"> {j.title}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function CreateJob() {
  const client = useQueryClient();
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<{ id: string }>('/jobs', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['jobs'] }),
  });
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    const num = (k: string) => (s(k) ? Number(s(k)) : null);
    create.mutate({
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
    create.error instanceof ApiError && Array.isArray(create.error.details)
      ? (create.error.details as Array<{ path: string; message: string }>)
      : [];
  return (
    <section className="card" aria-labelledby="admin-create">
      <h2 id="admin-create">Publish a job</h2>
      <form className="stack narrow" onSubmit={onSubmit}>
        <label htmlFor="j-title">Title</label>
        <input id="j-title" name="title" required />
        <label htmlFor="j-company">Company</label>
        <input id="j-company" name="company" required />
        <label htmlFor="j-location">Location</label>
        <input id="j-location" name="location" />
        <label className="check">
          <input type="checkbox" name="remote" /> Remote
        </label>
        <label htmlFor="j-type">Job type</label>
        <select id="j-type" name="jobType">
          {['full-time', 'part-time', 'contract', 'internship', 'freelance'].map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <label htmlFor="j-min">Salary from</label>
        <input id="j-min" name="salaryMin" inputMode="numeric" />
        <label htmlFor="j-max">Salary to</label>
        <input id="j-max" name="salaryMax" inputMode="numeric" />
        <label htmlFor="j-cur">Currency</label>
        <select id="j-cur" name="salaryCurrency">
          {['USD', 'INR', 'EUR', 'GBP'].map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <label htmlFor="j-per">Per</label>
        <select id="j-per" name="salaryPeriod" defaultValue="yearly">
          {['hourly', 'daily', 'monthly', 'yearly'].map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <label htmlFor="j-req">Requirements (comma separated)</label>
        <input id="j-req" name="requirements" />
        <label htmlFor="j-desc">Description</label>
        <textarea id="j-desc" name="description" rows={6} required />
        <ErrorMessage error={create.error} />
        {fieldErrors.length > 0 && (
          <ul className="error">
            {fieldErrors.map((d) => (
              <li key={d.path}>
                {d.path.replace(/^body\./, '')}: {d.message}
              </li>
            ))}
          </ul>
        )}
        {create.isSuccess && (
          <p className="ok" role="status">
            Published. <Link to={`/jobs/${create.data.id}`}>See it</Link>
          </p>
        )}
        <button type="submit" className="primary" disabled={create.isPending}>
          Publish
        </button>
      </form>
    </section>
  );
}

function ImportFile() {
  const client = useQueryClient();
  const run = useMutation({
    mutationFn: async (file: File) => {
      const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
      const response = await fetch('/api/v1/jobs/import', {
        method: 'POST',
        headers: {
          'content-type': TYPES[ext] ?? (file.type || 'application/octet-stream'),
          accept: 'application/json',
        },
        body: file,
        credentials: 'same-origin',
      });
      const json: unknown = await response.json().catch(() => undefined);
      if (!response.ok) {
        const e = (json as { error?: { code: string; details?: unknown } } | undefined)?.error;
        throw new ApiError(response.status, e?.code ?? 'INTERNAL', e?.details);
      }
      return json as ImportReport;
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['jobs'] }),
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
      {run.isPending && <Loading what="Importing" />}
      <ErrorMessage error={run.error} />
      {r && (
        <div role="status">
          <p>
            {r.rows} rows: {r.inserted} new, {r.updated} updated, {r.skipped} unchanged, {r.rejected} rejected.
          </p>
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
      )}
    </section>
  );
}
