import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, humanMessage } from '../../api.ts';
import { useSignedIn } from '../../session.ts';
import { ErrorMessage, Page } from '../../ui.tsx';
import { OAuthButtons, PROVIDER_NAMES, safeReturnTo } from './common.tsx';

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
  const oauthError = params.get('oauthError');
  return (
    <Page title="Sign in">
      {oauthError === 'OAUTH_LINK_REQUIRED' ? (
        <LinkProvider provider={params.get('provider') ?? ''} returnTo={returnTo} />
      ) : (
        oauthError && (
          // Sent back here by the provider's callback (a browser navigation): the code, as a sentence.
          <p className="error" role="alert">
            {humanMessage(oauthError)}
          </p>
        )
      )}
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

/** The provider's e-mail belongs to an existing account: its password links the provider and signs in. */
function LinkProvider({ provider, returnTo }: { provider: string; returnTo: string }) {
  const navigate = useNavigate();
  const signedIn = useSignedIn();
  const link = useMutation({
    mutationFn: (password: string) => api('/auth/oauth/link', { method: 'POST', body: { password } }),
    onSuccess: async () => {
      await signedIn();
      await navigate(returnTo);
    },
  });
  const name = PROVIDER_NAMES[provider] ?? 'the provider';
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    link.mutate(String(new FormData(e.currentTarget).get('password')));
  };
  return (
    <form className="card stack narrow" onSubmit={onSubmit} aria-labelledby="link-title">
      <h2 id="link-title">Link {name} to your account</h2>
      <p role="alert">{humanMessage('OAUTH_LINK_REQUIRED')}</p>
      <label htmlFor="link-password">Your Jobr password</label>
      <input id="link-password" name="password" type="password" autoComplete="current-password" required />
      <ErrorMessage error={link.error} />
      <button type="submit" className="primary" disabled={link.isPending}>
        Link {name} and sign in
      </button>
    </form>
  );
}
