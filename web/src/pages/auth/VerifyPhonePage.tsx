import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../../api.ts';
import { useMe, useSignedIn } from '../../session.ts';
import { ErrorMessage, Page } from '../../ui.tsx';

/** Confirms the signed-in account's phone with the 6-digit SMS code. */
export function Component() {
  const me = useMe();
  const signedIn = useSignedIn();
  const send = useMutation({ mutationFn: () => api('/auth/verify-phone/request', { method: 'POST' }) });
  const confirm = useMutation({
    mutationFn: (code: string) => api('/auth/verify-phone/confirm', { method: 'POST', body: { code } }),
    onSuccess: () => signedIn(),
  });
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    confirm.mutate(String(new FormData(e.currentTarget).get('code')).trim());
  };
  if (!me.data)
    return (
      <Page title="Enter your SMS code">
        <p>
          Codes for a password reset go on the <Link to="/account/reset-password?by=sms">reset page</Link>. To confirm a
          phone number, <Link to="/sign-in">sign in</Link> first.
        </p>
      </Page>
    );
  return (
    <Page title="Confirm your phone number">
      {confirm.isSuccess ? (
        <p className="card ok" role="status">
          Your phone number is confirmed.
        </p>
      ) : (
        <form className="card stack narrow" onSubmit={onSubmit}>
          <button type="button" onClick={() => send.mutate()} disabled={send.isPending}>
            Send me a code
          </button>
          {send.isSuccess && <p role="status">A code is on its way to {me.data.phone}.</p>}
          <ErrorMessage error={send.error} />
          <label htmlFor="code">6-digit code</label>
          <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" required maxLength={12} />
          <ErrorMessage error={confirm.error} />
          <button type="submit" className="primary">
            Confirm
          </button>
        </form>
      )}
    </Page>
  );
}
