/**
 * The search filters, shared by the search page and "Jobs for me": the URL is the state (a search can be
 * bookmarked, shared and restored with Back), `apiQuery` turns it into the parameters GET /jobs and
 * GET /cvs/:id/matches take.
 */
import { label } from '../../format.ts';

export const LEVELS = ['junior', 'mid', 'senior', 'executive'];
export const TYPES = ['full-time', 'part-time', 'contract', 'internship', 'freelance'];
const CURRENCIES = ['USD', 'INR', 'EUR', 'GBP'];
const POSTED = [
  ['', 'Any time'],
  ['1', 'Last 24 hours'],
  ['7', 'Last 7 days'],
  ['30', 'Last 30 days'],
] as const;

export function apiQuery(params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const key of ['q', 'location', 'remote', 'sort']) {
    const v = params.get(key);
    if (v) out.set(key, v);
  }
  const salary = params.get('salaryMin');
  if (salary && /^\d+$/.test(salary)) {
    out.set('salaryMin', salary);
    out.set('currency', params.get('currency') || 'USD');
  } else if (params.get('sort') === 'salary') out.set('currency', params.get('currency') || 'USD');
  for (const v of params.getAll('experienceLevel')) out.append('experienceLevel', v);
  for (const v of params.getAll('jobType')) out.append('jobType', v);
  const posted = params.get('posted');
  if (posted && /^\d+$/.test(posted)) {
    const since = new Date();
    since.setUTCHours(0, 0, 0, 0);
    since.setUTCDate(since.getUTCDate() - Number(posted));
    out.set('postedSince', since.toISOString().slice(0, 10));
  }
  return out;
}

/** The URL's parameters with `value` of the multi-valued `key` switched on or off. */
export function toggled(params: URLSearchParams, key: string, value: string): URLSearchParams {
  const next = new URLSearchParams(params);
  const values = next.getAll(key);
  next.delete(key);
  for (const v of values.includes(value) ? values.filter((x) => x !== value) : [...values, value]) next.append(key, v);
  return next;
}

/** Remote, minimum salary with its currency, posting date and (where the list can be sorted) the order. */
/** `sortDefault` names the default order; without it there is no sort choice (a fixed order, e.g. by fit). */
export function FilterFields(props: { params: URLSearchParams; ids: string; sortDefault?: string }) {
  const { params, ids } = props;
  return (
    <div className="filter-grid">
      <div>
        <label htmlFor={`${ids}-remote`}>Remote</label>
        <select id={`${ids}-remote`} name="remote" defaultValue={params.get('remote') ?? ''}>
          <option value="">Remote or on site</option>
          <option value="true">Remote only</option>
          <option value="false">On site only</option>
        </select>
      </div>
      <div>
        <label htmlFor={`${ids}-sal`}>Minimum salary (a year)</label>
        <div className="inline">
          <select aria-label="Currency" name="currency" defaultValue={params.get('currency') ?? 'USD'}>
            {CURRENCIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
          <input
            id={`${ids}-sal`}
            name="salaryMin"
            inputMode="numeric"
            pattern="[0-9]*"
            defaultValue={params.get('salaryMin') ?? ''}
          />
        </div>
      </div>
      <div>
        <label htmlFor={`${ids}-posted`}>Posted</label>
        <select id={`${ids}-posted`} name="posted" defaultValue={params.get('posted') ?? ''}>
          {POSTED.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </div>
      {props.sortDefault && (
        <div>
          <label htmlFor={`${ids}-sort`}>Sort by</label>
          <select id={`${ids}-sort`} name="sort" defaultValue={params.get('sort') ?? ''}>
            <option value="">{props.sortDefault}</option>
            <option value="newest">Newest</option>
            <option value="salary">Highest salary</option>
          </select>
        </div>
      )}
    </div>
  );
}

export function hasFilters(params: URLSearchParams) {
  return ['remote', 'salaryMin', 'posted', 'sort'].some((k) => params.get(k));
}

export function FacetGroup(props: {
  title: string;
  name: string;
  values: string[];
  counts: Record<string, number> | undefined;
  params: URLSearchParams;
  onToggle: (key: string, value: string) => void;
}) {
  const selected = props.params.getAll(props.name);
  return (
    <fieldset className="facet">
      <legend>{props.title}</legend>
      {props.values.map((v) => (
        <label key={v} className="check">
          <input type="checkbox" checked={selected.includes(v)} onChange={() => props.onToggle(props.name, v)} />
          {label(v)}
          {props.counts && <span className="muted"> ({props.counts[v] ?? 0})</span>}
        </label>
      ))}
    </fieldset>
  );
}
