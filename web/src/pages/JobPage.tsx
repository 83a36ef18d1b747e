import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, api } from '../api.ts';
import { descriptionParagraphs } from '../dom.ts';
import { daysAgo, formatDate, formatSalary, label } from '../format.ts';
import { SafeHtml } from '../SafeHtml.tsx';
import { useMe } from '../session.ts';
import type { Application, CvSummary, JobDetail } from '../types.ts';
import { ErrorMessage, Loading, Modal, Page } from '../ui.tsx';
import { FitPanel } from './match/Fit.tsx';
import { GenerateLetter, useLetters } from './match/Letters.tsx';
import { NotFound } from './NotFound.tsx';

export function Component() {
  const { id = '' } = useParams();
  const me = useMe();
  const job = useQuery({ queryKey: ['job', id], queryFn: () => api<JobDetail>(`/jobs/${encodeURIComponent(id)}`) });
  if (job.isPending) return <Loading />;
  if (job.error instanceof ApiError && (job.error.status === 404 || job.error.status === 400))
    return <NotFound what="job" />;
  if (job.error) return <ErrorMessage error={job.error} />;
  const j = job.data;
  const salary = formatSalary(j);
  return (
    <Page title={j.title}>
      <p className="meta big">
        <span>{j.company}</span>
        {j.location && <span>{j.location}</span>}
        {j.remote && <span className="tag">Remote</span>}
        <span>{label(j.jobType)}</span>
        {j.experienceLevel && <span>{label(j.experienceLevel)}</span>}
        {j.tracked && <span className="tag tracked">Tracked by you</span>}
      </p>
      {salary && <p className="salary big">{salary}</p>}
      {j.tracked && (
        <p className="muted" role="note">
          You added this job to track it: only you can see it. <StopTracking id={j.id} />
        </p>
      )}
      <p className="muted">
        Posted {daysAgo(j.postedDate)} · source:{' '}
        {j.sourceUrl ? (
          <a href={j.sourceUrl} rel="noopener noreferrer nofollow">
            {j.source}
          </a>
        ) : (
          j.source
        )}{' '}
        · last seen {formatDate(j.lastSeenAt)}
      </p>
      {j.stale && (
        <p className="warning" role="note">
          This posting has not been seen at its source for a month: it may already be filled.
        </p>
      )}
      {me.data ? (
        <Actions job={j} />
      ) : (
        <p className="card">
          <SignInLink /> to bookmark this job or apply.
        </p>
      )}
      {me.data && <FitPanel jobId={j.id} />}
      {me.data && <GenerateLetter jobId={j.id} />}
      {j.requirements.length > 0 && (
        <section>
          <h2>Requirements</h2>
          <ul className="chips">
            {j.requirements.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </section>
      )}
      <section>
        <h2>Description</h2>
        {j.descriptionHtml ? (
          <SafeHtml html={j.descriptionHtml} className="prose description-html" />
        ) : (
          descriptionParagraphs(j.description).map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs never reorder
            <p key={i} className="prose">
              {p}
            </p>
          ))
        )}
      </section>
    </Page>
  );
}

/** Deletes a tracked job (and, as the API says, the applications to it) after a confirmation. */
function StopTracking({ id }: { id: string }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  const remove = useMutation({
    mutationFn: () => api(`/me/jobs/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['tracked-jobs'] });
      void client.invalidateQueries({ queryKey: ['applications'] });
      void navigate('/applications');
    },
  });
  return (
    <>
      <button type="button" className="link" onClick={() => setAsking(true)}>
        Stop tracking
      </button>
      <Modal open={asking} onClose={() => setAsking(false)} title="Stop tracking this job?">
        <p>The job and any application you made to it are deleted.</p>
        <ErrorMessage error={remove.error} />
        <div className="actions">
          <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
            Stop tracking
          </button>
          <button type="button" onClick={() => setAsking(false)}>
            Cancel
          </button>
        </div>
      </Modal>
    </>
  );
}

function SignInLink() {
  const location = useLocation();
  return <Link to={`/sign-in?returnTo=${encodeURIComponent(location.pathname)}`}>Sign in</Link>;
}

function Actions({ job }: { job: JobDetail }) {
  const client = useQueryClient();
  const [applying, setApplying] = useState(false);
  const bookmark = useMutation({
    mutationFn: () => api(`/jobs/${job.id}/bookmark`, { method: job.bookmarked ? 'DELETE' : 'PUT' }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['job', job.id] });
      void client.invalidateQueries({ queryKey: ['bookmarks'] });
    },
  });
  return (
    <div className="actions">
      {job.applied ? (
        <p className="ok" role="status">
          You applied to this job. <Link to="/applications">See your applications</Link>
        </p>
      ) : (
        <button type="button" className="primary" onClick={() => setApplying(true)}>
          Apply
        </button>
      )}
      <button
        type="button"
        aria-pressed={job.bookmarked === true}
        onClick={() => bookmark.mutate()}
        disabled={bookmark.isPending}
      >
        {job.bookmarked ? 'Bookmarked ★' : 'Bookmark ☆'}
      </button>
      <ErrorMessage error={bookmark.error} />
      <Modal open={applying} onClose={() => setApplying(false)} title={`Apply: ${job.title}`}>
        {applying && <ApplyForm job={job} onDone={() => setApplying(false)} />}
      </Modal>
    </div>
  );
}

function ApplyForm({ job, onDone }: { job: JobDetail; onDone: () => void }) {
  const client = useQueryClient();
  const cvs = useQuery({ queryKey: ['cvs'], queryFn: () => api<{ data: CvSummary[] }>('/cvs') });
  const letters = useLetters();
  const mine = (letters.data?.data ?? []).filter((l) => l.jobId === job.id);
  const [letterId, setLetterId] = useState('');
  const [text, setText] = useState('');
  const submit = useMutation({
    mutationFn: async (body: { jobId: string; cvId: string; coverLetter?: string }) => {
      const created = await api<Application>('/applications', { method: 'POST', body });
      // A generated letter used unchanged is attached, so the letter list shows where it went.
      const chosen = mine.find((l) => l.id === letterId);
      if (chosen && chosen.body === body.coverLetter)
        await api(`/cover-letters/${chosen.id}/attach`, { method: 'POST', body: { applicationId: created.id } });
      return created;
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['cover-letters'] });
      void client.invalidateQueries({ queryKey: ['job', job.id] });
      void client.invalidateQueries({ queryKey: ['applications'] });
      onDone();
    },
  });
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const coverLetter = String(form.get('coverLetter') ?? '').trim();
    submit.mutate({ jobId: job.id, cvId: String(form.get('cvId')), ...(coverLetter ? { coverLetter } : {}) });
  };
  if (cvs.isPending) return <Loading what="Loading your CVs" />;
  if (cvs.error) return <ErrorMessage error={cvs.error} />;
  if (cvs.data.data.length === 0)
    return (
      <>
        <p>
          You need a CV to apply. <Link to="/cvs">Upload one</Link>, then come back.
        </p>
        <button type="button" onClick={onDone}>
          Close
        </button>
      </>
    );
  return (
    <form onSubmit={onSubmit} className="stack">
      <label htmlFor="apply-cv">CV</label>
      <select id="apply-cv" name="cvId" required>
        {cvs.data.data.map((cv) => (
          <option key={cv.id} value={cv.id}>
            {cv.fileName} ({formatDate(cv.uploadedAt)})
          </option>
        ))}
      </select>
      <label htmlFor="apply-letter">Cover letter (optional)</label>
      {mine.length > 0 && (
        <>
          <label htmlFor="apply-generated">Use a letter you generated</label>
          <select
            id="apply-generated"
            value={letterId}
            onChange={(e) => {
              setLetterId(e.target.value);
              setText(mine.find((l) => l.id === e.target.value)?.body ?? '');
            }}
          >
            <option value="">None</option>
            {mine.map((l) => (
              <option key={l.id} value={l.id}>
                {formatDate(l.createdAt)}: {l.tone}, {l.length}
              </option>
            ))}
          </select>
        </>
      )}
      <textarea
        id="apply-letter"
        name="coverLetter"
        rows={8}
        maxLength={20000}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <ErrorMessage error={submit.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={submit.isPending}>
          {submit.isPending ? 'Sending…' : 'Send application'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
