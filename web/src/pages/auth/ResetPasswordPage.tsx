import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api.ts';
import { ErrorMessage, Page } from '../../ui.tsx';
import { RESET_REQUEST_KEY } from './ForgotPasswordPage.tsx';

/** The e-mail link is /account/reset-password#token=…: the fragment never reaches a server or a Referer. */
function tokenFromHash(): string {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
}

export function Component() {
  const [params] = useSearchParams();
  const [token] = useState(tokenFromHash);
  const bySms = !token || params.get('by') === 'sms';
  const reset = useMutation({
    mutationFn: (body: Record<string, string>) => api('/auth/password-reset/confirm', { method: 'POST', body }),
    onSuccess: () => window.history.replaceState(null, '', window.location.pathname),
  });
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const newPassword = String(form.get('newPassword'));
    reset.mutate(
      bySms
        ? {
            phone: String(form.get('phone')).trim(),
            code: String(form.get('code')).trim(),
            requestId: sessionStorage.getItem(RESET_REQUEST_KEY) ?? '',
            newPassword,
          }
        : { token, newPassword },
    );
  };
  return (
    <Page title="Choose a new password">
      {reset.isSuccess ? (
        <p className="card ok" role="status">
          Your password is changed and your other sessions are signed out. <Link to="/sign-in">Sign in</Link>
        </p>
      ) : (
        <form className="card stack narrow" onSubmit={onSubmit}>
          {bySms && (
            <>
              <label htmlFor="phone">Phone number</label>
              <input id="phone" name="phone" type="tel" autoComplete="tel" required />
              <label htmlFor="code">6-digit code from the SMS</label>
              <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" required maxLength={12} />
            </>
          )}
          <label htmlFor="newPassword">New password</label>
          <input
            id="newPassword"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
          />
          <ErrorMessage error={reset.error} />
          <button type="submit" className="primary" disabled={reset.isPending}>
            Save the new password
          </button>
          <p>
            <Link to="/forgot-password">Ask for a new link</Link>
          </p>
        </form>
      )}
    </Page>
  );
}
