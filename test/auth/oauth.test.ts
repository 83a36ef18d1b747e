/** Sign in with Google / Replit: the full redirect and callback flow against a local OIDC provider. */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInUser } from '../helpers/auth.ts';
import { type FakeOidc, startFakeOidc } from '../helpers/fake-oidc.ts';

let ctx: TestContext & { close(): Promise<void> };
let oidc: FakeOidc;
beforeAll(async () => {
  oidc = await startFakeOidc();
  ctx = await createTestApp({
    env: {
      GOOGLE_CLIENT_ID: oidc.clientId,
      GOOGLE_CLIENT_SECRET: oidc.clientSecret,
      GOOGLE_ISSUER: oidc.issuer,
      REPLIT_CLIENT_ID: oidc.clientId,
      REPLIT_CLIENT_SECRET: oidc.clientSecret,
      REPLIT_ISSUER: oidc.issuer,
    },
  });
});
afterAll(async () => {
  await ctx?.close();
  await oidc?.close();
});

let counter = 0;
const unique = () => `${Date.now()}-${counter++}`;
const PASSWORD = 'correct horse battery staple';

function cookieHeader(res: LightMyRequestResponse, extra = ''): string {
  return [...res.cookies.map((c) => `${c.name}=${c.value}`), extra].filter(Boolean).join('; ');
}

/** Runs start → provider → callback the way a browser would; returns the callback response. */
async function signInFlow(
  options: {
    provider?: 'google' | 'replit';
    returnTo?: string;
    alterCallback?: (url: URL) => void;
    dropCookie?: boolean;
  } = {},
) {
  const provider = options.provider ?? 'google';
  const start = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/auth/oauth/${provider}/start${options.returnTo ? `?returnTo=${encodeURIComponent(options.returnTo)}` : ''}`,
  });
  expect(start.statusCode).toBe(302);
  return followProvider(
    start.headers.location as string,
    options.dropCookie ? '' : cookieHeader(start),
    options.alterCallback,
  );
}

async function followProvider(authorizationUrl: string, cookie: string, alterCallback?: (url: URL) => void) {
  const atProvider = await fetch(authorizationUrl, { redirect: 'manual' });
  expect(atProvider.status).toBe(302);
  const callback = new URL(atProvider.headers.get('location') as string);
  alterCallback?.(callback);
  return ctx.app.inject({
    method: 'GET',
    url: `${callback.pathname}${callback.search}`,
    headers: cookie ? { cookie } : {},
  });
}

async function sessionFrom(res: LightMyRequestResponse) {
  const token = res.cookies.find((c) => c.name === 'jobr_session')?.value;
  expect(token).toBeDefined();
  const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
  return { token: token as string, me: me.json() };
}

describe('sign-in with a provider', () => {
  it('lists the configured providers', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oauth/providers' });
    expect(res.json()).toEqual({ providers: ['google', 'replit'] });
  });

  it('sends the browser to the provider with state, nonce and an S256 PKCE challenge', async () => {
    const start = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oauth/google/start' });
    const url = new URL(start.headers.location as string);
    expect(url.origin).toBe(oidc.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')?.length).toBeGreaterThanOrEqual(43);
    expect(url.searchParams.get('nonce')?.length).toBeGreaterThanOrEqual(43);
    expect(url.searchParams.get('redirect_uri')).toBe(`${ctx.config.publicUrl}/api/v1/auth/oauth/google/callback`);
    const flowCookie = start.cookies.find((c) => c.name === 'jobr_oauth');
    expect(flowCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/v1/auth/oauth' });
    expect(flowCookie?.value).not.toContain(url.searchParams.get('state')); // signed and encoded, not bare
  });

  it('creates an account for a new provider user, then signs the same user in again', async () => {
    const email = `new.${unique()}@example.test`;
    oidc.nextUser = { sub: `g-${unique()}`, email, email_verified: true, name: 'Grace Example' };
    const first = await signInFlow({ returnTo: '/jobs?q=rust' });
    expect(first.statusCode).toBe(302);
    expect(first.headers.location).toBe('/jobs?q=rust');
    const { me } = await sessionFrom(first);
    expect(me).toMatchObject({
      name: 'Grace Example',
      email,
      verified: true,
      hasPassword: false,
      linkedProviders: ['google'],
    });
    // PKCE: the verifier the app sent matched the challenge (the fake refuses otherwise), and the secret was sent.
    expect(oidc.tokenRequests.at(-1)?.get('code_verifier')?.length).toBeGreaterThanOrEqual(43);

    const again = await signInFlow();
    expect((await sessionFrom(again)).me.id).toBe(me.id);
  });

  it('marks the account unverified when the provider has not verified the e-mail', async () => {
    oidc.nextUser = { sub: `r-${unique()}`, email: `unverified.${unique()}@example.test`, email_verified: false };
    const res = await signInFlow({ provider: 'replit' });
    expect(res.statusCode).toBe(302);
    expect((await sessionFrom(res)).me).toMatchObject({ verified: false, linkedProviders: ['replit'] });
  });

  it('refuses a provider user without an e-mail address', async () => {
    oidc.nextUser = { sub: `g-${unique()}` };
    const res = await signInFlow();
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('OAUTH_FAILED');
  });
});

describe('the flow is bound to the browser and verified', () => {
  it('refuses a callback without the flow cookie (a callback URL replayed in another browser)', async () => {
    oidc.nextUser = { sub: `g-${unique()}`, email: `x.${unique()}@example.test`, email_verified: true };
    const res = await signInFlow({ dropCookie: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('OAUTH_FAILED');
  });

  it('refuses a tampered state, a forged cookie and a provider error', async () => {
    oidc.nextUser = { sub: `g-${unique()}`, email: `x.${unique()}@example.test`, email_verified: true };
    const badState = await signInFlow({ alterCallback: (u) => u.searchParams.set('state', 'forged-state-value') });
    expect(badState.json().error.code).toBe('OAUTH_FAILED');

    const start = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oauth/google/start' });
    const forged = cookieHeader(start).replace(/jobr_oauth=([^;.]+)\./, 'jobr_oauth=$1x.');
    const res = await followProvider(start.headers.location as string, forged);
    expect(res.statusCode).toBe(400);

    const denied = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/auth/oauth/google/callback?error=access_denied',
    });
    expect(denied.statusCode).toBe(400);
    expect(denied.json().error.details.reason).toBe('access_denied');
  });

  it('sends a browser back to the sign-in page with the error code instead of a JSON body', async () => {
    const accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    const denied = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/auth/oauth/google/callback?error=access_denied',
      headers: { accept },
    });
    expect(denied.statusCode).toBe(302);
    expect(denied.headers.location).toBe('/sign-in?oauthError=OAUTH_FAILED&provider=google');
    expect(denied.cookies.find((c) => c.name === 'jobr_session')).toBeUndefined();
    // A replayed callback (no flow cookie) too; the provider name comes from the route, never the query.
    oidc.nextUser = { sub: `g-${unique()}`, email: `x.${unique()}@example.test`, email_verified: true };
    const start = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oauth/replit/start' });
    const atProvider = await fetch(start.headers.location as string, { redirect: 'manual' });
    const back = new URL(atProvider.headers.get('location') as string);
    const replayed = await ctx.app.inject({
      method: 'GET',
      url: `${back.pathname}${back.search}`,
      headers: { accept },
    });
    expect(replayed.headers.location).toBe('/sign-in?oauthError=OAUTH_FAILED&provider=replit');
  });

  it.each([
    ['a token for another client', { audience: 'someone-else' }],
    ['a replayed nonce', { nonce: 'not-the-nonce' }],
    ['another issuer', { issuer: 'https://evil.example' }],
    ['a signature by an unknown key', { foreignKey: true }],
    ['an expired token', { expiresInSeconds: -3600 }],
  ])('rejects an ID token with %s', async (_label, tamper) => {
    oidc.nextUser = { sub: `g-${unique()}`, email: `x.${unique()}@example.test`, email_verified: true };
    oidc.tamper = tamper;
    try {
      const res = await signInFlow();
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('OAUTH_FAILED');
      expect(res.cookies.find((c) => c.name === 'jobr_session')).toBeUndefined();
    } finally {
      oidc.tamper = {};
    }
  });

  it('refuses open redirects in returnTo', async () => {
    for (const target of ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      const res = await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/auth/oauth/google/start?returnTo=${encodeURIComponent(target)}`,
      });
      expect(res.statusCode, target).toBe(400);
    }
  });

  it('answers 404 for a provider that is not configured and 400 for an unknown one', async () => {
    const bare = await createTestApp();
    try {
      const res = await bare.app.inject({ method: 'GET', url: '/api/v1/auth/oauth/google/start' });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('OAUTH_PROVIDER_NOT_CONFIGURED');
    } finally {
      await bare.close();
    }
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oauth/facebook/start' })).statusCode).toBe(400);
  });
});

describe('linking', () => {
  async function registered() {
    const email = `owner.${unique()}@example.test`;
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { name: 'Olive Owner', email, password: PASSWORD },
    });
    return { email, token: res.json().token as string, id: res.json().user.id as string };
  }

  it('does not take over an existing account with the same e-mail; its password confirms the link', async () => {
    const owner = await registered();
    const sub = `g-${unique()}`;
    oidc.nextUser = { sub, email: owner.email, email_verified: true, name: 'Olive' };
    const callback = await signInFlow();
    expect(callback.statusCode).toBe(409);
    expect(callback.json().error.code).toBe('OAUTH_LINK_REQUIRED');
    expect(callback.cookies.find((c) => c.name === 'jobr_session')).toBeUndefined();
    const pending = cookieHeader(callback);

    const wrong = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/oauth/link',
      headers: { cookie: pending },
      payload: { password: 'not the password' },
    });
    expect(wrong.statusCode).toBe(401);
    const noCookie = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/oauth/link',
      payload: { password: PASSWORD },
    });
    expect(noCookie.statusCode).toBe(400);

    const linked = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/oauth/link',
      headers: { cookie: pending },
      payload: { password: PASSWORD },
    });
    expect(linked.statusCode).toBe(200);
    expect(linked.json().user.id).toBe(owner.id);
    const next = await signInFlow();
    expect((await sessionFrom(next)).me).toMatchObject({ id: owner.id, linkedProviders: ['google'] });
  });

  it('offers no password link when the provider has not verified the e-mail', async () => {
    const owner = await registered();
    oidc.nextUser = { sub: `g-${unique()}`, email: owner.email, email_verified: false };
    const callback = await signInFlow();
    expect(callback.statusCode).toBe(409);
    expect(callback.json().error.details.canConfirmWithPassword).toBe(false);
    expect(callback.cookies.find((c) => c.name === 'jobr_oauth_link')).toBeUndefined();
  });

  it('links from a signed-in session, refuses a provider account linked elsewhere, and unlinks safely', async () => {
    const owner = await registered();
    const sub = `r-${unique()}`;
    oidc.nextUser = { sub, email: `different.${unique()}@example.test`, email_verified: true };
    const start = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/oauth/replit/link/start',
      headers: { authorization: `Bearer ${owner.token}` },
      payload: { returnTo: '/settings' },
    });
    expect(start.statusCode).toBe(200);
    const callback = await followProvider(start.json().authorizationUrl, cookieHeader(start));
    expect(callback.statusCode).toBe(302);
    expect(callback.headers.location).toBe('/settings');
    const me = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(me.json().linkedProviders).toEqual(['replit']);

    // The same Replit user cannot be linked to a second account.
    const other = await registered();
    const start2 = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/oauth/replit/link/start',
      headers: { authorization: `Bearer ${other.token}` },
    });
    const taken = await followProvider(start2.json().authorizationUrl, cookieHeader(start2));
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('OAUTH_ACCOUNT_TAKEN');

    const unlink = await ctx.app.inject({
      method: 'DELETE',
      url: '/api/v1/me/oauth/replit',
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(unlink.statusCode).toBe(204); // the password remains
    const twice = await ctx.app.inject({
      method: 'DELETE',
      url: '/api/v1/me/oauth/replit',
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(twice.statusCode).toBe(404);
  });

  it('refuses to unlink the only way to sign in', async () => {
    oidc.nextUser = { sub: `g-${unique()}`, email: `only.${unique()}@example.test`, email_verified: true };
    const { token } = await sessionFrom(await signInFlow());
    const res = await ctx.app.inject({
      method: 'DELETE',
      url: '/api/v1/me/oauth/google',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('LAST_SIGN_IN_METHOD');
  });

  it('starts a link only from a signed-in session, protected against cross-site requests', async () => {
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/oauth/google/link/start' })).statusCode).toBe(
      401,
    );
    const { token } = await signedInUser(ctx.database.db);
    const crossSite = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/oauth/google/link/start',
      headers: { cookie: `jobr_session=${token}`, origin: 'https://evil.example' },
    });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json().error.code).toBe('CSRF_REJECTED');
  });
});
