/**
 * Read replicas (DATABASE_REPLICA_URLS) for catalogue reads that tolerate a little lag: job search
 * with its facets and a job's public detail. Everything else (a user's own data, every unit of work,
 * every write) stays on the primary, so a user always reads what they just wrote.
 *
 * Each replica is checked in the background every `checkIntervalMs` (never per request): a replica
 * that does not answer, or whose replay lags more than `maxLagMs`, is skipped until a later check
 * finds it fit again. A read routed to a replica that dies between two checks is marked down at once
 * and re-run on the primary (reads are idempotent), so a stopped replica costs no failed request.
 * See docs/decisions/019-read-replicas.md.
 */
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { isDatabaseUnavailable, pgError } from '../lib/db-errors.ts';
import { type Database, type Db, openPostgres, rowsOf } from './client.ts';

export type ReplicaOptions = {
  urls: string[];
  /** A replica whose replay is further behind than this is skipped. */
  maxLagMs: number;
  checkIntervalMs: number;
};

export type ReplicaStatus = {
  /** host:port/database: bounded and free of credentials (a metric label). */
  name: string;
  healthy: boolean;
  /** Replay lag at the last check; null while the replica does not answer. */
  lagMs: number | null;
};

export type ReplicaRouter = {
  /** Runs a lag-tolerant read on a healthy replica (round robin), else on the primary. */
  read<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  status(): ReplicaStatus[];
  /** Checks every replica now (the timer does this every checkIntervalMs). */
  check(): Promise<void>;
  close(): Promise<void>;
};

type Replica = ReplicaStatus & { database: Database };

/** The replica's name for logs and metrics: no user or password. */
export function replicaName(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
}

/**
 * Replay lag in milliseconds. Caught up with all the WAL it has received: 0 (an idle primary sends
 * nothing, and `now() - pg_last_xact_replay_timestamp()` would grow without any real lag). Otherwise
 * the age of the last transaction it replayed: an upper bound of how stale its reads are.
 */
const lagQuery = sql`select case
    when not pg_is_in_recovery() then 0
    when pg_last_wal_receive_lsn() is not distinct from pg_last_wal_replay_lsn() then 0
    else coalesce(extract(epoch from clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000, 'Infinity')
  end::float8 as lag_ms`;

/** Conflicts with recovery cancel a replica's query with 40001: the primary answers instead. */
const retryOnPrimary = (err: unknown) => isDatabaseUnavailable(err) || pgError(err)?.code === '40001';

export function replicaRouter(
  primary: Database,
  replicas: Array<{ name: string; database: Database }>,
  options: Pick<ReplicaOptions, 'maxLagMs' | 'checkIntervalMs'>,
  logger?: Logger,
): ReplicaRouter {
  const all: Replica[] = replicas.map((r) => ({ ...r, healthy: false, lagMs: null }));
  let next = 0;

  function mark(replica: Replica, healthy: boolean, lagMs: number | null, reason?: string): void {
    if (replica.healthy !== healthy) {
      const entry = { replica: replica.name, lagMs, reason };
      if (healthy) logger?.info(entry, 'read replica in use');
      else logger?.warn(entry, 'read replica skipped');
    }
    replica.healthy = healthy;
    replica.lagMs = lagMs;
  }

  async function checkOne(replica: Replica): Promise<void> {
    try {
      const [row] = rowsOf<{ lag_ms: number }>(await replica.database.db.execute(lagQuery));
      const lagMs = Number(row?.lag_ms ?? Number.POSITIVE_INFINITY);
      mark(replica, lagMs <= options.maxLagMs, lagMs, lagMs <= options.maxLagMs ? undefined : 'lagging');
    } catch (err) {
      mark(replica, false, null, (err as Error).message);
    }
  }

  let checking: Promise<void> | undefined;
  const check = () => {
    checking ??= Promise.all(all.map(checkOne)).then(() => {
      checking = undefined;
    });
    return checking;
  };
  const timer = all.length > 0 ? setInterval(() => void check(), options.checkIntervalMs) : undefined;
  timer?.unref();

  function pick(): Replica | undefined {
    const healthy = all.filter((r) => r.healthy);
    if (healthy.length === 0) return undefined;
    next = (next + 1) % healthy.length;
    return healthy[next];
  }

  return {
    async read(fn) {
      const replica = pick();
      if (!replica) return fn(primary.db);
      try {
        return await fn(replica.database.db);
      } catch (err) {
        if (!retryOnPrimary(err)) throw err;
        if (isDatabaseUnavailable(err)) mark(replica, false, null, (err as Error).message);
        return fn(primary.db);
      }
    },
    status: () => all.map(({ name, healthy, lagMs }) => ({ name, healthy, lagMs })),
    check,
    async close() {
      if (timer) clearInterval(timer);
      await checking;
      await Promise.all(all.map((r) => r.database.close()));
    },
  };
}

/**
 * The primary with its replicas attached (PostgreSQL only; the embedded database has none). Checks
 * the replicas once before returning, so the first requests already use the fit ones.
 */
export async function withReplicas(
  primary: Database,
  config: Pick<Config, 'pool' | 'replicas'>,
  logger?: Logger,
): Promise<Database> {
  if (primary.kind !== 'postgres' || config.replicas.urls.length === 0) return primary;
  const replicas = config.replicas.urls.map((url) => ({
    name: replicaName(url),
    // A replica that does not answer must not hold a request for the primary's full connect time-out.
    database: openPostgres(
      url,
      { ...config.pool, connectTimeoutMs: Math.min(config.pool.connectTimeoutMs, 1000) },
      logger,
      'jobr-replica',
    ),
  }));
  const router = replicaRouter(primary, replicas, config.replicas, logger);
  await router.check();
  return {
    ...primary,
    replicas: router,
    close: async () => {
      await router.close();
      await primary.close();
    },
  };
}

/** A catalogue read that tolerates lag: on a replica when one is fit, else on the primary. */
export function catalogueRead<T>(database: Database, fn: (db: Db) => Promise<T>): Promise<T> {
  return database.replicas ? database.replicas.read(fn) : fn(database.db);
}
