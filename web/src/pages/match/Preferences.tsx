/** The seeker's job preferences, used by the fit score (GET / PUT /me/preferences). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api.ts';
import { label } from '../../format.ts';
import { ErrorMessage, Loading } from '../../ui.tsx';

type Preferences = {
  locations: string[];
  remote: 'only' | 'preferred' | 'no' | null;
  salaryMin: number | null;
  salaryCurrency: string | null;
  levels: string[];
  jobTypes: string[];
};
const LEVELS = ['junior', 'mid', 'senior', 'executive'];
const TYPES = ['full-time', 'part-time', 'contract', 'internship', 'freelance'];
const CURRENCIES = ['USD', 'INR', 'EUR', 'GBP'];

export function PreferencesForm() {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const prefs = useQuery({ queryKey: ['preferences'], queryFn: () => api<Preferences>('/me/preferences') });
  const save = useMutation({
    mutationFn: (body: Preferences) => api<Preferences>('/me/preferences', { method: 'PUT', body }),
    onSuccess: (saved) => {
      // The form reads its initial values from this cache when it opens again.
      client.setQueryData(['preferences'], saved);
      void client.invalidateQueries({ queryKey: ['matches'] });
      void client.invalidateQueries({ queryKey: ['match'] });
      setOpen(false);
    },
  });
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Your preferences
      </button>
    );
  if (prefs.isPending) return <Loading />;
  if (prefs.error) return <ErrorMessage error={prefs.error} />;
  const p = prefs.data;
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const salary = String(f.get('salaryMin') ?? '').trim();
    const remote = String(f.get('remote') ?? '');
    save.mutate({
      locations: String(f.get('locations') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      remote: remote === 'only' || remote === 'preferred' || remote === 'no' ? remote : null,
      salaryMin: salary ? Number(salary) : null,
      salaryCurrency: salary ? String(f.get('salaryCurrency')) : null,
      levels: f.getAll('levels').map(String),
      jobTypes: f.getAll('jobTypes').map(String),
    });
  };
  return (
    <form onSubmit={onSubmit} className="card stack" aria-labelledby="prefs-title">
      <h2 id="prefs-title">Your preferences</h2>
      <p className="muted">The fit score uses them for location, seniority and salary.</p>
      <label htmlFor="prefs-locations">Locations (comma-separated)</label>
      <input id="prefs-locations" name="locations" defaultValue={p.locations.join(', ')} />
      <label htmlFor="prefs-remote">Remote work</label>
      <select id="prefs-remote" name="remote" defaultValue={p.remote ?? ''}>
        <option value="">No preference</option>
        <option value="only">Remote only</option>
        <option value="preferred">Remote or my locations</option>
        <option value="no">On site</option>
      </select>
      <label htmlFor="prefs-salary">Minimum yearly salary</label>
      <span className="row-form">
        <input
          id="prefs-salary"
          name="salaryMin"
          type="number"
          min={0}
          step={1000}
          inputMode="numeric"
          defaultValue={p.salaryMin ?? ''}
        />
        <select aria-label="Currency" name="salaryCurrency" defaultValue={p.salaryCurrency ?? 'USD'}>
          {CURRENCIES.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </span>
      <fieldset>
        <legend>Levels</legend>
        {LEVELS.map((l) => (
          <label key={l} className="check">
            <input type="checkbox" name="levels" value={l} defaultChecked={p.levels.includes(l)} /> {label(l)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Job types</legend>
        {TYPES.map((t) => (
          <label key={t} className="check">
            <input type="checkbox" name="jobTypes" value={t} defaultChecked={p.jobTypes.includes(t)} /> {label(t)}
          </label>
        ))}
      </fieldset>
      <ErrorMessage error={save.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          Save the preferences
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
