/**
 * A @fastify/rate-limit store on the application's database, so a per-IP limit holds across every API
 * node (docs/decisions/024-shared-state-for-many-nodes.md). One statement per counted request: an upsert
 * on the UNLOGGED rate_limit_counters table that starts a new fixed window when the old one has passed.
 * Autocommit, no session state: it behaves the same behind PgBouncer's transaction pooling and on PGlite.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/client.ts';

type Result = { current: number; ttl: number };
type Callback = (err: Error | null, result?: Result) => void;
// What the plugin passes to child() (its types omit routeInfo; its own Redis store reads it the same way).
type RouteOptions = object & { routeInfo?: { method: string; url: string } };

/** `key`: the route and the client, hashed, so the table holds no IP addresses. */
export async function countHit(db: Db, key: string, windowMs: number): Promise<Result> {
  const hashed = createHash('sha256').update(key).digest('hex');
  const [row] = rowsOf<{ hits: number; ttl: number }>(
    await db.execute(sql`insert into rate_limit_counters as c (key, hits, reset_at)
      values (${hashed}, 1, now() + ${windowMs} * interval '1 millisecond')
      on conflict (key) do update set
        hits = case when c.reset_at <= now() then 1 else c.hits + 1 end,
        reset_at = case when c.reset_at <= now() then excluded.reset_at else c.reset_at end
      returning hits, greatest(0, ceil(extract(epoch from (reset_at - now())) * 1000))::int as ttl`),
  );
  if (!row) throw new Error('rate limit counter not written');
  return { current: Number(row.hits), ttl: Number(row.ttl) };
}

/** The store class @fastify/rate-limit instantiates (`store` option), bound to a database. */
export function databaseRateLimitStore(db: Db) {
  return class DatabaseRateLimitStore {
    constructor(
      _globalParams?: unknown,
      private readonly prefix = '',
    ) {}

    incr(key: string, callback: Callback, timeWindow: number): void {
      countHit(db, `${this.prefix}${key}`, timeWindow).then(
        (result) => callback(null, result),
        (err: Error) => callback(err),
      );
    }

    child(routeOptions: RouteOptions) {
      const route = routeOptions.routeInfo;
      return new DatabaseRateLimitStore(undefined, route ? `${route.method} ${route.url} ` : '');
    }
  };
}
