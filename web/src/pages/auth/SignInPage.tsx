import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api.ts';
import { useSignedIn } from '../../session.ts';
import { ErrorMessage, Page } from '../../ui.tsx';
import { OAuthButtons, safeReturnTo } from './common.tsx';

export function Component() {
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get('returnTo'));
  const navigate = useNavigate();
  const signedIn = useSignedIn();
  const login = useMutation({
    mutationFn: (body: { identifier: string; password: string }) => api('/auth/login', { method: 'POST', body }),
    onSuccess: async () => {
      await signedIn();
      await navigate(returnTo);
    },
  });
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    login.mutate({ identifier: String(form.get('identifier')).trim(), password: String(form.get('password')) });
  };
  return (
    <Page title="Sign in">
      <form className="card stack narrow" onSubmit={onSubmit}>
        <label htmlFor="identifier">E-mail or phone number</label>
        <input id="identifier" name="identifier" autoComplete="username" required />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <ErrorMessage error={login.error} />
        <button type="submit" className="primary" disabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
        <OAuthButtons returnTo={returnTo} />
        <p>
          <Link to="/forgot-password">Forgot your password?</Link> · <Link to="/register">Create an account</Link> ·{' '}
          <Link to="/account/verify-phone">Enter an SMS code</Link>
        </p>
      </form>
    </Page>
  );
}
