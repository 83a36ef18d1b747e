/** My cover letters: read, edit, attach to an application, delete. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { formatDate } from '../format.ts';
import type { Page as ApiPage, Application, CoverLetter } from '../types.ts';
import { ErrorMessage, Loading, Page, RequireUser } from '../ui.tsx';
import { LetterEditor, LetterProgress, RemovedNote, useLetters } from './match/Letters.tsx';

export function Component() {
  return (
    <RequireUser>
      <Page title="Your cover letters">
        <Letters />
      </Page>
    </RequireUser>
  );
}

function Letters() {
  const letters = useLetters();
  const apps = useQuery({
    queryKey: ['applications', 'for-letters'],
    queryFn: () => api<ApiPage<Application>>('/applications?limit=100'),
  });
  if (letters.isPending) return <Loading />;
  if (letters.error) return <ErrorMessage error={letters.error} />;
  if (letters.data.data.length === 0)
    return (
      <p className="card">
        No cover letters yet. Open a job and choose <em>Write a cover letter</em>.
      </p>
    );
  return (
    <ul className="list letters">
      {letters.data.data.map((l) => (
        <LetterItem key={l.id} letter={l} applications={apps.data?.data ?? []} />
      ))}
    </ul>
  );
}

function LetterItem({ letter, applications }: { letter: CoverLetter; applications: Application[] }) {
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const forJob = applications.filter((a) => !letter.jobId || a.jobId === letter.jobId);
  const [appId, setAppId] = useState('');
  const chosen = appId || forJob[0]?.id || '';
  const refresh = () => void client.invalidateQueries({ queryKey: ['cover-letters'] });
  const remove = useMutation({
    mutationFn: () => api(`/cover-letters/${letter.id}`, { method: 'DELETE' }),
    onSuccess: refresh,
  });
  const attach = useMutation({
    mutationFn: () =>
      api<CoverLetter>(`/cover-letters/${letter.id}/attach`, { method: 'POST', body: { applicationId: chosen } }),
    onSuccess: () => {
      refresh();
      void client.invalidateQueries({ queryKey: ['application', chosen] });
    },
  });
  const job = applications.find((a) => a.jobId === letter.jobId)?.job;
  return (
    <li className="card">
      <h2 className="h3">
        {letter.jobId ? (
          <Link to={`/jobs/${letter.jobId}`}>{job ? `${job.title} · ${job.company}` : 'The job'}</Link>
        ) : (
          'A removed job'
        )}
      </h2>
      <p className="muted">
        {formatDate(letter.createdAt)} · {letter.tone}, {letter.length} · {letter.generator}
        {letter.applicationId && (
          <>
            {' '}
            · attached to <Link to={`/applications/${letter.applicationId}`}>an application</Link>
          </>
        )}
      </p>
      <LetterProgress letter={letter} />
      {editing ? (
        <LetterEditor letter={letter} onDone={() => setEditing(false)} />
      ) : (
        <>
          <RemovedNote letter={letter} />
          <p className="prose letter-body">{letter.body}</p>
        </>
      )}
      <div className="actions">
        {!editing && letter.status !== 'pending' && (
          <button type="button" onClick={() => setEditing(true)}>
            {letter.status === 'failed' ? 'Write it yourself' : 'Edit'}
          </button>
        )}
        {forJob.length > 0 && letter.status === 'ready' && (
          <span>
            <label htmlFor={`attach-${letter.id}`}>Application</label>{' '}
            <select id={`attach-${letter.id}`} value={chosen} onChange={(e) => setAppId(e.target.value)}>
              {forJob.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.job ? `${a.job.title} · ${a.job.company}` : a.id} ({a.status})
                </option>
              ))}
            </select>{' '}
            <button type="button" onClick={() => attach.mutate()} disabled={attach.isPending || !chosen}>
              Attach to the application
            </button>
          </span>
        )}
        <button
          type="button"
          className="danger"
          onClick={() => {
            if (window.confirm('Delete this cover letter?')) remove.mutate();
          }}
          disabled={remove.isPending}
        >
          Delete
        </button>
      </div>
      {attach.isSuccess && (
        <p role="status" className="ok">
          Attached to the application.
        </p>
      )}
      <ErrorMessage error={attach.error ?? remove.error} />
    </li>
  );
}
