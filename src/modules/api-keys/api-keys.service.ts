/** Creating, listing and revoking API keys. The key is returned once; only its SHA-256 is stored. */
import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { withContext } from '../../db/context.ts';
import { apiKeys } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { generateApiKey } from '../../lib/tokens.ts';
import type { ApiScope } from '../auth/api-key-auth.ts';
import type { SessionUser } from '../auth/sessions.ts';

/** Enough for every integration a person runs; a cap keeps a compromised session from minting thousands. */
export const MAX_KEYS_PER_USER = 50;

const listed = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  permissions: apiKeys.permissions,
  active: apiKeys.active,
  expiresAt: apiKeys.expiresAt,
  lastUsed: apiKeys.lastUsed,
  createdAt: apiKeys.createdAt,
};

export type CreateApiKeyOptions = { name: string; permissions: ApiScope[]; expiresAt?: Date | undefined };

export async function createApiKey(db: Db, config: Config, user: SessionUser, options: CreateApiKeyOptions) {
  if (user.role !== 'admin' && !config.apiKeyPlans.includes(user.plan as Config['apiKeyPlans'][number])) {
    throw new AppError('API_KEYS_NOT_IN_PLAN', { details: { plan: user.plan, plansWithApiKeys: config.apiKeyPlans } });
  }
  if (options.expiresAt && options.expiresAt.getTime() <= Date.now()) {
    throw new AppError('VALIDATION_FAILED', { details: [{ path: 'expiresAt', message: 'Must be in the future.' }] });
  }
  const { key, prefix, hash } = generateApiKey();
  const row = await withContext(db, { kind: 'user', userId: user.id }, async (tx) => {
    // Serialise key creation per user so two parallel requests cannot both slip under the cap.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`api-keys:${user.id}`}))`);
    const [existing] = await tx.select({ n: count() }).from(apiKeys).where(eq(apiKeys.userId, user.id));
    if ((existing?.n ?? 0) >= MAX_KEYS_PER_USER) {
      throw new AppError('API_KEY_LIMIT_REACHED', { details: { limit: MAX_KEYS_PER_USER } });
    }
    const [inserted] = await tx
      .insert(apiKeys)
      .values({
        userId: user.id,
        name: options.name,
        permissions: [...new Set(options.permissions)],
        expiresAt: options.expiresAt ?? null,
        keyHash: hash,
        prefix,
      })
      .returning(listed);
    return inserted;
  });
  if (!row) throw new Error('api key not created');
  return { ...row, key };
}

export async function listApiKeys(db: Db, userId: string) {
  return withContext(db, { kind: 'user', userId }, (tx) =>
    tx.select(listed).from(apiKeys).where(eq(apiKeys.userId, userId)).orderBy(desc(apiKeys.createdAt)),
  );
}

/** Revoking deletes the key: it stops working at once, and the audit log keeps the record. */
export async function revokeApiKey(db: Db, userId: string, keyId: string): Promise<void> {
  const deleted = await withContext(db, { kind: 'user', userId }, (tx) =>
    tx
      .delete(apiKeys)
      .where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId)))
      .returning({ id: apiKeys.id }),
  );
  if (deleted.length === 0) throw new AppError('API_KEY_NOT_FOUND');
}
