/**
 * A local OpenID Connect provider speaking the real protocol: discovery, an authorization endpoint
 * that redirects back with a code, a token endpoint that checks the client secret, redirect URI and
 * PKCE verifier, and a JWKS endpoint for the RS256-signed ID tokens. Tests choose who "signs in".
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

export type FakeUser = { sub: string; email?: string; email_verified?: boolean; name?: string };

export type FakeOidc = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The identity the next authorization signs in as. */
  nextUser: FakeUser;
  /** Changes what the next ID token says or how it is signed, to test the relying party's checks. */
  tamper: { audience?: string; nonce?: string; issuer?: string; foreignKey?: boolean; expiresInSeconds?: number };
  tokenRequests: URLSearchParams[];
  close(): Promise<void>;
};

export async function startFakeOidc(): Promise<FakeOidc> {
  const keys = await generateKeyPair('RS256');
  const foreign = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map<
    string,
    { redirectUri: string; challenge: string; nonce: string; user: FakeUser; clientId: string }
  >();

  const fake: FakeOidc = {
    issuer: '',
    clientId: 'jobr-test-client',
    clientSecret: 'jobr-test-secret',
    nextUser: { sub: 'user-1', email: 'someone@example.test', email_verified: true, name: 'Some One' },
    tamper: {},
    tokenRequests: [],
    close: async () => {},
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', fake.issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer: fake.issuer,
        authorization_endpoint: `${fake.issuer}/authorize`,
        token_endpoint: `${fake.issuer}/token`,
        jwks_uri: `${fake.issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const p = url.searchParams;
      if (p.get('response_type') !== 'code' || p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge')) {
        return json(400, { error: 'invalid_request' });
      }
      if (p.get('client_id') !== fake.clientId) return json(400, { error: 'unauthorized_client' });
      const code = randomBytes(16).toString('hex');
      codes.set(code, {
        redirectUri: p.get('redirect_uri') ?? '',
        challenge: p.get('code_challenge') ?? '',
        nonce: p.get('nonce') ?? '',
        user: fake.nextUser,
        clientId: p.get('client_id') ?? '',
      });
      const back = new URL(p.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', p.get('state') ?? '');
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let raw = '';
      req.on('data', (c) => {
        raw += c;
      });
      req.on('end', async () => {
        const form = new URLSearchParams(raw);
        fake.tokenRequests.push(form);
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? ''); // codes are single use
        if (form.get('grant_type') !== 'authorization_code' || !grant) return json(400, { error: 'invalid_grant' });
        if (form.get('client_id') !== grant.clientId || form.get('client_secret') !== fake.clientSecret) {
          return json(401, { error: 'invalid_client' });
        }
        if (form.get('redirect_uri') !== grant.redirectUri) return json(400, { error: 'invalid_grant' });
        const challenge = createHash('sha256')
          .update(form.get('code_verifier') ?? '')
          .digest('base64url');
        if (challenge !== grant.challenge) return json(400, { error: 'invalid_grant', error_description: 'PKCE' });
        const t = fake.tamper;
        const claims: JWTPayload = { ...grant.user, nonce: t.nonce ?? grant.nonce };
        const idToken = await new SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setIssuer(t.issuer ?? fake.issuer)
          .setAudience(t.audience ?? grant.clientId)
          .setSubject(grant.user.sub)
          .setIssuedAt()
          .setExpirationTime(Math.floor(Date.now() / 1000) + (t.expiresInSeconds ?? 300))
          .sign(t.foreignKey ? foreign.privateKey : keys.privateKey);
        return json(200, {
          access_token: randomBytes(16).toString('hex'),
          token_type: 'Bearer',
          expires_in: 300,
          id_token: idToken,
        });
      });
      return;
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
