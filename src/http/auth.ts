/**
 * Who is calling: resolved once per request from the session cookie, a bearer session token, or a
 * bearer API key. Each route declares who may call it (`config: { auth, scope }`); that is checked before
 * the body is parsed and validated, so an anonymous caller learns nothing about a route's fields, and it is written
 * into the OpenAPI document. Handlers then take the typed caller with `requireUser`, `requireAdmin`, ...
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { type DbActor, inWork, type Work } from '../db/context.ts';
import { AppError } from '../lib/errors.ts';
import { looksLikeApiKey } from '../lib/tokens.ts';
import { type ApiScope, resolveApiKey } from '../modules/auth/api-key-auth.ts';
import { resolveSession, type SessionUser } from '../modules/auth/sessions.ts';

export const SESSION_COOKIE = 'jobr_session';

export type Auth =
  | { via: 'session'; user: SessionUser; sessionId: string; fromCookie: boolean }
  | { via: 'apiKey'; user: SessionUser; keyId: string; scopes: ApiScope[] };

/**
 * Who may call a route: anyone, any signed-in caller (session or API key), a session only (managing the
 * account itself), or an administrator. Routes under /api/v1 default to `user`: a new route is closed
 * until it says otherwise.
 */
export type RouteAuth = 'public' | 'user' | 'session' | 'admin';

declare module 'fastify' {
  interface FastifyRequest {
    auth: Auth | null;
    /**
     * Runs one unit of work for this request: a transaction acting as the caller (row-level security),
     * committed when `fn` returns and rolled back, with everything it did, when it throws.
     */
    work<T>(fn: (work: Work) => Promise<T>): Promise<T>;
  }
  interface FastifyContextConfig {
    auth?: RouteAuth;
    /** The API-key scope the route needs (sessions have every scope). */
    scope?: ApiScope;
    /** A payment provider's callback: it carries its own credential in Authorization, so none is resolved. */
    providerCallback?: boolean;
    /** false: no API key may call the route, whatever its scopes (a signed-in session only). */
    apiKeys?: boolean;
  }
}

function routeAuth(url: string, declared: RouteAuth | undefined): RouteAuth {
  return declared ?? (url.startsWith('/api/v1/') ? 'user' : 'public');
}

/** OpenAPI security schemes, declared once in the document and referenced by each operation. */
export const securitySchemes = {
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description:
      'The session cookie set by POST /api/v1/auth/login (browsers; state changes need a same-origin Origin).',
  },
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description:
      'A session token from POST /api/v1/auth/login, or an API key (jobr_...) from POST /api/v1/api-keys, as "Authorization: Bearer <token>". An API key needs the scope listed on the operation.',
  },
} as const;

function securityFor(auth: RouteAuth, scope: ApiScope | undefined): Array<Record<string, string[]>> | undefined {
  if (auth === 'public') return undefined;
  return [{ sessionCookie: [] }, { bearer: scope ? [scope] : [] }];
}

function enforceRouteAuth(request: FastifyRequest): void {
  const { auth = 'public', scope } = request.routeOptions.config;
  if (auth === 'public') {
    // Public routes that read more for a signed-in caller still honour an API key's scope.
    if (scope && request.auth?.via === 'apiKey') requireScope(request, scope);
    return;
  }
  if (auth === 'session' || request.routeOptions.config.apiKeys === false) requireSession(request);
  else requireUser(request);
  if (scope) requireScope(request, scope);
  if (auth === 'admin') requireAdmin(request);
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw new AppError('UNAUTHENTICATED', { message: 'Use "Authorization: Bearer <token>".' });
  return m[1];
}

async function authenticate(database: Database, request: FastifyRequest): Promise<Auth | null> {
  const token = bearer(request);
  if (token) {
    if (looksLikeApiKey(token)) {
      const key = await resolveApiKey(database.db, token);
      if (!key) throw new AppError('UNAUTHENTICATED', { message: 'The API key is invalid, expired or revoked.' });
      return { via: 'apiKey', user: key.user, keyId: key.keyId, scopes: key.scopes };
    }
    const session = await resolveSession(database.db, token);
    if (!session) throw new AppError('UNAUTHENTICATED', { message: 'The session has expired or was signed out.' });
    return { via: 'session', ...session, fromCookie: false };
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (cookie) {
    const session = await resolveSession(database.db, cookie);
    // A stale cookie on a public page is not an error; routes that need a user say so.
    if (session) return { via: 'session', ...session, fromCookie: true };
  }
  return null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for cookie-authenticated requests (bearer tokens are not sent by browsers on their own):
 * a state-changing request that rides on the session cookie must come from our own origin, as told by
 * the Origin header (or Referer when a browser omits Origin). SameSite=Lax is the first line.
 */
function assertSameOrigin(request: FastifyRequest, config: Config): void {
  const allowed = new Set([new URL(config.publicUrl).origin]);
  if (request.headers.host) allowed.add(`${request.protocol}://${request.headers.host}`);
  const origin = request.headers.origin ?? refererOrigin(request.headers.referer);
  if (!origin || !allowed.has(origin)) throw new AppError('CSRF_REJECTED');
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

export const authPlugin = fp(
  async (app: FastifyInstance, opts: { database: Database; config: Config }) => {
    app.decorateRequest('auth', null);
    app.decorateRequest('work', function <T>(this: FastifyRequest, fn: (work: Work) => Promise<T>): Promise<T> {
      return inWork(opts.database.db, actorOf(this.auth), fn);
    });
    app.addHook('onRoute', (route) => {
      const config = (route.config ?? {}) as { auth?: RouteAuth; scope?: ApiScope; apiKeys?: boolean };
      const auth = routeAuth(route.url, config.auth);
      // Every route an API key can reach names the scope it needs (issue 11, item 14): a route that
      // forgets stops the server from starting instead of opening itself to every key.
      if ((auth === 'user' || auth === 'admin') && !config.scope && config.apiKeys !== false) {
        throw new Error(
          `${String(route.method)} ${route.url}: an API key could call it, so it needs config.scope (or apiKeys: false)`,
        );
      }
      route.config = { ...route.config, auth };
      const security = securityFor(auth, config.scope);
      if (security && route.schema) route.schema = { ...route.schema, security };
    });
    // Callback hooks, not async ones: most requests (anonymous reads) finish them synchronously, and an
    // async hook costs every request its promises and microtask turns (decision 027).
    // Before the body is even parsed: a caller who may not use the route gets 401/403, not a parse error
    // or a list of the fields it got wrong.
    app.addHook('preParsing', (request, _reply, payload, done) => {
      try {
        enforceRouteAuth(request);
      } catch (err) {
        return done(err as Error);
      }
      done(null, payload);
    });
    app.addHook('onRequest', (request, _reply, done) => {
      // Payment-provider callbacks put their own credential in Authorization (PhonePe: a SHA-256 digest).
      if (request.routeOptions.config?.providerCallback) return done();
      // No credential: anonymous, without a round trip (request.auth stays null).
      if (!request.headers.authorization && !request.cookies?.[SESSION_COOKIE]) return done();
      authenticate(opts.database, request).then((auth) => {
        request.auth = auth;
        try {
          if (auth?.via === 'session' && auth.fromCookie && !SAFE_METHODS.has(request.method)) {
            assertSameOrigin(request, opts.config);
          }
        } catch (err) {
          return done(err as Error);
        }
        done();
      }, done);
    });
  },
  { name: 'jobr-auth', dependencies: ['@fastify/cookie'] },
);

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure in production, expiring with the session. */
export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date, config: Config): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.env === 'production',
    path: '/',
    expires: expiresAt,
  });
}

/** A new session's answer: the cookie for browsers, and the token in the body for other clients. */
export function respondWithSession(
  reply: FastifyReply,
  session: { token: string; expiresAt: Date; userId: string },
  config: Config,
): { token: string; expiresAt: Date; user: { id: string } } {
  setSessionCookie(reply, session.token, session.expiresAt, config);
  return { token: session.token, expiresAt: session.expiresAt, user: { id: session.userId } };
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  void reply.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.env === 'production',
    path: '/',
  });
}

/** Managing the account itself (keys, sessions, password) needs a session, not an API key. */
export function requireSession(request: FastifyRequest): Extract<Auth, { via: 'session' }> {
  const auth = requireUser(request);
  if (auth.via !== 'session') throw new AppError('SESSION_REQUIRED');
  return auth;
}

/** The signed-in user, or 401. */
export function requireUser(request: FastifyRequest): Auth {
  if (!request.auth) throw new AppError('UNAUTHENTICATED');
  return request.auth;
}

/** A session caller always has every scope; an API key must carry `scope` (403 otherwise). */
export function requireScope(request: FastifyRequest, scope: ApiScope): Auth {
  const auth = requireUser(request);
  if (auth.via === 'apiKey' && !auth.scopes.includes(scope)) {
    throw new AppError('FORBIDDEN', {
      message: `This API key lacks the "${scope}" scope.`,
      details: { requiredScope: scope },
    });
  }
  return auth;
}

export function requireAdmin(request: FastifyRequest): Auth {
  const auth = requireUser(request);
  if (auth.user.role !== 'admin') throw new AppError('FORBIDDEN', { message: 'Administrators only.' });
  return auth;
}

/** The database actor for a caller: administrators act with the explicit admin context. */
export function actorOf(auth: Auth | null): DbActor {
  if (!auth) return { kind: 'anonymous' };
  return auth.user.role === 'admin' ? { kind: 'admin', userId: auth.user.id } : { kind: 'user', userId: auth.user.id };
}
