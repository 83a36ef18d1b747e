import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type DragEvent, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ApiError, api, upload } from '../api.ts';
import { formatDate } from '../format.ts';
import type { Cv, CvSummary } from '../types.ts';
import { ErrorMessage, Loading, Modal, Page, RequireUser } from '../ui.tsx';

const MAX_BYTES = 5 * 1024 * 1024;
const ACCEPT =
  '.pdf,.docx,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain';

export function Component() {
  return (
    <RequireUser>
      <Page title="Your CVs">
        <Uploader />
        <CvList />
      </Page>
    </RequireUser>
  );
}

function Uploader() {
  const client = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const send = async (file: File) => {
    setError(null);
    setDone(null);
    // Checked here for a quick answer; the server checks again (size, and type from the bytes).
    if (file.size > MAX_BYTES) return setError(new ApiError(413, 'PAYLOAD_TOO_LARGE', null));
    const form = new FormData();
    form.append('file', file, file.name);
    setProgress(0);
    try {
      const cv = await upload<Cv>('/cvs', form, setProgress);
      setDone(cv.fileName);
      await client.invalidateQueries({ queryKey: ['cvs'] });
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
      if (input.current) input.current.value = '';
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) void send(file);
  };
  return (
    <section
      className={`dropzone${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      aria-labelledby="upload-title"
    >
      <h2 id="upload-title">Upload a CV</h2>
      <p>Drop a PDF, Word (.docx) or text file here (at most 5 MB), or choose one:</p>
      <label htmlFor="cv-file" className="button">
        Choose a file
      </label>
      <input
        id="cv-file"
        ref={input}
        className="visually-hidden-input"
        type="file"
        accept={ACCEPT}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          if (file) void send(file);
        }}
      />
      {progress !== null && (
        <p>
          <label htmlFor="cv-progress">Uploading and reading… </label>
          <progress id="cv-progress" max={1} value={progress} />
        </p>
      )}
      {done && (
        <p className="ok" role="status">
          {done} is uploaded and read.
        </p>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}

function CvList() {
  const cvs = useQuery({ queryKey: ['cvs'], queryFn: () => api<{ data: CvSummary[] }>('/cvs') });
  if (cvs.isPending) return <Loading />;
  if (cvs.error) return <ErrorMessage error={cvs.error} />;
  if (cvs.data.data.length === 0) return <p className="empty">No CVs yet. Upload one to apply to jobs.</p>;
  return (
    <ul className="list">
      {cvs.data.data.map((cv) => (
        <CvItem key={cv.id} cv={cv} />
      ))}
    </ul>
  );
}

function CvItem({ cv }: { cv: CvSummary }) {
  const client = useQueryClient();
  const [confirming, setConfirming] = useState<number | null>(null);
  const remove = useMutation({
    mutationFn: (confirm: boolean) => api(`/cvs/${cv.id}${confirm ? '?confirm=true' : ''}`, { method: 'DELETE' }),
    onSuccess: () => {
      setConfirming(null);
      void client.invalidateQueries({ queryKey: ['cvs'] });
      void client.invalidateQueries({ queryKey: ['applications'] });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'CV_DELETE_NEEDS_CONFIRMATION') {
        const n = (err.details as { applications?: number } | undefined)?.applications ?? 1;
        setConfirming(n);
      }
    },
  });
  const needsConfirm = remove.error instanceof ApiError && remove.error.code === 'CV_DELETE_NEEDS_CONFIRMATION';
  return (
    <li className="list-item">
      <div>
        <Link to={`/cvs/${cv.id}`}>{cv.fileName}</Link>
        <p className="muted small">
          {Math.ceil(cv.fileSize / 1024)} KB · uploaded {formatDate(cv.uploadedAt)}
          {cv.skills.length > 0 && ` · ${cv.skills.slice(0, 6).join(', ')}`}
        </p>
      </div>
      <div className="actions">
        <a className="button" href={`/api/v1/cvs/${cv.id}/file`} download>
          Download<span className="visually-hidden"> {cv.fileName}</span>
        </a>
        <button type="button" className="danger" onClick={() => remove.mutate(false)} disabled={remove.isPending}>
          Delete<span className="visually-hidden"> {cv.fileName}</span>
        </button>
      </div>
      {!needsConfirm && <ErrorMessage error={remove.error} />}
      <Modal open={confirming !== null} onClose={() => setConfirming(null)} title={`Delete ${cv.fileName}?`}>
        <p>
          You applied to {confirming} job{confirming === 1 ? '' : 's'} with this CV. Deleting it also deletes{' '}
          {confirming === 1 ? 'that application' : 'those applications'} and their history.
        </p>
        <div className="actions">
          <button type="button" className="danger" onClick={() => remove.mutate(true)}>
            Delete the CV and its applications
          </button>
          <button type="button" onClick={() => setConfirming(null)}>
            Keep it
          </button>
        </div>
      </Modal>
    </li>
  );
}
