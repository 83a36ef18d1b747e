/**
 * Metered actions: one usage_tracking row per successful action, counted against the plan's limit per
 * period (the configured PlanRules, plans.ts). `consumeQuota` runs inside the action's own transaction, so an action that fails
 * afterwards rolls its usage row back and is not billed. A per-user, per-action advisory lock makes
 * the count-then-insert exact under concurrency: of ten parallel requests for the last unit, one wins.
 */
import { and, eq, gte, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { USAGE_ACTIONS, usageTracking, users } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import {
  isPlanName,
  PLAN_NAMES,
  type PlanName,
  type PlanRules,
  planLimit,
  type UsageAction,
  usagePeriodStart,
  usageResetsAt,
} from './plans.ts';

async function planOf(tx: Tx, userId: string): Promise<{ plan: PlanName; admin: boolean }> {
  const [row] = await tx.select({ plan: users.plan, role: users.role }).from(users).where(eq(users.id, userId));
  if (!row) throw new AppError('UNAUTHENTICATED');
  return { plan: isPlanName(row.plan) ? row.plan : 'Free', admin: row.role === 'admin' };
}

async function usedSince(tx: Tx, userId: string, action: UsageAction, since: Date): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(usageTracking)
    .where(
      and(eq(usageTracking.userId, userId), eq(usageTracking.actionType, action), gte(usageTracking.createdAt, since)),
    );
  return Number(row?.n ?? 0);
}

/** Plans whose limit for the action is higher than `plan`'s: where to upgrade to. */
function upgradesFor(rules: PlanRules, plan: PlanName, action: UsageAction): PlanName[] {
  const current = planLimit(rules, plan, action);
  return PLAN_NAMES.filter((p) => {
    const limit = planLimit(rules, p, action);
    return p !== plan && current !== null && (limit === null || limit > current);
  });
}

export type ConsumeOptions = { metadata?: Record<string, unknown>; now?: Date };

/**
 * Records one use of `action` for the user, or throws 429 QUOTA_EXCEEDED (with the limit, the count,
 * when it resets and which plans allow more) when the period's allowance is spent. Administrators are
 * not limited (their usage is still recorded).
 */
export async function consumeQuota(
  tx: Tx,
  rules: PlanRules,
  userId: string,
  action: UsageAction,
  options: ConsumeOptions = {},
) {
  const now = options.now ?? new Date();
  const { plan, admin } = await planOf(tx, userId);
  const limit = admin ? null : planLimit(rules, plan, action);
  if (limit !== null) {
    // Serialises this user's uses of this action until the transaction ends; others are not held up.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('usage_tracking'), hashtext(${`${userId}:${action}`}))`);
    const used = await usedSince(tx, userId, action, usagePeriodStart(now, rules.period));
    if (used >= limit) throw quotaError(rules, plan, action, limit, used, now);
  }
  await tx.insert(usageTracking).values({ userId, actionType: action, metadata: options.metadata ?? {} });
}

/**
 * Gives back a use recorded earlier (the usage row whose metadata contains `metadata`), for work that was
 * paid for up front and then could not be done. Returns how many rows were removed (0 or 1).
 */
export async function refundQuota(tx: Tx, userId: string, action: UsageAction, metadata: Record<string, string>) {
  const removed = await tx
    .delete(usageTracking)
    .where(
      and(
        eq(usageTracking.userId, userId),
        eq(usageTracking.actionType, action),
        sql`${usageTracking.metadata} @> ${JSON.stringify(metadata)}::jsonb`,
      ),
    )
    .returning({ id: usageTracking.id });
  return removed.length;
}

function quotaError(rules: PlanRules, plan: PlanName, action: UsageAction, limit: number, used: number, now: Date) {
  return new AppError('QUOTA_EXCEEDED', {
    details: {
      action,
      plan,
      limit,
      used,
      period: rules.period,
      resetsAt: usageResetsAt(now, rules.period).toISOString(),
      upgradeTo: upgradesFor(rules, plan, action),
    },
  });
}

export type UsageLine = { action: UsageAction; used: number; limit: number | null; resetsAt: Date };

/** This period's use of every metered action against the user's plan. */
export async function usageSummary(tx: Tx, rules: PlanRules, userId: string, now = new Date()) {
  const { plan, admin } = await planOf(tx, userId);
  const since = usagePeriodStart(now, rules.period);
  const rows = await tx
    .select({ action: usageTracking.actionType, n: sql<number>`count(*)::int` })
    .from(usageTracking)
    .where(and(eq(usageTracking.userId, userId), gte(usageTracking.createdAt, since)))
    .groupBy(usageTracking.actionType);
  const used = new Map(rows.map((r) => [r.action, Number(r.n)]));
  const resetsAt = usageResetsAt(now, rules.period);
  return {
    plan,
    period: rules.period,
    periodStart: since,
    actions: USAGE_ACTIONS.map(
      (action): UsageLine => ({
        action,
        used: used.get(action) ?? 0,
        limit: admin ? null : planLimit(rules, plan, action),
        resetsAt,
      }),
    ),
  };
}
