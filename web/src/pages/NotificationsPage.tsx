import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { formatDate } from '../format.ts';
import type { Page as ListPage, Notification } from '../types.ts';
import { ErrorMessage, Loading, Page, RequireUser } from '../ui.tsx';

export function Component() {
  return (
    <RequireUser>
      <Page title="Notifications">
        <List />
      </Page>
    </RequireUser>
  );
}

function List() {
  const client = useQueryClient();
  const list = useQuery({
    queryKey: ['notifications'],
    queryFn: () => api<ListPage<Notification> & { unread: number }>('/notifications?limit=50'),
  });
  const markAll = useMutation({
    mutationFn: () => api('/notifications/read', { method: 'POST', body: { all: true } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['notifications'] }),
  });
  if (list.isPending) return <Loading />;
  if (list.error) return <ErrorMessage error={list.error} />;
  if (list.data.data.length === 0)
    return <p className="empty">Nothing new. Status changes and job alerts appear here.</p>;
  return (
    <>
      {list.data.unread > 0 && (
        <button type="button" onClick={() => markAll.mutate()}>
          Mark all {list.data.unread} as read
        </button>
      )}
      <ErrorMessage error={markAll.error} />
      <ul className="list">
        {list.data.data.map((n) => (
          <li key={n.id} className={n.readAt ? '' : 'unread'}>
            <strong>{n.link ? <Link to={n.link}>{n.title}</Link> : n.title}</strong>
            {!n.readAt && <span className="tag">new</span>}
            <p className="prose">{n.body}</p>
            <p className="muted small">{formatDate(n.createdAt)}</p>
          </li>
        ))}
      </ul>
      <p>
        <Link to="/saved-searches">Saved searches and alerts</Link> ·{' '}
        <Link to="/account/notifications">Notification settings</Link>
      </p>
    </>
  );
}
