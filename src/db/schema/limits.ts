/**
 * Counters that every API node must share (docs/decisions/024-shared-state-for-many-nodes.md): in the
 * database, not in a process, so a limit holds however many nodes the requests are spread over.
 */
import { index, integer, pgTable, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id, timestamptz } from './columns.ts';
import { users } from './users.ts';

/**
 * Per-IP request counters of @fastify/rate-limit (src/http/rate-limit-store.ts): one row per route and
 * client, a fixed window each. UNLOGGED (set in the migration): a crash may reset the counters, which
 * costs an attacker's next window nothing worth a WAL write per sign-in attempt. The key is a hash: the
 * table holds no IP addresses.
 */
export const rateLimitCounters = pgTable('rate_limit_counters', {
  key: varchar('key', { length: 64 }).primaryKey(),
  hits: integer('hits').notNull(),
  resetAt: timestamptz('reset_at').notNull(),
});

/**
 * One row per admitted CV read (src/modules/cvs/limits.ts): uploads in the last minute and reads still
 * running, per user, across nodes. A read that never finishes (its node died) stops counting after a lease.
 */
export const cvParses = pgTable(
  'cv_parses',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    startedAt: createdAt('started_at'),
    finishedAt: timestamptz('finished_at'),
  },
  (t) => [index('idx_cv_parses_user').on(t.userId, t.startedAt)],
);
