/**
 * Accounts behind "Sign in with Google / Replit": find by provider id, create, or link.
 *
 * An existing account is never taken over just because a provider reports the same e-mail: the user
 * must prove they own the account (its password, or an existing session) before the provider is linked.
 */
import { eq, sql } from 'drizzle-orm';
import type { OAuthProviderName } from '../../config.ts';
import type { Tx } from '../../db/client.ts';
import { systemActor, type Work } from '../../db/context.ts';
import { users } from '../../db/schema/index.ts';
import { isUniqueViolation } from '../../lib/db-errors.ts';
import { AppError } from '../../lib/errors.ts';
import { normalizeEmail } from './identifiers.ts';
import type { IdentityClaims } from './oidc.ts';

const providerColumn = (provider: OAuthProviderName) => (provider === 'google' ? users.googleId : users.replitId);

export type OAuthOutcome = { userId: string; created: boolean } | { linkRequired: { email: string } };

/**
 * Finds or creates the provider's user in the caller's unit of work. Looking a user up by provider id
 * spans every account, so this step acts with the system context.
 */
export async function signInWithProvider(
  work: Work,
  provider: OAuthProviderName,
  claims: IdentityClaims,
): Promise<OAuthOutcome> {
  const column = providerColumn(provider);
  await work.actAs(systemActor);
  const { tx } = work;
  const [linked] = await tx.select({ id: users.id }).from(users).where(eq(column, claims.sub));
  if (linked) return { userId: linked.id, created: false };

  const email = claims.email ? normalizeEmail(claims.email) : null;
  if (!email) {
    throw new AppError('OAUTH_FAILED', {
      message:
        'The provider did not share a usable e-mail address. Register with e-mail or phone, then link the provider.',
    });
  }
  const [existing] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${email})`);
  if (existing) return { linkRequired: { email } };

  try {
    const [created] = await tx
      .insert(users)
      .values({
        name: (claims.name ?? email.split('@')[0] ?? 'New user').slice(0, 255),
        email,
        verified: claims.emailVerified,
        [provider === 'google' ? 'googleId' : 'replitId']: claims.sub,
      })
      .returning({ id: users.id });
    if (!created) throw new Error('user not created');
    return { userId: created.id, created: true };
  } catch (err) {
    // A parallel callback for the same provider user won the race.
    if (isUniqueViolation(err))
      throw new AppError('CONFLICT', { message: 'Signing in is already in progress. Try again.' });
    throw err;
  }
}

/**
 * Links the provider identity to a user who has proven who they are, in the caller's unit of work (which
 * then acts as that user): when linking fails, nothing of the sign-in remains.
 */
export async function linkProvider(
  work: Work,
  userId: string,
  provider: OAuthProviderName,
  sub: string,
): Promise<void> {
  const column = providerColumn(provider);
  await work.actAs({ kind: 'user', userId });
  const { tx } = work;
  const [owner] = await tx.select({ id: users.id }).from(users).where(eq(column, sub));
  if (owner && owner.id !== userId) throw new AppError('OAUTH_ACCOUNT_TAKEN');
  try {
    await tx
      .update(users)
      .set({ [provider === 'google' ? 'googleId' : 'replitId']: sub })
      .where(eq(users.id, userId));
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('OAUTH_ACCOUNT_TAKEN');
    throw err;
  }
}

/** Unlinks a provider, as long as another way to sign in remains (a password or another provider). */
export async function unlinkProvider(tx: Tx, userId: string, provider: OAuthProviderName): Promise<void> {
  const [user] = await tx
    .select({ passwordHash: users.passwordHash, googleId: users.googleId, replitId: users.replitId })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw new AppError('UNAUTHENTICATED');
  const linked = provider === 'google' ? user.googleId : user.replitId;
  if (!linked) throw new AppError('NOT_FOUND', { message: `No ${provider} account is linked.` });
  const other = provider === 'google' ? user.replitId : user.googleId;
  if (!user.passwordHash && !other) throw new AppError('LAST_SIGN_IN_METHOD');
  await tx
    .update(users)
    .set({ [provider === 'google' ? 'googleId' : 'replitId']: null })
    .where(eq(users.id, userId));
}
