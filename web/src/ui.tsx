/** Small shared pieces: page title, error and status messages, confirm dialog (native <dialog>). */
import { type ReactNode, useEffect, useRef } from 'react';
import { Link, useLocation } from 'react-router';
import { ApiError, errorText } from './api.ts';
import { useMe } from './session.ts';

export function Page({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Jobr`;
  }, [title]);
  return (
    <>
      <div className="page-head">
        <h1>{title}</h1>
        {actions}
      </div>
      {children}
    </>
  );
}

export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {errorText(error)}
      {error instanceof ApiError && error.code === 'QUOTA_EXCEEDED' && (
        <>
          {' '}
          <Link to="/plans">See the plans and upgrade</Link>
        </>
      )}
    </p>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" aria-live="polite">
      {what}…
    </p>
  );
}

/** Pages that need an account: a sign-in link that comes back here. */
export function RequireUser({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading />;
  if (me.error) return <ErrorMessage error={me.error} />;
  if (!me.data)
    return (
      <section className="card">
        <h1>Sign in needed</h1>
        <p>
          <Link to={`/sign-in?returnTo=${encodeURIComponent(location.pathname + location.search)}`}>Sign in</Link> or{' '}
          <Link to="/register">create an account</Link> to see this page.
        </p>
      </section>
    );
  return <>{children}</>;
}

/** Administrators' pages: others are asked to sign in, or told the page is not theirs. */
export function RequireAdmin({ children }: { children: ReactNode }) {
  return (
    <RequireUser>
      <AdminGate>{children}</AdminGate>
    </RequireUser>
  );
}

function AdminGate({ children }: { children: ReactNode }) {
  const me = useMe();
  if (me.data?.role !== 'admin')
    return (
      <Page title="Administration">
        <p>This page is for administrators.</p>
      </Page>
    );
  return <>{children}</>;
}

/** A modal built on the native <dialog>: focus moves in, Escape closes, the page behind is inert. */
export function Modal({
  open,
  onClose,
  title,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} onClose={onClose} aria-labelledby="modal-title" className="modal">
      <h2 id="modal-title">{title}</h2>
      {children}
    </dialog>
  );
}
