import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { api } from '../../api.ts';
import { useSignedIn } from '../../session.ts';
import { ErrorMessage, Loading, Page } from '../../ui.tsx';

/** The link in the confirmation e-mail: /account/verify-email#token=… (confirmed once, on arrival). */
export function Component() {
  const signedIn = useSignedIn();
  const confirm = useMutation({
    mutationFn: (token: string) => api('/auth/verify-email/confirm', { method: 'POST', body: { token } }),
    onSuccess: () => signedIn(),
  });
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
    window.history.replaceState(null, '', window.location.pathname);
    if (token) confirm.mutate(token);
  }, [confirm]);
  return (
    <Page title="Confirm your e-mail address">
      {confirm.isIdle && <p>Open the link from the confirmation e-mail to confirm your address.</p>}
      {confirm.isPending && <Loading what="Confirming" />}
      {confirm.isSuccess && (
        <p className="card ok" role="status">
          Thank you: your e-mail address is confirmed. <Link to="/">Search jobs</Link>
        </p>
      )}
      <ErrorMessage error={confirm.error} />
      {confirm.isError && (
        <p>
          Signed in? Ask for a new link from your <Link to="/account">account page</Link>.
        </p>
      )}
    </Page>
  );
}
