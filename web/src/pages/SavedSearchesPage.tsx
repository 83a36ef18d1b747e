import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api.ts';
import type { SavedSearch } from '../types.ts';
import { ErrorMessage, Loading, Page, RequireUser } from '../ui.tsx';

const FREQUENCIES = ['instant', 'daily', 'weekly', 'off'];

function toParams(query: Record<string, unknown>): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    for (const item of Array.isArray(v) ? v : [v]) if (item !== undefined && item !== null) out.append(k, String(item));
  }
  return out.toString();
}

export function Component() {
  return (
    <RequireUser>
      <Page title="Saved searches">
        <List />
      </Page>
    </RequireUser>
  );
}

function List() {
  const client = useQueryClient();
  const list = useQuery({
    queryKey: ['saved-searches'],
    queryFn: () => api<{ data: SavedSearch[] }>('/saved-searches'),
  });
  const update = useMutation({
    mutationFn: ({ id, frequency }: { id: string; frequency: string }) =>
      api(`/saved-searches/${id}`, { method: 'PATCH', body: { frequency } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['saved-searches'] }),
  });
  const remove = useMutation({
    mutationFn: (id: string) => api(`/saved-searches/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['saved-searches'] }),
  });
  if (list.isPending) return <Loading />;
  if (list.error) return <ErrorMessage error={list.error} />;
  if (list.data.data.length === 0)
    return (
      <p className="empty">
        No saved searches. <Link to="/">Search jobs</Link>, then save the search to get alerts.
      </p>
    );
  return (
    <ul className="list">
      {list.data.data.map((s) => (
        <li key={s.id} className="list-item">
          <Link to={`/?${toParams(s.query)}`}>{s.name}</Link>
          <div className="inline">
            <label htmlFor={`freq-${s.id}`}>Alerts</label>
            <select
              id={`freq-${s.id}`}
              value={s.frequency}
              onChange={(e) => update.mutate({ id: s.id, frequency: e.target.value })}
            >
              {FREQUENCIES.map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
            <button type="button" className="danger" onClick={() => remove.mutate(s.id)}>
              Delete<span className="visually-hidden"> {s.name}</span>
            </button>
          </div>
        </li>
      ))}
      <ErrorMessage error={update.error ?? remove.error} />
    </ul>
  );
}
