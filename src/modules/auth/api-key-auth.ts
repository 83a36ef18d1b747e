/** Authenticating a request by API key (`Authorization: Bearer jobr_...`). */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { setIdentity, withContext } from '../../db/context.ts';
import { apiKeys, users } from '../../db/schema/index.ts';
import { isValidApiKey, sha256Hex } from '../../lib/tokens.ts';
import { type SessionUser, sessionUserColumns } from './sessions.ts';

/** The closed set of scopes an API key can carry. */
export const API_SCOPES = [
  'jobs:read',
  'jobs:write',
  'cvs:read',
  'cvs:write',
  'applications:read',
  'applications:write',
  'matches:read',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

const LAST_USED_INTERVAL_MS = 60_000; // write last_used at most once a minute per key

/** The key's owner and scopes, or null when the key is malformed, unknown, inactive or expired. */
export async function resolveApiKey(
  db: Db,
  key: string,
  now = new Date(),
): Promise<{ keyId: string; user: SessionUser; scopes: ApiScope[] } | null> {
  if (!isValidApiKey(key)) return null; // checksum mismatch: no database query
  const hash = sha256Hex(key);
  return withContext(
    db,
    { kind: 'anonymous' },
    async (tx) => {
      const [row] = await tx
        .select({
          keyId: apiKeys.id,
          active: apiKeys.active,
          expiresAt: apiKeys.expiresAt,
          lastUsed: apiKeys.lastUsed,
          permissions: apiKeys.permissions,
          user: sessionUserColumns,
        })
        .from(apiKeys)
        .innerJoin(users, eq(users.id, apiKeys.userId))
        .where(eq(apiKeys.keyHash, hash));
      if (!row?.active) return null;
      if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return null;
      if (!row.lastUsed || now.getTime() - row.lastUsed.getTime() >= LAST_USED_INTERVAL_MS) {
        await setIdentity(tx, { kind: 'user', userId: row.user.id }, { credentialHash: hash });
        await tx.update(apiKeys).set({ lastUsed: now }).where(eq(apiKeys.id, row.keyId));
      }
      const scopes = row.permissions.filter((p): p is ApiScope => (API_SCOPES as readonly string[]).includes(p));
      return { keyId: row.keyId, user: { ...row.user, role: row.user.role as SessionUser['role'] }, scopes };
    },
    { credentialHash: hash },
  );
}
