/** Correct the work history or the education of a CV entry by entry (the whole list is sent). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api.ts';
import { ErrorMessage } from '../../ui.tsx';

type Kind = 'experience' | 'education';
type Entry = Record<string, string>;
const FIELDS: Record<Kind, Array<[string, string, number]>> = {
  experience: [
    ['title', 'Title', 200],
    ['company', 'Company', 200],
    ['start', 'From', 40],
    ['end', 'To', 40],
    ['description', 'What you did', 5000],
  ],
  education: [
    ['degree', 'Degree', 300],
    ['field', 'Field of study', 200],
    ['institution', 'Institution', 300],
    ['grade', 'Grade', 40],
    ['start', 'From', 40],
    ['end', 'To', 40],
  ],
};
const NULLABLE = new Set(['title', 'company', 'start', 'end', 'degree', 'field', 'institution', 'grade']);

export function EntriesEditor({
  cvId,
  kind,
  entries,
  onDone,
}: {
  cvId: string;
  kind: Kind;
  entries: Array<Record<string, string | null>>;
  onDone: () => void;
}) {
  const client = useQueryClient();
  const fields = FIELDS[kind];
  const blank = () => Object.fromEntries(fields.map(([k]) => [k, ''])) as Entry;
  const [rows, setRows] = useState<Entry[]>(() =>
    entries.map((e) => Object.fromEntries(fields.map(([k]) => [k, e[k] ?? ''])) as Entry),
  );
  const save = useMutation({
    mutationFn: () => {
      const list = rows.map((r) =>
        Object.fromEntries(
          fields.map(([k]) => {
            const v = (r[k] ?? '').trim();
            return [k, v === '' && NULLABLE.has(k) ? null : v];
          }),
        ),
      );
      return api(`/cvs/${cvId}/profile`, { method: 'PATCH', body: { [kind]: list } });
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['cv', cvId] });
      onDone();
    },
  });
  const what = kind === 'experience' ? 'job' : 'degree';
  const set = (i: number, k: string, v: string) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  return (
    <div className="stack">
      {rows.map((r, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: entries are edited in place
        <fieldset key={i}>
          <legend>
            {kind === 'experience' ? 'Job' : 'Degree'} {i + 1}
          </legend>
          {fields.map(([k, text, max]) => {
            const id = `${kind}-${i}-${k}`;
            return (
              <span key={k} className="stack">
                <label htmlFor={id}>{text}</label>
                {k === 'description' ? (
                  <textarea id={id} rows={3} maxLength={max} value={r[k]} onChange={(e) => set(i, k, e.target.value)} />
                ) : (
                  <input id={id} maxLength={max} value={r[k]} onChange={(e) => set(i, k, e.target.value)} />
                )}
              </span>
            );
          })}
          <button type="button" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>
            Remove {what} {i + 1}
          </button>
        </fieldset>
      ))}
      <div className="actions">
        <button type="button" onClick={() => setRows((rs) => [...rs, blank()])}>
          Add a {what}
        </button>
        <button type="button" className="primary" onClick={() => save.mutate()} disabled={save.isPending}>
          Save the {kind}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      <ErrorMessage error={save.error} />
    </div>
  );
}
