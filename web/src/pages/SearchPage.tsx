import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { daysAgo, formatSalary, label, snippetParts } from '../format.ts';
import { useMe } from '../session.ts';
import type { JobFacets, JobHit, JobPage } from '../types.ts';
import { ErrorMessage, Loading, Page } from '../ui.tsx';
import { apiQuery, FacetGroup, FilterFields, hasFilters, LEVELS, TYPES, toggled } from './search/filters.tsx';

export const FIRST_RESULT = 'jobr:first-result';

export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const query = apiQuery(params).toString();
  const results = useInfiniteQuery({
    queryKey: ['jobs', query],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const q = new URLSearchParams(query);
      q.set('limit', '20');
      if (pageParam) {
        q.set('cursor', pageParam);
        q.set('facets', 'false');
      }
      return api<JobPage>(`/jobs?${q}`, { signal });
    },
    getNextPageParam: (last) => last.nextCursor,
  });

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const [k, v] of form) if (typeof v === 'string' && v.trim()) next.append(k, v.trim());
    setParams(next);
  };
  const toggle = (key: string, value: string) => setParams(toggled(params, key, value));

  const facets = results.data?.pages[0]?.facets;
  const hits = results.data?.pages.flatMap((p) => p.data) ?? [];
  const ids = useId();
  const shown = hits.length > 0;
  useEffect(() => {
    // Real-user timing: when the first results of this page load were on screen (bench/web-search.ts reads it).
    if (shown && performance.getEntriesByName(FIRST_RESULT).length === 0) performance.mark(FIRST_RESULT);
  }, [shown]);

  return (
    <Page title="Find a job">
      <search>
        <form className="search" onSubmit={onSubmit} key={params.toString()}>
          <div className="search-main">
            <label htmlFor={`${ids}-q`}>Keywords</label>
            <input
              id={`${ids}-q`}
              name="q"
              type="search"
              defaultValue={params.get('q') ?? ''}
              placeholder="Title, skill or company"
            />
            <label htmlFor={`${ids}-loc`}>Location</label>
            <input
              id={`${ids}-loc`}
              name="location"
              defaultValue={params.get('location') ?? ''}
              placeholder="City or country"
            />
            <button type="submit" className="primary">
              Search
            </button>
          </div>
          <details className="filters" open={hasFilters(params)}>
            <summary>More filters</summary>
            <FilterFields params={params} ids={ids} sortDefault="Best match" />
            {params.getAll('experienceLevel').map((v) => (
              <input key={`l${v}`} type="hidden" name="experienceLevel" value={v} />
            ))}
            {params.getAll('jobType').map((v) => (
              <input key={`t${v}`} type="hidden" name="jobType" value={v} />
            ))}
            <button type="submit">Apply filters</button>
          </details>
        </form>
      </search>

      <div className="search-body">
        <aside aria-label="Refine">
          <FacetGroup
            title="Job type"
            name="jobType"
            values={TYPES}
            counts={facets?.jobType}
            params={params}
            onToggle={toggle}
          />
          <FacetGroup
            title="Experience"
            name="experienceLevel"
            values={LEVELS}
            counts={facets?.experienceLevel}
            params={params}
            onToggle={toggle}
          />
        </aside>
        <section aria-labelledby={`${ids}-results`} className="results">
          <h2 id={`${ids}-results`} className="count" aria-live="polite">
            {results.isPending
              ? 'Searching…'
              : facets
                ? `${facets.approximate ? 'About ' : ''}${facets.total.toLocaleString('en')} jobs`
                : 'Jobs'}
          </h2>
          <SaveSearch query={query} suggestedName={params.get('q') ?? ''} />
          <ErrorMessage error={results.error} />
          {results.isSuccess && hits.length === 0 && (
            <EmptyState params={params} suggestion={results.data.pages[0]?.suggestion?.query} />
          )}
          <ol className="job-list">
            {hits.map((job) => (
              <JobRow key={job.id} job={job} />
            ))}
          </ol>
          {results.hasNextPage && (
            <button type="button" onClick={() => results.fetchNextPage()} disabled={results.isFetchingNextPage}>
              {results.isFetchingNextPage ? 'Loading…' : 'Show more jobs'}
            </button>
          )}
          {results.isFetchingNextPage && <Loading what="Loading more jobs" />}
        </section>
      </div>
    </Page>
  );
}

const MULTI = new Set(['experienceLevel', 'jobType', 'requirements']);

/** Saves the current search (as GET /jobs takes it) for alerts; the date filter and sort are not kept. */
function SaveSearch({ query, suggestedName }: { query: string; suggestedName: string }) {
  const me = useMe();
  const [open, setOpen] = useState(false);
  const save = useMutation({
    mutationFn: (body: { name: string; frequency: string; query: Record<string, string | string[]> }) =>
      api('/saved-searches', { method: 'POST', body }),
    onSuccess: () => setOpen(false),
  });
  if (!me.data) return null;
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const q: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(query)) {
      if (k === 'postedSince' || k === 'sort') continue;
      if (MULTI.has(k)) q[k] = [...((q[k] as string[] | undefined) ?? []), v];
      else q[k] = v;
    }
    save.mutate({ name: String(form.get('name')).trim(), frequency: String(form.get('frequency')), query: q });
  };
  return (
    <div className="save-search">
      {!open && (
        <button type="button" className="link" onClick={() => setOpen(true)}>
          Save this search and get alerts
        </button>
      )}
      {save.isSuccess && !open && (
        <span role="status" className="ok">
          {' '}
          Saved. <Link to="/saved-searches">Manage saved searches</Link>
        </span>
      )}
      {open && (
        <form className="inline" onSubmit={onSubmit}>
          <label htmlFor="ss-name">Name</label>
          <input id="ss-name" name="name" required maxLength={100} defaultValue={suggestedName || 'My search'} />
          <label htmlFor="ss-freq">Alerts</label>
          <select id="ss-freq" name="frequency" defaultValue="daily">
            <option value="instant">As they come</option>
            <option value="daily">Daily</option>
            <option value="weekly">Weekly</option>
            <option value="off">No alerts</option>
          </select>
          <button type="submit" disabled={save.isPending}>
            Save
          </button>
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </form>
      )}
      <ErrorMessage error={save.error} />
    </div>
  );
}

function EmptyState({ params, suggestion }: { params: URLSearchParams; suggestion?: string | undefined }) {
  const suggested = new URLSearchParams(params);
  if (suggestion) suggested.set('q', suggestion);
  const tips: string[] = [];
  if (params.get('q')) tips.push('use fewer or more general keywords');
  if (params.get('location')) tips.push('remove the location or try a nearby city');
  if (params.get('salaryMin')) tips.push('lower the minimum salary');
  if (params.getAll('jobType').length || params.getAll('experienceLevel').length)
    tips.push('clear some job type or experience filters');
  if (params.get('posted')) tips.push('widen the posting date');
  if (params.get('remote')) tips.push('include both remote and on-site jobs');
  return (
    <div className="empty" role="status">
      <p>
        <strong>No jobs match this search.</strong>
      </p>
      {suggestion && (
        <p>
          Did you mean <Link to={`?${suggested}`}>{suggestion}</Link>?
        </p>
      )}
      {tips.length > 0 ? <p>Try to {tips.join(', or ')}.</p> : <p>No jobs have been published yet.</p>}
      {params.toString() && <Link to="/">Clear the search</Link>}
    </div>
  );
}

export function JobRow({ job }: { job: JobHit }) {
  const salary = formatSalary(job);
  return (
    <li className="job-row">
      <h3>
        <Link to={`/jobs/${job.id}`}>{job.title}</Link>
      </h3>
      <p className="meta">
        <span>{job.company}</span>
        {job.location && <span>{job.location}</span>}
        {job.remote && <span className="tag">Remote</span>}
        <span>{label(job.jobType)}</span>
        {job.experienceLevel && <span>{label(job.experienceLevel)}</span>}
      </p>
      {salary && <p className="salary">{salary}</p>}
      {job.snippet && (
        <p className="snippet">
          {snippetParts(job.snippet).map((p, i) =>
            // biome-ignore lint/suspicious/noArrayIndexKey: parts never reorder
            p.marked ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>,
          )}
        </p>
      )}
      <p className="muted small">
        Posted {daysAgo(job.postedDate)}
        {job.stale && ' · may be filled (not seen at the source recently)'}
      </p>
    </li>
  );
}

export type { JobFacets };
