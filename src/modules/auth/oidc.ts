/**
 * A minimal OpenID Connect relying party (authorization code flow with PKCE and nonce), enough for
 * Google and Replit and for any standards-following provider: discovery, token exchange with
 * client_secret_post, and ID-token verification against the provider's JWKS.
 */
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { AppError } from '../../lib/errors.ts';

export type ProviderConfig = { clientId: string; clientSecret: string; issuer: string };
type Discovery = { issuer: string; authorization_endpoint: string; token_endpoint: string; jwks_uri: string };

const TIMEOUT_MS = 5_000;
const DISCOVERY_TTL_MS = 3_600_000;
const cache = new Map<string, { discovery: Discovery; jwks: JWTVerifyGetKey; fetchedAt: number }>();

function failed(reason: string): AppError {
  return new AppError('OAUTH_FAILED', { details: { reason } });
}

async function provider(issuer: string) {
  const cached = cache.get(issuer);
  if (cached && Date.now() - cached.fetchedAt < DISCOVERY_TTL_MS) return cached;
  let discovery: Discovery;
  try {
    const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`discovery answered ${res.status}`);
    discovery = (await res.json()) as Discovery;
  } catch (err) {
    throw new AppError('SERVICE_UNAVAILABLE', {
      message: `The sign-in provider cannot be reached (${(err as Error).message}).`,
    });
  }
  if (
    discovery.issuer !== issuer ||
    !discovery.authorization_endpoint ||
    !discovery.token_endpoint ||
    !discovery.jwks_uri
  ) {
    throw new AppError('SERVICE_UNAVAILABLE', { message: 'The sign-in provider published an unusable configuration.' });
  }
  const entry = { discovery, jwks: createRemoteJWKSet(new URL(discovery.jwks_uri)), fetchedAt: Date.now() };
  cache.set(issuer, entry);
  return entry;
}

/** S256 code challenge for a PKCE verifier (RFC 7636). */
export const codeChallenge = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

export async function authorizationUrl(
  cfg: ProviderConfig,
  params: { redirectUri: string; state: string; nonce: string; codeVerifier: string },
): Promise<string> {
  const { discovery } = await provider(cfg.issuer);
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: cfg.clientId,
    redirect_uri: params.redirectUri,
    scope: 'openid email profile',
    state: params.state,
    nonce: params.nonce,
    code_challenge: codeChallenge(params.codeVerifier),
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

export type IdentityClaims = { sub: string; email: string | null; emailVerified: boolean; name: string | null };

/** Exchanges the code and verifies the ID token: signature, issuer, audience, expiry and nonce. */
export async function completeSignIn(
  cfg: ProviderConfig,
  params: { code: string; redirectUri: string; codeVerifier: string; nonce: string },
): Promise<IdentityClaims> {
  const { discovery, jwks } = await provider(cfg.issuer);
  let idToken: unknown;
  try {
    const res = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: params.code,
        redirect_uri: params.redirectUri,
        client_id: cfg.clientId,
        client_secret: cfg.clientSecret,
        code_verifier: params.codeVerifier,
      }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!res.ok) throw failed(`token endpoint answered ${res.status}`);
    idToken = ((await res.json()) as { id_token?: unknown }).id_token;
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('SERVICE_UNAVAILABLE', { message: 'The sign-in provider cannot be reached.' });
  }
  if (typeof idToken !== 'string') throw failed('no ID token');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(idToken, jwks, { issuer: cfg.issuer, audience: cfg.clientId, clockTolerance: 60 }));
  } catch (err) {
    throw failed(`ID token rejected: ${(err as Error).message}`);
  }
  if (payload.nonce !== params.nonce) throw failed('nonce mismatch');
  if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 255)
    throw failed('no subject');
  return {
    sub: payload.sub,
    email: typeof payload.email === 'string' ? payload.email : null,
    emailVerified: payload.email_verified === true || payload.email_verified === 'true',
    name: typeof payload.name === 'string' ? payload.name : null,
  };
}
