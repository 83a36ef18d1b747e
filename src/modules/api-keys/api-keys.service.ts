/** Creating, listing and revoking API keys. The key is returned once; only its SHA-256 is stored. */
import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { Tx } from '../../db/client.ts';
import type { Work } from '../../db/context.ts';
import { apiKeys } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { generateApiKey } from '../../lib/tokens.ts';
import type { ApiScope } from '../auth/api-key-auth.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { PLAN_NAMES } from '../plans/plans.ts';

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

export async function createApiKey(work: Work, config: Config, user: SessionUser, options: CreateApiKeyOptions) {
  // The plan table decides (GET /plans shows the same `apiKeys` flag); the error says where to go instead.
  const withKeys = config.plans.apiKeys;
  if (user.role !== 'admin' && !withKeys.some((p) => p === user.plan)) {
    const upgradeTo = PLAN_NAMES.filter((p) => withKeys.includes(p));
    throw new AppError('API_KEYS_NOT_IN_PLAN', {
      message:
        upgradeTo.length > 0
          ? `Your ${user.plan} plan does not include API keys. Upgrade to ${upgradeTo.join(' or ')} (see GET /api/v1/plans; pay with POST /api/v1/billing/checkout), then create the key.`
          : 'API keys are not offered on any plan of this server (API_KEY_PLANS is empty); ask its administrator.',
      details: { plan: user.plan, upgradeTo, plansUrl: '/api/v1/plans', checkoutUrl: '/api/v1/billing/checkout' },
    });
  }
  if (options.expiresAt && options.expiresAt.getTime() <= work.now.getTime()) {
    throw new AppError('VALIDATION_FAILED', { details: [{ path: 'expiresAt', message: 'Must be in the future.' }] });
  }
  const { key, prefix, hash } = generateApiKey();
  const { tx } = work;
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
  if (!inserted) throw new Error('api key not created');
  return { ...inserted, key };
}

export async function listApiKeys(tx: Tx, userId: string) {
  return tx.select(listed).from(apiKeys).where(eq(apiKeys.userId, userId)).orderBy(desc(apiKeys.createdAt));
}

/** Revoking deletes the key: it stops working at once, and the audit log keeps the record. */
export async function revokeApiKey(tx: Tx, userId: string, keyId: string): Promise<void> {
  const deleted = await tx
    .delete(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId)))
    .returning({ id: apiKeys.id });
  if (deleted.length === 0) throw new AppError('API_KEY_NOT_FOUND');
}
