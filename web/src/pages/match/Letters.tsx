/** Cover letters: generate one for a job (tone, length), edit it, see what the grounding check removed. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api.ts';
import { type CoverLetter, LENGTHS, TONES } from '../../types.ts';
import { ErrorMessage, Loading } from '../../ui.tsx';
import { CvSelect, useCvs } from './Fit.tsx';

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** How often a letter the model is still writing is asked for again. */
const POLL_MS = 1500;

export function useLetters() {
  return useQuery({
    queryKey: ['cover-letters'],
    queryFn: () => api<{ data: CoverLetter[] }>('/cover-letters'),
    refetchInterval: (q) => (q.state.data?.data.some((l) => l.status === 'pending') ? POLL_MS : false),
  });
}

/** One letter, asked for again while the model is writing it (POST answered 202 pending). */
function useLetter(first: CoverLetter) {
  return useQuery({
    queryKey: ['cover-letter', first.id],
    queryFn: () => api<CoverLetter>(`/cover-letters/${first.id}`),
    initialData: first,
    refetchInterval: (q) => (q.state.data?.status === 'pending' ? POLL_MS : false),
  });
}

const FAILURES: Record<string, string> = {
  CV_NOT_FOUND: 'the CV was deleted before it was written',
  JOB_NOT_FOUND: 'the job was removed before it was written',
  COVER_LETTER_FAILED: 'writing it failed, even with the built-in writer',
};

/** Pending: progress; failed: why (and that it was not counted); ready: nothing. */
export function LetterProgress({ letter }: { letter: CoverLetter }) {
  if (letter.status === 'pending') return <Loading what="The language model is writing your letter" />;
  if (letter.status === 'failed')
    return (
      <p role="alert" className="warning">
        This letter could not be written: {FAILURES[letter.error ?? ''] ?? 'something went wrong'}. It was not counted
        against your plan.
      </p>
    );
  return null;
}

/** A letter just asked for: progress while pending, then the editor. */
function NewLetter({ first }: { first: CoverLetter }) {
  const client = useQueryClient();
  const letter = useLetter(first);
  const status = letter.data.status;
  useEffect(() => {
    if (status !== 'pending') void client.invalidateQueries({ queryKey: ['cover-letters'] });
  }, [status, client]);
  if (letter.data.status !== 'ready') return <LetterProgress letter={letter.data} />;
  return <LetterEditor letter={letter.data} />;
}

export function GenerateLetter({ jobId }: { jobId: string }) {
  const client = useQueryClient();
  const cvs = useCvs();
  const [cvId, setCvId] = useState('');
  const [letter, setLetter] = useState<CoverLetter | null>(null);
  const generate = useMutation({
    mutationFn: (body: { jobId: string; cvId: string; tone: string; length: string }) =>
      api<CoverLetter>('/cover-letters', { method: 'POST', body }),
    onSuccess: (row) => {
      setLetter(row);
      void client.invalidateQueries({ queryKey: ['cover-letters'] });
    },
  });
  if (cvs.isPending) return <Loading what="Loading your CVs" />;
  if (cvs.error) return <ErrorMessage error={cvs.error} />;
  if (cvs.data.data.length === 0) return null;
  const chosen = cvId || cvs.data.data[0]?.id || '';
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    generate.mutate({ jobId, cvId: chosen, tone: String(form.get('tone')), length: String(form.get('length')) });
  };
  return (
    <section className="card" aria-labelledby="letter-title">
      <h2 id="letter-title">Cover letter</h2>
      <p className="muted">
        Written only from facts in your CV and this job; every sentence is checked. Your letters:{' '}
        <Link to="/cover-letters">cover letters</Link>.
      </p>
      <form onSubmit={onSubmit} className="row-form">
        <span>
          <label htmlFor="letter-cv">From CV</label>{' '}
          <CvSelect id="letter-cv" cvs={cvs.data.data} value={chosen} onChange={setCvId} />
        </span>
        <span>
          <label htmlFor="letter-tone">Tone</label>{' '}
          <select id="letter-tone" name="tone" defaultValue="professional">
            {TONES.map((t) => (
              <option key={t} value={t}>
                {cap(t)}
              </option>
            ))}
          </select>
        </span>
        <span>
          <label htmlFor="letter-length">Length</label>{' '}
          <select id="letter-length" name="length" defaultValue="medium">
            {LENGTHS.map((t) => (
              <option key={t} value={t}>
                {cap(t)}
              </option>
            ))}
          </select>
        </span>
        <button type="submit" disabled={generate.isPending}>
          {generate.isPending ? 'Writing…' : 'Write a cover letter'}
        </button>
      </form>
      <ErrorMessage error={generate.error} />
      {letter && <NewLetter key={letter.id} first={letter} />}
    </section>
  );
}

export function RemovedNote({ letter }: { letter: CoverLetter }) {
  const removed = letter.facts.removedSentences ?? 0;
  return (
    <>
      {removed > 0 && (
        <p className="warning" role="note">
          {removed === 1 ? '1 sentence was' : `${removed} sentences were`} removed because they named something not
          found in your CV or the job.
        </p>
      )}
      {letter.facts.fallbackReason && letter.generator === 'template' && (
        <p className="muted" role="note">
          The language model could not write a usable letter ({letter.facts.fallbackReason}), so the built-in writer
          wrote this one.
        </p>
      )}
    </>
  );
}

export function LetterEditor({ letter, onDone }: { letter: CoverLetter; onDone?: () => void }) {
  const client = useQueryClient();
  const [body, setBody] = useState(letter.body);
  const save = useMutation({
    mutationFn: () => api<CoverLetter>(`/cover-letters/${letter.id}`, { method: 'PATCH', body: { body } }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['cover-letters'] });
      onDone?.();
    },
  });
  const id = `letter-body-${letter.id}`;
  return (
    <div className="stack">
      <RemovedNote letter={letter} />
      <label htmlFor={id}>
        Letter ({letter.generator === 'edited' ? 'edited by you' : `written by the ${letter.generator} writer`})
      </label>
      <textarea id={id} rows={12} value={body} onChange={(e) => setBody(e.target.value)} maxLength={20000} />
      <div className="actions">
        <button type="button" onClick={() => save.mutate()} disabled={save.isPending || body.trim() === ''}>
          Save the letter
        </button>
        {save.isSuccess && (
          <span role="status" className="ok">
            Saved.
          </span>
        )}
      </div>
      <ErrorMessage error={save.error} />
    </div>
  );
}
