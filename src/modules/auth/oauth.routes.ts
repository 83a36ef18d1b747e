/**
 * /api/v1/auth/oauth: sign in with Google or Replit (OpenID Connect), link and unlink providers.
 *
 * The flow's secrets (state, PKCE verifier, nonce) travel in a short-lived signed cookie bound to the
 * browser that started the flow, so a callback URL replayed in another browser is refused. Linking
 * a provider to an existing account starts with a POST (CSRF-protected), never a plain link.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Config, OAUTH_PROVIDERS, type OAuthProviderName } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { requireSession, respondWithSession, setSessionCookie } from '../../http/auth.ts';
import { authRateLimit } from '../../http/rate-limit.ts';
import { errors, noContent } from '../../http/schemas.ts';
import { AppError } from '../../lib/errors.ts';
import { randomToken } from '../../lib/tokens.ts';
import { clientMeta } from './auth.routes.ts';
import { sessionResponse } from './auth.schemas.ts';
import { checkCredentials, startSession } from './auth.service.ts';
import { linkProvider, signInWithProvider, unlinkProvider } from './oauth.service.ts';
import { authorizationUrl, completeSignIn, type ProviderConfig } from './oidc.ts';
import { createSession } from './sessions.ts';

const FLOW_COOKIE = 'jobr_oauth';
const LINK_COOKIE = 'jobr_oauth_link';
const COOKIE_PATH = '/api/v1/auth/oauth';
const FLOW_TTL_MS = 10 * 60_000;

type Flow = {
  provider: OAuthProviderName;
  state: string;
  verifier: string;
  nonce: string;
  returnTo: string;
  linkUserId?: string;
  exp: number;
};
type PendingLink = { provider: OAuthProviderName; sub: string; email: string; exp: number };

const providerParams = z.object({ provider: z.enum(OAUTH_PROVIDERS) });
const callbackQuery = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(500).optional(),
  error: z.string().max(200).optional(),
});
type CallbackQuery = z.infer<typeof callbackQuery>;

/** A browser's page navigation (it accepts HTML), as opposed to an API client or a test calling the route. */
const wantsPage = (request: FastifyRequest) => /\btext\/html\b/.test(request.headers.accept ?? '');
/** Only a path on this site: anything else would make the callback an open redirect. */
const returnTo = z
  .string()
  .max(500)
  .regex(/^\/(?![/\\])[^\s\\]*$/, 'Must be a path on this site, starting with a single /.')
  .default('/');

function providerConfig(config: Config, provider: OAuthProviderName): ProviderConfig {
  const cfg = config.oauth[provider];
  if (!cfg) throw new AppError('OAUTH_PROVIDER_NOT_CONFIGURED');
  return cfg;
}

const redirectUri = (config: Config, provider: OAuthProviderName) =>
  `${config.publicUrl}${COOKIE_PATH}/${provider}/callback`;

function setSignedCookie(reply: FastifyReply, config: Config, name: string, value: object) {
  void reply.setCookie(name, Buffer.from(JSON.stringify(value)).toString('base64url'), {
    signed: true,
    httpOnly: true,
    sameSite: 'lax', // the provider's redirect back is a top-level GET: Lax lets the cookie come along
    secure: config.env === 'production',
    path: COOKIE_PATH,
    maxAge: FLOW_TTL_MS / 1000,
  });
}

function readSignedCookie<T extends { exp: number }>(request: FastifyRequest, name: string): T | null {
  const raw = request.cookies[name];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  try {
    const value = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')) as T;
    return value.exp > Date.now() ? value : null;
  } catch {
    return null;
  }
}

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export const oauthRoutes =
  ({ database, config }: { database: Database; config: Config }): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['auth'];
    const rateLimit = authRateLimit(config);

    async function begin(reply: FastifyReply, provider: OAuthProviderName, target: string, linkUserId?: string) {
      const cfg = providerConfig(config, provider);
      const flow: Flow = {
        provider,
        state: randomToken(),
        verifier: randomToken(),
        nonce: randomToken(),
        returnTo: target,
        ...(linkUserId ? { linkUserId } : {}),
        exp: Date.now() + FLOW_TTL_MS,
      };
      const url = await authorizationUrl(cfg, {
        redirectUri: redirectUri(config, provider),
        state: flow.state,
        nonce: flow.nonce,
        codeVerifier: flow.verifier,
      });
      setSignedCookie(reply, config, FLOW_COOKIE, flow);
      return url;
    }

    app.get(
      '/auth/oauth/providers',
      {
        config: { auth: 'public' },
        schema: {
          tags,
          summary: 'The sign-in providers configured on this server',
          response: { 200: z.object({ providers: z.array(z.enum(OAUTH_PROVIDERS)) }) },
        },
      },
      async () => ({ providers: OAUTH_PROVIDERS.filter((p) => config.oauth[p]) }),
    );

    app.get(
      '/auth/oauth/:provider/start',
      {
        config: { auth: 'public', rateLimit },
        schema: {
          tags,
          summary: 'Start signing in with a provider (redirects to it)',
          params: providerParams,
          querystring: z.object({ returnTo }),
          response: { 302: noContent, ...errors(400, 404, 429, 503) },
        },
      },
      async (request, reply) => {
        const url = await begin(reply, request.params.provider, request.query.returnTo);
        return reply.redirect(url, 302);
      },
    );

    app.post(
      '/auth/oauth/:provider/link/start',
      {
        config: { auth: 'session' },
        schema: {
          tags,
          summary: 'Start linking a provider to the signed-in account',
          description: 'Returns the provider URL to open; the callback links the provider instead of signing in.',
          params: providerParams,
          body: z.object({ returnTo }).nullish(),
          response: { 200: z.object({ authorizationUrl: z.url() }), ...errors(400, 401, 403, 404, 503) },
        },
      },
      async (request, reply) => {
        const auth = requireSession(request);
        const url = await begin(reply, request.params.provider, request.body?.returnTo ?? '/', auth.user.id);
        return { authorizationUrl: url };
      },
    );

    app.get(
      '/auth/oauth/:provider/callback',
      {
        config: { auth: 'public', rateLimit },
        schema: {
          tags,
          summary: 'Where the provider sends the browser back',
          description:
            'Signs in (setting the session cookie) and redirects to `returnTo`. When an account with the same e-mail exists, answers 409 OAUTH_LINK_REQUIRED: confirm with POST /auth/oauth/link. ' +
            'A browser navigation (Accept: text/html) gets a redirect to `/sign-in?oauthError=CODE&provider=…` instead of an error body, so the web app can explain the error code.',
          params: providerParams,
          querystring: callbackQuery,
          response: { 302: noContent, ...errors(400, 404, 409, 429, 503) },
        },
      },
      async (request, reply) => {
        try {
          return await callback(request, reply, request.params.provider, request.query);
        } catch (err) {
          // The browser arrives here by a top-level navigation: show it the web app's sign-in page with
          // a sentence for the error code, never the JSON error (API clients still get that).
          if (!(err instanceof AppError) || !wantsPage(request)) throw err;
          request.log.info({ code: err.code, details: err.details }, 'oauth callback refused');
          const back = new URLSearchParams({ oauthError: err.code, provider: request.params.provider });
          return reply.redirect(`/sign-in?${back}`, 302);
        }
      },
    );

    async function callback(
      request: FastifyRequest,
      reply: FastifyReply,
      provider: OAuthProviderName,
      query: CallbackQuery,
    ) {
      const cfg = providerConfig(config, provider);
      const flow = readSignedCookie<Flow>(request, FLOW_COOKIE);
      void reply.clearCookie(FLOW_COOKIE, { path: COOKIE_PATH });
      const { code, state, error } = query;
      if (error)
        throw new AppError('OAUTH_FAILED', {
          message: 'The provider did not sign you in.',
          details: { reason: error },
        });
      if (!flow || flow.provider !== provider || !state || !code || !sameSecret(flow.state, state)) {
        throw new AppError('OAUTH_FAILED', { details: { reason: 'state mismatch or expired; start again' } });
      }
      const claims = await completeSignIn(cfg, {
        code,
        redirectUri: redirectUri(config, provider),
        codeVerifier: flow.verifier,
        nonce: flow.nonce,
      });

      // The provider answered (a network call, outside any transaction); the rest is one unit of work.
      const outcome = await request.work(async (w) => {
        let userId: string;
        if (flow.linkUserId) {
          await linkProvider(w, flow.linkUserId, provider, claims.sub);
          userId = flow.linkUserId;
        } else {
          const found = await signInWithProvider(w, provider, claims);
          if ('linkRequired' in found) return found;
          userId = found.userId;
        }
        await w.actAs({ kind: 'user', userId });
        return { session: await createSession(w.tx, { userId, ...clientMeta(request) }) };
      });
      if ('linkRequired' in outcome) {
        // Only a provider-verified address may be offered for linking by password.
        if (claims.emailVerified) {
          setSignedCookie(reply, config, LINK_COOKIE, {
            provider,
            sub: claims.sub,
            email: outcome.linkRequired.email,
            exp: Date.now() + FLOW_TTL_MS,
          } satisfies PendingLink);
        }
        throw new AppError('OAUTH_LINK_REQUIRED', {
          details: { provider, canConfirmWithPassword: claims.emailVerified },
        });
      }
      const { session } = outcome;
      setSessionCookie(reply, session.token, session.expiresAt, config);
      return reply.redirect(flow.returnTo, 302);
    }

    app.post(
      '/auth/oauth/link',
      {
        config: { auth: 'public', rateLimit },
        schema: {
          tags,
          summary: 'Confirm linking a provider to your existing account with its password',
          description: 'After a callback answered OAUTH_LINK_REQUIRED. Signs in and links the provider.',
          body: z.object({ password: z.string().min(1).max(2000) }).meta({ id: 'OAuthLinkConfirm' }),
          response: { 200: sessionResponse, ...errors(400, 401, 409, 429) },
        },
      },
      async (request, reply) => {
        const pending = readSignedCookie<PendingLink>(request, LINK_COOKIE);
        if (!pending) throw new AppError('OAUTH_FAILED', { details: { reason: 'no pending link; start again' } });
        // Signing in and linking are one unit: when linking fails, no session is left behind.
        const userId = await checkCredentials(database.db, {
          identifier: pending.email,
          password: request.body.password,
        });
        const session = await request.work(async (w) => {
          const signedIn = await startSession(w, userId, clientMeta(request));
          await linkProvider(w, userId, pending.provider, pending.sub);
          return signedIn;
        });
        void reply.clearCookie(LINK_COOKIE, { path: COOKIE_PATH });
        return respondWithSession(reply, session, config);
      },
    );

    app.delete(
      '/me/oauth/:provider',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['me'],
          summary: 'Unlink a sign-in provider (only if another way to sign in remains)',
          params: providerParams,
          response: { 204: noContent, ...errors(401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const userId = requireSession(request).user.id;
        await request.work((w) => unlinkProvider(w.tx, userId, request.params.provider));
        return reply.code(204).send(null);
      },
    );
  };
