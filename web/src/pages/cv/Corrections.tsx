/** The seeker corrects the profile read from a CV (PATCH /cvs/:id/profile); a correction can be reset. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api.ts';
import type { Cv } from '../../types.ts';
import { ErrorMessage } from '../../ui.tsx';
import { EntriesEditor } from './Entries.tsx';

type TextField = 'name' | 'headline' | 'email' | 'phone' | 'location' | 'summary';
type ListField = 'skills' | 'languages' | 'links';
const TEXT_FIELDS: Array<[TextField, string]> = [
  ['name', 'Name'],
  ['headline', 'Headline'],
  ['email', 'E-mail'],
  ['phone', 'Phone'],
  ['location', 'Location'],
  ['summary', 'Summary'],
];
const LIST_FIELDS: Array<[ListField, string]> = [
  ['skills', 'Skills (comma-separated)'],
  ['languages', 'Spoken languages (comma-separated)'],
  ['links', 'Links (comma-separated)'],
];
const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function CorrectProfile({ cv }: { cv: Cv }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [entries, setEntries] = useState<'experience' | 'education' | null>(null);
  const corrected = Object.keys(cv.corrections ?? {});
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => api(`/cvs/${cv.id}/profile`, { method: 'PATCH', body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['cv', cv.id] });
      void client.invalidateQueries({ queryKey: ['match'] });
      setOpen(false);
    },
  });
  const reset = useMutation({
    mutationFn: (field: string) => api(`/cvs/${cv.id}/profile`, { method: 'PATCH', body: { reset: [field] } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['cv', cv.id] }),
  });
  const p = cv.profile;
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body: Record<string, unknown> = {};
    for (const [key] of TEXT_FIELDS) {
      const value = String(form.get(key) ?? '').trim();
      const before = p[key]?.value ?? '';
      if (value !== before) body[key] = value === '' ? null : value;
    }
    for (const [key] of LIST_FIELDS) {
      const value = list(String(form.get(key) ?? ''));
      const before = p[key]?.value ?? [];
      if (value.join('\n') !== before.join('\n')) body[key] = value;
    }
    if (Object.keys(body).length === 0) setOpen(false);
    else save.mutate(body);
  };
  return (
    <section className="card" aria-labelledby="correct-title">
      <h2 id="correct-title">Your corrections</h2>
      <p className="muted">
        Fix anything we read wrong. Corrections are kept apart from what we read, so reading the file again never loses
        them; fit scores and cover letters use them.
      </p>
      {corrected.length > 0 && (
        <ul className="list">
          {corrected.map((field) => (
            <li key={field}>
              <span className="corrected">Corrected:</span> {field}{' '}
              <button type="button" onClick={() => reset.mutate(field)} disabled={reset.isPending}>
                Reset {field}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={reset.error} />
      {entries && (
        <EntriesEditor
          cvId={cv.id}
          kind={entries}
          entries={(cv.profile[entries]?.value ?? []) as Array<Record<string, string | null>>}
          onDone={() => setEntries(null)}
        />
      )}
      {!open && !entries && (
        <div className="actions">
          <button type="button" onClick={() => setOpen(true)}>
            Correct the profile
          </button>
          <button type="button" onClick={() => setEntries('experience')}>
            Correct the work history
          </button>
          <button type="button" onClick={() => setEntries('education')}>
            Correct the education
          </button>
        </div>
      )}
      {open && (
        <form onSubmit={onSubmit} className="stack">
          {TEXT_FIELDS.map(([key, text]) =>
            key === 'summary' ? (
              <span key={key} className="stack">
                <label htmlFor={`fix-${key}`}>{text}</label>
                <textarea id={`fix-${key}`} name={key} rows={4} maxLength={5000} defaultValue={p[key]?.value ?? ''} />
              </span>
            ) : (
              <span key={key} className="stack">
                <label htmlFor={`fix-${key}`}>{text}</label>
                <input
                  id={`fix-${key}`}
                  name={key}
                  type={key === 'email' ? 'email' : 'text'}
                  maxLength={key === 'email' ? 254 : 200}
                  defaultValue={p[key]?.value ?? ''}
                />
              </span>
            ),
          )}
          {LIST_FIELDS.map(([key, text]) => (
            <span key={key} className="stack">
              <label htmlFor={`fix-${key}`}>{text}</label>
              <textarea id={`fix-${key}`} name={key} rows={2} defaultValue={(p[key]?.value ?? []).join(', ')} />
            </span>
          ))}
          <ErrorMessage error={save.error} />
          <div className="actions">
            <button type="submit" className="primary" disabled={save.isPending}>
              Save the corrections
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
