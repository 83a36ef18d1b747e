import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api.ts';
import { useSignedIn } from '../../session.ts';
import { ErrorMessage, Page } from '../../ui.tsx';
import { OAuthButtons } from './common.tsx';

export function Component() {
  const navigate = useNavigate();
  const signedIn = useSignedIn();
  const register = useMutation({
    mutationFn: async (body: { name: string; email?: string; phone?: string; password: string }) => {
      await api('/auth/register', { method: 'POST', body });
      // The confirmation message goes out now; the account is usable before it is confirmed.
      if (body.email) await api('/auth/verify-email/request', { method: 'POST' }).catch(() => undefined);
    },
    onSuccess: async () => {
      await signedIn();
      await navigate('/?welcome=1');
    },
  });
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const phone = String(form.get('phone') ?? '').trim();
    register.mutate({
      name: String(form.get('name')).trim(),
      password: String(form.get('password')),
      ...(email ? { email } : {}),
      ...(phone ? { phone } : {}),
    });
  };
  return (
    <Page title="Create an account">
      <form className="card stack narrow" onSubmit={onSubmit}>
        <label htmlFor="name">Your name</label>
        <input id="name" name="name" autoComplete="name" required maxLength={255} />
        <label htmlFor="email">E-mail address</label>
        <input id="email" name="email" type="email" autoComplete="email" aria-describedby="contact-hint" />
        <label htmlFor="phone">Phone number (optional)</label>
        <input
          id="phone"
          name="phone"
          type="tel"
          autoComplete="tel"
          aria-describedby="contact-hint"
          placeholder="+91 98765 43210"
        />
        <p id="contact-hint" className="muted small">
          An e-mail address or a phone number (with country code) is needed.
        </p>
        <label htmlFor="new-password">Password</label>
        <input
          id="new-password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          aria-describedby="pw-hint"
        />
        <p id="pw-hint" className="muted small">
          At least 8 characters; common passwords are refused.
        </p>
        <ErrorMessage error={register.error} />
        <button type="submit" className="primary" disabled={register.isPending}>
          {register.isPending ? 'Creating…' : 'Create account'}
        </button>
        <OAuthButtons returnTo="/" />
        <p>
          Already have an account? <Link to="/sign-in">Sign in</Link>
        </p>
      </form>
    </Page>
  );
}
