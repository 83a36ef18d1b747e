import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api.ts';
import type { Bookmark, Page as ListPage } from '../types.ts';
import { ErrorMessage, Loading, Page, RequireUser } from '../ui.tsx';
import { JobRow } from './SearchPage.tsx';

export function Component() {
  return (
    <RequireUser>
      <Page title="Bookmarks">
        <List />
      </Page>
    </RequireUser>
  );
}

function List() {
  const list = useInfiniteQuery({
    queryKey: ['bookmarks'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api<ListPage<Bookmark>>(`/bookmarks?limit=20${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`),
    getNextPageParam: (last) => last.nextCursor,
  });
  if (list.isPending) return <Loading />;
  if (list.error) return <ErrorMessage error={list.error} />;
  const items = list.data.pages.flatMap((p) => p.data);
  if (items.length === 0)
    return (
      <p className="empty">
        No bookmarks yet. Bookmark jobs from their page to find them here. <Link to="/">Search jobs</Link>
      </p>
    );
  return (
    <>
      <ol className="job-list">
        {items.map((b) => (
          <JobRow key={b.jobId} job={{ ...b.job, snippet: '' }} />
        ))}
      </ol>
      {list.hasNextPage && (
        <button type="button" onClick={() => list.fetchNextPage()}>
          Show more
        </button>
      )}
    </>
  );
}
