import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../../api.ts';
import { ErrorMessage, Page } from '../../ui.tsx';

export const RESET_REQUEST_KEY = 'jobr.passwordResetRequest';

export function Component() {
  const request = useMutation({
    mutationFn: (identifier: string) =>
      api<{ requestId: string }>('/auth/password-reset/request', { method: 'POST', body: { identifier } }),
    // An SMS code is confirmed together with the id of the request that sent it (only this tab knows it).
    onSuccess: ({ requestId }) => sessionStorage.setItem(RESET_REQUEST_KEY, requestId),
  });
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    request.mutate(String(new FormData(e.currentTarget).get('identifier')).trim());
  };
  return (
    <Page title="Reset your password">
      {request.isSuccess ? (
        <div className="card" role="status">
          <p>If an account uses that address or number, a reset link (e-mail) or a 6-digit code (SMS) is on its way.</p>
          <p>
            Got a code by SMS? <Link to="/account/reset-password?by=sms">Enter it here</Link>.
          </p>
        </div>
      ) : (
        <form className="card stack narrow" onSubmit={onSubmit}>
          <label htmlFor="identifier">E-mail or phone number</label>
          <input id="identifier" name="identifier" autoComplete="username" required />
          <ErrorMessage error={request.error} />
          <button type="submit" className="primary" disabled={request.isPending}>
            Send reset instructions
          </button>
        </form>
      )}
    </Page>
  );
}
