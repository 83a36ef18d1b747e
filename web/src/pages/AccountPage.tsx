import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api.ts';
import { formatDate } from '../format.ts';
import { useMe } from '../session.ts';
import type { ApiKey, DataExport, Plan, SessionInfo, User } from '../types.ts';
import { ErrorMessage, Loading, Page, RequireUser } from '../ui.tsx';

export function Component() {
  return (
    <RequireUser>
      <Page title="Your account">
        <Profile />
        <Sessions />
        <PlanLink />
        <ApiKeys />
        <DataExports />
        <DeleteAccount />
      </Page>
    </RequireUser>
  );
}

function Profile() {
  const me = useMe();
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (body: Record<string, string | null>) => api<User>('/me', { method: 'PATCH', body }),
    onSuccess: (user) => client.setQueryData(['me'], user),
  });
  const resend = useMutation({ mutationFn: () => api('/auth/verify-email/request', { method: 'POST' }) });
  const user = me.data;
  if (!user) return null;
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body: Record<string, string | null> = {};
    const name = String(form.get('name')).trim();
    const email = String(form.get('email')).trim();
    const phone = String(form.get('phone')).trim();
    const newPassword = String(form.get('newPassword'));
    const currentPassword = String(form.get('currentPassword'));
    if (name !== user.name) body.name = name;
    if (email !== (user.email ?? '')) body.email = email || null;
    if (phone !== (user.phone ?? '')) body.phone = phone || null;
    if (newPassword) body.newPassword = newPassword;
    if (currentPassword) body.currentPassword = currentPassword;
    save.mutate(body);
  };
  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <p className="muted">
        Plan: {user.plan}
        {user.email && !user.verified && (
          <>
            {' '}
            · e-mail not confirmed yet{' '}
            <button type="button" className="link" onClick={() => resend.mutate()}>
              send the link again
            </button>
            {resend.isSuccess && <span role="status"> (sent)</span>}
          </>
        )}
        {user.phone && (
          <>
            {' '}
            · <Link to="/account/verify-phone">confirm your phone</Link>
          </>
        )}
        {' · '}
        <Link to="/saved-searches">saved searches</Link>
      </p>
      <form className="stack narrow" onSubmit={onSubmit} key={user.id + user.name + user.email}>
        <label htmlFor="acc-name">Name</label>
        <input id="acc-name" name="name" defaultValue={user.name} required autoComplete="name" />
        <label htmlFor="acc-email">E-mail address</label>
        <input id="acc-email" name="email" type="email" defaultValue={user.email ?? ''} autoComplete="email" />
        <label htmlFor="acc-phone">Phone number</label>
        <input id="acc-phone" name="phone" type="tel" defaultValue={user.phone ?? ''} autoComplete="tel" />
        <label htmlFor="acc-new">New password (leave empty to keep)</label>
        <input id="acc-new" name="newPassword" type="password" autoComplete="new-password" />
        <label htmlFor="acc-current">Current password (needed to change e-mail, phone or password)</label>
        <input id="acc-current" name="currentPassword" type="password" autoComplete="current-password" />
        <ErrorMessage error={save.error} />
        {save.isSuccess && (
          <p className="ok" role="status">
            Saved.
          </p>
        )}
        <button type="submit" className="primary" disabled={save.isPending}>
          Save changes
        </button>
      </form>
    </section>
  );
}

function PlanLink() {
  const me = useMe();
  return (
    <section className="card" aria-labelledby="plan-title">
      <h2 id="plan-title">Plan</h2>
      <p>
        You are on the {me.data?.plan ?? 'Free'} plan. <Link to="/billing">Billing and usage</Link> ·{' '}
        <Link to="/plans">Plans</Link>
      </p>
    </section>
  );
}

function DataExports() {
  const client = useQueryClient();
  const list = useQuery({
    queryKey: ['exports'],
    queryFn: () => api<{ data: DataExport[] }>('/me/exports'),
    // While one is being built, look again every two seconds.
    refetchInterval: (q) => (q.state.data?.data.some((e) => e.status === 'pending') ? 2000 : false),
  });
  const ask = useMutation({
    mutationFn: () => api<DataExport>('/me/exports', { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['exports'] }),
  });
  return (
    <section className="card" aria-labelledby="exports-title">
      <h2 id="exports-title">Your data</h2>
      <p className="muted">A ZIP with everything Jobr holds about you: profile, CVs, applications, letters.</p>
      <button type="button" onClick={() => ask.mutate()} disabled={ask.isPending}>
        Ask for a copy of my data
      </button>
      <ErrorMessage error={ask.error ?? list.error} />
      <ul className="list" aria-live="polite">
        {list.data?.data.map((e) => (
          <li key={e.id} className="list-item">
            <span>
              Asked {formatDate(e.createdAt)} ·{' '}
              {e.status === 'pending'
                ? 'being prepared…'
                : e.status === 'failed'
                  ? 'failed, ask again'
                  : `ready${e.sizeBytes ? ` (${Math.max(1, Math.round(e.sizeBytes / 1024))} KB)` : ''}${e.expiresAt ? `, kept until ${formatDate(e.expiresAt)}` : ''}`}
            </span>
            {e.status === 'ready' && (
              <a className="button" href={`/api/v1/me/exports/${e.id}/download`} download>
                Download the export
              </a>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Sessions() {
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['sessions'], queryFn: () => api<{ data: SessionInfo[] }>('/me/sessions') });
  const end = useMutation({
    mutationFn: (id: string) => api(`/me/sessions/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['sessions'] }),
  });
  const others = list.data?.data.filter((s) => !s.current) ?? [];
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Where you are signed in</h2>
      {list.isPending && <Loading />}
      <ErrorMessage error={list.error ?? end.error} />
      <ul className="list">
        {list.data?.data.map((s) => (
          <li key={s.id} className="list-item">
            <span>
              {s.userAgent ?? 'Unknown device'} · {s.ipAddress ?? ''} · last used {formatDate(s.lastAccessed)}
              {s.current && <strong> (this browser)</strong>}
            </span>
            {!s.current && (
              <button type="button" onClick={() => end.mutate(s.id)}>
                Sign out<span className="visually-hidden"> that session</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      {others.length > 1 && (
        <button
          type="button"
          onClick={() => {
            for (const s of others) end.mutate(s.id);
          }}
        >
          Sign out all other sessions
        </button>
      )}
    </section>
  );
}

const SCOPES = ['jobs:read', 'cvs:read', 'applications:read', 'applications:write'];

function ApiKeys() {
  const client = useQueryClient();
  const [created, setCreated] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const list = useQuery({ queryKey: ['api-keys'], queryFn: () => api<{ data: ApiKey[] }>('/api-keys') });
  // The plan table decides who may create keys: offer the form only to them, else say how to get keys.
  const me = useMe();
  const plans = useQuery({ queryKey: ['plans'], queryFn: () => api<{ data: Plan[] }>('/plans') });
  const withKeys = plans.data?.data.filter((p) => p.apiKeys).map((p) => p.name) ?? [];
  const allowed = me.data?.role === 'admin' || !plans.data || withKeys.includes(me.data?.plan ?? '');
  const create = useMutation({
    mutationFn: (body: { name: string; permissions: string[] }) =>
      api<ApiKey & { key: string }>('/api-keys', { method: 'POST', body }),
    onSuccess: (key) => {
      setCreated(key.key);
      setCopied(false);
      void client.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/api-keys/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    create.mutate({ name: String(form.get('name')).trim(), permissions: form.getAll('permissions').map(String) });
  };
  return (
    <section className="card" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      {created && (
        <div className="ok" role="status">
          <p>Your new key. Copy it now: it is shown only once.</p>
          <code className="secret">{created}</code>{' '}
          <button
            type="button"
            onClick={() => {
              void navigator.clipboard?.writeText(created).then(() => setCopied(true));
            }}
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
        </div>
      )}
      <ul className="list">
        {list.data?.data.map((k) => (
          <li key={k.id} className="list-item">
            <span>
              <strong>{k.name}</strong> <code>{k.prefix}…</code> · {k.permissions.join(', ')} ·{' '}
              {k.active ? 'active' : 'revoked'}
            </span>
            {k.active && (
              <button type="button" onClick={() => revoke.mutate(k.id)}>
                Revoke<span className="visually-hidden"> {k.name}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      {!allowed && (
        <p>
          API keys are part of the {withKeys.join(' and ') || 'paid'} plan{withKeys.length > 1 ? 's' : ''}, not{' '}
          {me.data?.plan}. <Link to="/plans">See the plans and upgrade</Link> to create one.
        </p>
      )}
      {!allowed && <ErrorMessage error={revoke.error ?? list.error} />}
      {allowed && (
        <form className="stack narrow" onSubmit={onSubmit}>
          <label htmlFor="key-name">Key name</label>
          <input id="key-name" name="name" required maxLength={100} />
          <fieldset>
            <legend>Permissions</legend>
            {SCOPES.map((s) => (
              <label key={s} className="check">
                <input type="checkbox" name="permissions" value={s} defaultChecked={s.endsWith(':read')} /> {s}
              </label>
            ))}
          </fieldset>
          <ErrorMessage error={create.error ?? revoke.error ?? list.error} />
          <button type="submit">Create a key</button>
        </form>
      )}
    </section>
  );
}

function DeleteAccount() {
  const me = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: (body: { confirm: string; currentPassword?: string }) => api('/me', { method: 'DELETE', body }),
    onSuccess: async () => {
      client.clear();
      await navigate('/');
    },
  });
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const currentPassword = String(form.get('currentPassword') ?? '');
    remove.mutate({ confirm: String(form.get('confirm')), ...(currentPassword ? { currentPassword } : {}) });
  };
  return (
    <section className="card danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete the account</h2>
      <p>Removes the account, its CVs, applications and everything else it owns. This cannot be undone.</p>
      <form className="stack narrow" onSubmit={onSubmit}>
        {me.data?.hasPassword && (
          <>
            <label htmlFor="del-pw">Current password</label>
            <input id="del-pw" name="currentPassword" type="password" autoComplete="current-password" required />
          </>
        )}
        <label htmlFor="del-confirm">Type DELETE to confirm</label>
        <input id="del-confirm" name="confirm" required pattern="DELETE" />
        <ErrorMessage error={remove.error} />
        <button type="submit" className="danger">
          Delete my account
        </button>
      </form>
    </section>
  );
}
