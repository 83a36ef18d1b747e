/** "Jobs for me": the catalogue ranked by fit for one of my CVs (GET /cvs/:id/matches), cursor pages. */
import { useInfiniteQuery } from '@tanstack/react-query';
import { type FormEvent, useId } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { daysAgo, formatSalary, label } from '../format.ts';
import type { MatchPage } from '../types.ts';
import { ErrorMessage, Loading, Page, RequireUser } from '../ui.tsx';
import { CvSelect, ScoreBadge, useCvs } from './match/Fit.tsx';
import { PreferencesForm } from './match/Preferences.tsx';
import { apiQuery, FacetGroup, FilterFields, LEVELS, TYPES, toggled } from './search/filters.tsx';

/** The search filters "Jobs for me" takes (the same fields as the search page; the order is by fit). */
const FILTER_KEYS = ['location', 'remote', 'currency', 'salaryMin', 'posted', 'experienceLevel', 'jobType'];

export function Component() {
  return (
    <RequireUser>
      <Page title="Jobs for me">
        <Matches />
      </Page>
    </RequireUser>
  );
}

function Matches() {
  const cvs = useCvs();
  const [params, setParams] = useSearchParams();
  const cvId = params.get('cv') || cvs.data?.data[0]?.id || '';
  const filters = new URLSearchParams();
  for (const key of FILTER_KEYS) for (const v of params.getAll(key)) filters.append(key, v);
  const query = apiQuery(filters).toString();
  const filtered = query !== '';
  const ids = useId();
  const results = useInfiniteQuery({
    queryKey: ['matches', cvId, query],
    initialPageParam: null as string | null,
    enabled: cvId !== '',
    queryFn: ({ pageParam, signal }) => {
      const q = new URLSearchParams(query);
      q.set('limit', '20');
      if (pageParam) q.set('cursor', pageParam);
      return api<MatchPage>(`/cvs/${encodeURIComponent(cvId)}/matches?${q}`, { signal });
    },
    getNextPageParam: (last) => last.nextCursor,
  });
  if (cvs.isPending) return <Loading what="Loading your CVs" />;
  if (cvs.error) return <ErrorMessage error={cvs.error} />;
  if (cvs.data.data.length === 0)
    return (
      <p className="card">
        <Link to="/cvs">Upload a CV</Link> and we will rank the jobs by how well they fit it.
      </p>
    );
  const rows = results.data?.pages.flatMap((p) => p.data) ?? [];
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const next = new URLSearchParams();
    if (params.get('cv')) next.set('cv', params.get('cv') as string);
    // The job type and experience boxes apply at once (kept in the URL); the form holds the other fields.
    for (const key of ['experienceLevel', 'jobType']) for (const v of params.getAll(key)) next.append(key, v);
    for (const [k, v] of new FormData(e.currentTarget)) if (typeof v === 'string' && v.trim()) next.append(k, v.trim());
    setParams(next);
  };
  return (
    <>
      <div className="row-form">
        <span>
          <label htmlFor="matches-cv">Ranked for CV</label>{' '}
          <CvSelect id="matches-cv" cvs={cvs.data.data} value={cvId} onChange={(id) => set('cv', id)} />
        </span>
      </div>
      <details className="filters" open={filtered}>
        <summary>Filter the jobs</summary>
        <form className="search" onSubmit={onSubmit} key={params.toString()} aria-label="Filter the jobs">
          <label htmlFor={`${ids}-loc`}>Location</label>
          <input
            id={`${ids}-loc`}
            name="location"
            defaultValue={params.get('location') ?? ''}
            placeholder="City or country"
          />
          <FilterFields params={params} ids={ids} />
          <div className="filter-grid">
            <FacetGroup
              title="Job type"
              name="jobType"
              values={TYPES}
              counts={undefined}
              params={params}
              onToggle={(k, v) => setParams(toggled(params, k, v))}
            />
            <FacetGroup
              title="Experience"
              name="experienceLevel"
              values={LEVELS}
              counts={undefined}
              params={params}
              onToggle={(k, v) => setParams(toggled(params, k, v))}
            />
          </div>
          <button type="submit">Apply filters</button>
          {filtered && (
            <button
              type="button"
              className="link"
              onClick={() => setParams(params.get('cv') ? { cv: params.get('cv') as string } : {})}
            >
              Clear the filters
            </button>
          )}
        </form>
      </details>
      <PreferencesForm />
      <p className="muted">
        Each page of results uses one fit score of your plan (<Link to="/billing">usage</Link>).
      </p>
      <ErrorMessage error={results.error} />
      {results.isPending && <Loading what="Ranking jobs" />}
      {results.isSuccess && rows.length === 0 && (
        <p role="status">{filtered ? 'No jobs match these filters: widen them.' : 'No jobs to rank yet.'}</p>
      )}
      <ol className="job-list" aria-label="Jobs ranked by fit">
        {rows.map((r) => {
          const salary = formatSalary({
            salaryMin: r.job.salaryYearlyMin,
            salaryMax: r.job.salaryYearlyMax,
            salaryCurrency: r.job.salaryCurrency,
            salaryPeriod: 'yearly',
          });
          return (
            <li key={r.job.id} className="job-row match-row">
              <ScoreBadge score={r.score} band={r.band} />
              <div>
                <h3>
                  <Link to={`/jobs/${r.job.id}`}>{r.job.title}</Link>
                </h3>
                <p className="meta">
                  <span>{r.job.company}</span>
                  {r.job.location && <span>{r.job.location}</span>}
                  {r.job.remote && <span className="tag">Remote</span>}
                  <span>{label(r.job.jobType)}</span>
                </p>
                {salary && <p className="salary">{salary}</p>}
                {r.covered.length > 0 && <p className="small">You have: {r.covered.join(', ')}</p>}
                {r.missing.length > 0 && <p className="small muted">Missing: {r.missing.join(', ')}</p>}
                <p className="muted small">Posted {daysAgo(r.job.postedDate)}</p>
              </div>
            </li>
          );
        })}
      </ol>
      {results.hasNextPage && (
        <button type="button" onClick={() => results.fetchNextPage()} disabled={results.isFetchingNextPage}>
          {results.isFetchingNextPage ? 'Loading…' : 'Show more jobs'}
        </button>
      )}
    </>
  );
}
