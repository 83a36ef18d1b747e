/**
 * The only reader of process.env. Everything else receives a typed Config.
 * A bad value stops start-up with a message naming the variable.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { CURRENCIES, USAGE_ACTIONS } from './db/schema/billing.ts';
import { PLANS } from './db/schema/users.ts';
import { DEFAULT_PLAN_LIMITS, type PlanLimits, type PlanRules, USAGE_PERIODS } from './modules/plans/plans.ts';

export const OAUTH_PROVIDERS = ['google', 'replit'] as const;
export type OAuthProviderName = (typeof OAUTH_PROVIDERS)[number];

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** `a, b,c` -> ['a', 'b', 'c']. */
const commaList = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  );

/** A JSON object in one variable; invalid JSON is an issue on that variable, like any other bad value. */
const json = z.string().transform((v, ctx) => {
  try {
    return JSON.parse(v) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be JSON' });
    return z.NEVER;
  }
});

/** PLAN_LIMITS: `{"Free": {"cover_letter_generated": 5}, "Premium": {"ai_match": null}}` (null: unlimited). */
const planLimitsOverride = z
  .object(
    Object.fromEntries(
      PLANS.map((plan) => [
        plan,
        z
          .object(Object.fromEntries(USAGE_ACTIONS.map((a) => [a, z.number().int().min(0).nullable().optional()])))
          .strict()
          .optional(),
      ]),
    ),
  )
  .strict();

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Public origin used in links (verification e-mails, OAuth redirects). */
  PUBLIC_URL: z.url().optional(),

  /** Unset: embedded PGlite in DATA_DIR. Set: a PostgreSQL server. */
  DATABASE_URL: z.url().optional(),
  /** Owner connection used for migrations; defaults to DATABASE_URL. */
  MIGRATION_DATABASE_URL: z.url().optional(),
  /** Read replicas (comma-separated URLs) for catalogue search and job detail; ignored by the embedded database. */
  DATABASE_REPLICA_URLS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url())),
  /** A replica whose replay lags more than this is skipped until it catches up. */
  DATABASE_REPLICA_MAX_LAG_MS: int(0, 3_600_000).default(5_000),
  /** How often each replica's health and lag are checked (never per request). */
  DATABASE_REPLICA_CHECK_MS: int(100, 600_000).default(2_000),
  DATA_DIR: z.string().min(1).default('./data'),
  /**
   * Embedded database: let V8 optimise PGlite's hot WebAssembly functions (TurboFan). Faster under
   * sustained load, ~65 MB more resident memory (docs/operations.md, "Embedded mode's memory").
   */
  EMBEDDED_WASM_OPTIMIZE: bool.default(false),
  DB_POOL_MAX: int(1, 1000).default(20),
  /**
   * Connections opened (and warmed with a search) at start and never closed for idleness: a new
   * connection's first search costs several times a warm one's (docs/operations.md).
   */
  DB_POOL_MIN: int(0, 1000).default(4),
  /** Idle connections above DB_POOL_MIN close after this long (0: never). */
  DB_IDLE_TIMEOUT_MS: int(0, 3_600_000).default(600_000),
  /**
   * GET /jobs pages kept in memory per process while the catalogue is unchanged (0: off). See
   * docs/decisions/020-search-at-scale.md, 8.
   */
  SEARCH_CACHE_PAGES: int(0, 100_000).default(500),
  /**
   * GET /jobs searches computed at once per process (0: no limit); the others wait their turn. About the
   * database server's cores divided among the processes that search it. Decision 020, 10.
   */
  SEARCH_CONCURRENCY: int(0, 1000).default(4),
  /**
   * Named prepared statements for the hot reads (a job by id). Set false behind PgBouncer < 1.21 in
   * transaction mode, which cannot route them.
   */
  DATABASE_PREPARED_STATEMENTS: bool.default(true),
  DB_CONNECT_TIMEOUT_MS: int(1, 600_000).default(2_000),
  /** Statement timeout for application queries, so one slow query cannot hold a connection forever. */
  DB_STATEMENT_TIMEOUT_MS: int(0, 3_600_000).default(15_000),
  /** Migrate on start (always on for PGlite; for PostgreSQL production prefer `npm run db:migrate`). */
  DB_MIGRATE_ON_START: bool.optional(),
  /** Seed demo jobs when the catalogue is empty at start-up. */
  SEED_DEMO_DATA: bool.optional(),

  /** The first administrator, created by `jobr seed` / `jobr admin create`. */
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12).optional(),
  ADMIN_NAME: z.string().min(1).max(255).default('Administrator'),

  SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(10_000),
  /**
   * HTTP worker processes (node:cluster) sharing the port: a number, or `auto` for one per CPU core.
   * Above 1 only with DATABASE_URL: the embedded database admits one process per data folder.
   */
  JOBR_WORKERS: z.union([z.literal('auto'), int(1, 64)]).default(1),

  /** Per-IP limit on sign-in, registration, verification and reset endpoints: requests per window. */
  AUTH_RATE_LIMIT_MAX: int(1, 100_000).default(10),
  AUTH_RATE_LIMIT_WINDOW_MS: int(1000, 86_400_000).default(60_000),
  /** Plans whose users may create API keys (administrators always may). */
  API_KEY_PLANS: z
    .string()
    .default('Premium,Enterprise')
    .transform((v) =>
      v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(PLANS))),
  /**
   * Per-plan limits of the metered actions, JSON, merged over the defaults (README "Plans and limits"):
   * `{"Free": {"cover_letter_generated": 5}}`; a number (0 or more) per period, or null for unlimited.
   */
  PLAN_LIMITS: json.pipe(planLimitsOverride).optional(),
  /** How long a usage period is: the limits count per UTC day, week (from Monday) or calendar month. */
  PLAN_PERIOD: z.enum(USAGE_PERIODS).default('month'),

  /** E-mail delivery. Unset: messages stay in the outbox, viewable with `jobr outbox list`. */
  SMTP_URL: z.url().optional().meta({ description: 'smtp://user:pass@host:587 or smtps://...' }),
  MAIL_FROM: z.string().min(3).default('Jobr <no-reply@jobr.localhost>'),
  /** SMS delivery: Jobr POSTs { to, body } as JSON, signed with SMS_WEBHOOK_SECRET. Unset: kept in the outbox. */
  SMS_WEBHOOK_URL: z.url().optional(),
  SMS_WEBHOOK_SECRET: z.string().min(16).optional(),

  /** Sign in with Google / Replit (OpenID Connect). A provider is offered when its client id and secret are set. */
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  GOOGLE_ISSUER: z.url().default('https://accounts.google.com'),
  REPLIT_CLIENT_ID: z.string().min(1).optional(),
  REPLIT_CLIENT_SECRET: z.string().min(1).optional(),
  REPLIT_ISSUER: z.url().default('https://replit.com/oidc'),
  /** Signs short-lived OAuth cookies (state, PKCE). 32+ characters; unset: random per process. */
  COOKIE_SECRET: z.string().min(32).optional(),

  /** Where uploaded files (CVs) are kept. Default: DATA_DIR/files. */
  FILE_STORAGE_DIR: z.string().min(1).optional(),
  /** Where uploaded files live: `database` (shared by every API node) or `disk` (FILE_STORAGE_DIR). */
  STORAGE: z.enum(['database', 'disk']).optional(),
  // GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`; unset: open outside production, 404 in it.
  METRICS_TOKEN: z.string().min(16).optional(),
  // Folder of pg_dump/pg_restore for `jobr backup`/`jobr restore` (e.g. /usr/lib/postgresql/15/bin); else PATH.
  PG_BIN_DIR: z.string().min(1).optional(),
  /**
   * Working year per currency for turning hourly, daily and weekly pay into yearly figures, e.g.
   * {"EUR":{"hours":1820},"INR":{"days":260}}; currencies and fields not given keep their defaults (docs/jobs.md).
   */
  SALARY_WORK_YEARS: json
    .pipe(
      z.partialRecord(
        z.enum(CURRENCIES),
        z.strictObject({ hours: int(1, 8784), days: int(1, 366), weeks: int(1, 53) }).partial(),
      ),
    )
    .default({}),
  /** CV reading (issue 11 item 6): files waiting for a parse worker before uploads answer 503 + Retry-After. */
  CV_PARSE_QUEUE_MAX: int(0, 10_000).default(8),
  /** CVs one user may have being read at once; more answer 429. */
  CV_PARSES_PER_USER: int(1, 100).default(2),
  /** CV uploads one user may start per minute; more answer 429 with Retry-After. */
  CV_UPLOADS_PER_MINUTE: int(1, 100_000).default(20),
  /** How long reading a scanned PDF by OCR may take in all (ms); 0 turns OCR off (scans answer 422 CV_NO_TEXT). */
  CV_OCR_TIMEOUT_MS: int(0, 600_000).default(60_000),
  /** Largest job file POST /jobs/import accepts (the CLI has no limit: it streams from disk). */
  IMPORT_MAX_BYTES: int(1024, 10 * 1024 * 1024 * 1024).default(50 * 1024 * 1024),
  /** Private addresses or CIDR ranges that import-url may fetch anyway (an intranet job board). */
  FETCH_ALLOWED_ADDRESSES: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()]))),

  /** Run periodic background tasks (retention, archival, outbox) inside the server process. */
  TASKS_ENABLED: bool.optional(),
  RETENTION_SESSION_GRACE_DAYS: int(0, 3650).default(7),
  RETENTION_USAGE_DAYS: int(1, 36500).default(365),
  RETENTION_ARCHIVED_HISTORY_DAYS: int(1, 36500).default(730),
  /** Finished applications (accepted or rejected) untouched this long move to applications_archive. */
  ARCHIVE_AFTER_DAYS: int(1, 36500).default(365),

  /** Billing (docs/billing.md). Stripe is offered when STRIPE_SECRET_KEY is set, PhonePe when PHONEPE_CLIENT_ID is. */
  STRIPE_SECRET_KEY: z.string().min(8).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(8).optional(),
  /**
   * Stripe price ids per plan, currency and interval (`month` when left out):
   * `Premium:USD=price_1,Premium:USD:year=price_2,Premium:INR=price_3,Enterprise:USD=price_4`.
   */
  STRIPE_PRICES: commaList.pipe(
    z.array(
      z
        .string()
        .regex(/^(Premium|Enterprise):(USD|INR)(:(month|year))?=[A-Za-z0-9_]+$/, 'Plan:CURRENCY[:interval]=price_id'),
    ),
  ),
  /** Where the Stripe API is (tests point it at a local fake). */
  STRIPE_API_URL: z.url().default('https://api.stripe.com'),
  PHONEPE_CLIENT_ID: z.string().min(1).optional(),
  PHONEPE_CLIENT_SECRET: z.string().min(1).optional(),
  PHONEPE_CLIENT_VERSION: z.string().min(1).default('1'),
  PHONEPE_ENV: z.enum(['sandbox', 'production']).default('sandbox'),
  /** Override the PhonePe payment-gateway and OAuth base URLs (tests point them at a local fake). */
  PHONEPE_API_URL: z.url().optional(),
  PHONEPE_AUTH_URL: z.url().optional(),
  /**
   * What PhonePe charges, in paise, per plan and interval, when it differs from the plan catalogue
   * (src/modules/plans/plans.ts): `Premium:month=49900,Premium:year=499000`.
   */
  PHONEPE_PRICES: commaList.pipe(
    z.array(z.string().regex(/^(Premium|Enterprise):(month|year)=[1-9][0-9]{2,8}$/, 'Plan:interval=paise')),
  ),
  /** The username and password set for the webhook in the PhonePe dashboard (callbacks carry SHA256(username:password)). */
  PHONEPE_WEBHOOK_USERNAME: z.string().min(1).optional(),
  PHONEPE_WEBHOOK_PASSWORD: z.string().min(1).optional(),
  /** Days a past-due subscription keeps its plan before the user falls back to Free. */
  BILLING_GRACE_DAYS: int(0, 60).default(7),
  /** Time limit of one call to a payment provider. */
  BILLING_PROVIDER_TIMEOUT_MS: int(100, 120_000).default(10_000),
  /** Optional OpenAI-compatible server (OpenAI, Ollama, LM Studio, vLLM) that writes cover letters. */
  LLM_BASE_URL: z.url().optional(),
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_MODEL: z.string().min(1).max(200).default('gpt-4o-mini'),
  LLM_TIMEOUT_MS: int(100, 600_000).default(30_000),
});

export type StripeConfig = {
  secretKey: string;
  webhookSecret?: string;
  /** `${plan}:${currency}:${interval}` -> Stripe price id. */
  prices: Record<string, string>;
  apiUrl: string;
};
export type PhonePeConfig = {
  clientId: string;
  clientSecret: string;
  clientVersion: string;
  apiUrl: string;
  authUrl: string;
  webhookUsername?: string;
  webhookPassword?: string;
  /** `${plan}:${interval}` -> paise, where configured (otherwise the catalogue's INR price). */
  amounts: Record<string, number>;
};

export type Config = {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  publicUrl: string;
  database:
    | { kind: 'pglite'; dataDir: string; optimize: boolean }
    | { kind: 'postgres'; url: string; migrationUrl: string };
  pool: {
    max: number;
    /** Kept open and warmed (default none). */
    min?: number;
    idleTimeoutMs: number;
    connectTimeoutMs: number;
    statementTimeoutMs: number;
    /** Named prepared statements (default on). */
    preparedStatements?: boolean;
  };
  replicas: { urls: string[]; maxLagMs: number; checkIntervalMs: number };
  migrateOnStart: boolean;
  seedDemoData: boolean;
  admin: { email?: string; password?: string; name: string };
  shutdownTimeoutMs: number;
  /** GET /jobs pages kept per process while the catalogue is unchanged; 0: none. */
  searchCachePages: number;
  searchConcurrency: number;
  /** HTTP worker processes; 1: the server runs in this process (src/cluster.ts). */
  workers: number;
  authRateLimit: { max: number; windowMs: number };
  /** What each plan allows: limits per period, the period, API keys (PLAN_LIMITS, PLAN_PERIOD, API_KEY_PLANS). */
  plans: PlanRules;
  tasksEnabled: boolean;
  mail: { smtpUrl?: string; from: string };
  sms: { webhookUrl?: string; webhookSecret?: string };
  oauth: Partial<Record<OAuthProviderName, { clientId: string; clientSecret: string; issuer: string }>>;
  cookieSecret: string;
  fileStorageDir: string;
  /** Default: `database` on PostgreSQL (any node reads any file), `disk` on the embedded database. */
  storage: 'database' | 'disk';
  metricsToken: string | undefined;
  pgBinDir: string | undefined;
  importMaxBytes: number;
  salaryWorkYears: Partial<
    Record<(typeof CURRENCIES)[number], Partial<{ hours: number; days: number; weeks: number }>>
  >;
  cvLimits: { queueMax: number; parsesPerUser: number; uploadsPerMinute: number; ocrTimeoutMs: number };
  fetchAllowedAddresses: string[];
  retention: { sessionGraceDays: number; usageDays: number; archivedHistoryDays: number; archiveAfterDays: number };
  billing: { graceDays: number; providerTimeoutMs: number; stripe?: StripeConfig; phonepe?: PhonePeConfig };
  /** Unset: cover letters are written by the built-in template writer only. */
  llm?: { baseUrl: string; apiKey?: string | undefined; model: string; timeoutMs: number };
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings in .env files mean "unset", not "invalid".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(
      `Invalid configuration:\n${lines.join('\n')}\nFix the variables above (see README "Configuration").`,
    );
  }
  const e = parsed.data;
  // A random per-process secret breaks OAuth flows that land on another instance or after a restart.
  if (e.NODE_ENV === 'production' && !e.COOKIE_SECRET && (e.GOOGLE_CLIENT_ID || e.REPLIT_CLIENT_ID)) {
    throw new ConfigError(
      'Invalid configuration:\n  COOKIE_SECRET: required in production when an OAuth provider is configured (at least 32 characters).',
    );
  }
  if (e.NODE_ENV === 'production' && e.STRIPE_SECRET_KEY && !e.STRIPE_WEBHOOK_SECRET) {
    throw new ConfigError(
      'Invalid configuration:\n  STRIPE_WEBHOOK_SECRET: required in production when STRIPE_SECRET_KEY is set.',
    );
  }
  if (e.PHONEPE_CLIENT_ID && !e.PHONEPE_CLIENT_SECRET) {
    throw new ConfigError('Invalid configuration:\n  PHONEPE_CLIENT_SECRET: required when PHONEPE_CLIENT_ID is set.');
  }
  if (
    e.NODE_ENV === 'production' &&
    e.PHONEPE_CLIENT_ID &&
    !(e.PHONEPE_WEBHOOK_USERNAME && e.PHONEPE_WEBHOOK_PASSWORD)
  ) {
    throw new ConfigError(
      'Invalid configuration:\n  PHONEPE_WEBHOOK_USERNAME, PHONEPE_WEBHOOK_PASSWORD: required in production when PHONEPE_CLIENT_ID is set.',
    );
  }
  const phonepeBase =
    e.PHONEPE_ENV === 'production'
      ? { api: 'https://api.phonepe.com/apis/pg', auth: 'https://api.phonepe.com/apis/identity-manager' }
      : {
          api: 'https://api-preprod.phonepe.com/apis/pg-sandbox',
          auth: 'https://api-preprod.phonepe.com/apis/pg-sandbox',
        };
  const url = e.DATABASE_URL;
  const workers = e.JOBR_WORKERS === 'auto' ? availableParallelism() : e.JOBR_WORKERS;
  if (workers > 1 && !url) {
    throw new ConfigError(
      `Invalid configuration:\n  JOBR_WORKERS: ${e.JOBR_WORKERS} workers need DATABASE_URL; the embedded database admits one process per data folder (leave JOBR_WORKERS at 1, or use PostgreSQL).`,
    );
  }
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    database: url
      ? { kind: 'postgres', url, migrationUrl: e.MIGRATION_DATABASE_URL ?? url }
      : { kind: 'pglite', dataDir: e.DATA_DIR, optimize: e.EMBEDDED_WASM_OPTIMIZE },
    pool: {
      max: e.DB_POOL_MAX,
      min: Math.min(e.DB_POOL_MIN, e.DB_POOL_MAX),
      preparedStatements: e.DATABASE_PREPARED_STATEMENTS,
      idleTimeoutMs: e.DB_IDLE_TIMEOUT_MS,
      connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    },
    replicas: {
      urls: url ? e.DATABASE_REPLICA_URLS : [],
      maxLagMs: e.DATABASE_REPLICA_MAX_LAG_MS,
      checkIntervalMs: e.DATABASE_REPLICA_CHECK_MS,
    },
    migrateOnStart: e.DB_MIGRATE_ON_START ?? (url === undefined || e.NODE_ENV !== 'production'),
    seedDemoData: e.SEED_DEMO_DATA ?? e.NODE_ENV !== 'production',
    admin: { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD, name: e.ADMIN_NAME },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    workers,
    searchCachePages: e.SEARCH_CACHE_PAGES,
    searchConcurrency: e.SEARCH_CONCURRENCY,
    authRateLimit: { max: e.AUTH_RATE_LIMIT_MAX, windowMs: e.AUTH_RATE_LIMIT_WINDOW_MS },
    plans: { limits: mergeLimits(e.PLAN_LIMITS), period: e.PLAN_PERIOD, apiKeys: e.API_KEY_PLANS },
    fileStorageDir: e.FILE_STORAGE_DIR ?? join(e.DATA_DIR, 'files'),
    storage: e.STORAGE ?? (url ? 'database' : 'disk'),
    metricsToken: e.METRICS_TOKEN,
    pgBinDir: e.PG_BIN_DIR,
    importMaxBytes: e.IMPORT_MAX_BYTES,
    salaryWorkYears: e.SALARY_WORK_YEARS,
    cvLimits: {
      queueMax: e.CV_PARSE_QUEUE_MAX,
      parsesPerUser: e.CV_PARSES_PER_USER,
      uploadsPerMinute: e.CV_UPLOADS_PER_MINUTE,
      ocrTimeoutMs: e.CV_OCR_TIMEOUT_MS,
    },
    fetchAllowedAddresses: e.FETCH_ALLOWED_ADDRESSES,
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    sms: { webhookUrl: e.SMS_WEBHOOK_URL, webhookSecret: e.SMS_WEBHOOK_SECRET },
    oauth: {
      ...(e.GOOGLE_CLIENT_ID && e.GOOGLE_CLIENT_SECRET
        ? { google: { clientId: e.GOOGLE_CLIENT_ID, clientSecret: e.GOOGLE_CLIENT_SECRET, issuer: e.GOOGLE_ISSUER } }
        : {}),
      ...(e.REPLIT_CLIENT_ID && e.REPLIT_CLIENT_SECRET
        ? { replit: { clientId: e.REPLIT_CLIENT_ID, clientSecret: e.REPLIT_CLIENT_SECRET, issuer: e.REPLIT_ISSUER } }
        : {}),
    },
    cookieSecret: e.COOKIE_SECRET ?? randomBytes(32).toString('base64url'),
    tasksEnabled: e.TASKS_ENABLED ?? e.NODE_ENV !== 'test',
    retention: {
      sessionGraceDays: e.RETENTION_SESSION_GRACE_DAYS,
      usageDays: e.RETENTION_USAGE_DAYS,
      archivedHistoryDays: e.RETENTION_ARCHIVED_HISTORY_DAYS,
      archiveAfterDays: e.ARCHIVE_AFTER_DAYS,
    },
    billing: {
      graceDays: e.BILLING_GRACE_DAYS,
      providerTimeoutMs: e.BILLING_PROVIDER_TIMEOUT_MS,
      ...(e.STRIPE_SECRET_KEY
        ? {
            stripe: {
              secretKey: e.STRIPE_SECRET_KEY,
              webhookSecret: e.STRIPE_WEBHOOK_SECRET,
              prices: Object.fromEntries(
                e.STRIPE_PRICES.map((p) => {
                  const [key = '', id = ''] = p.split('=');
                  return [key.split(':').length === 2 ? `${key}:month` : key, id];
                }),
              ),
              apiUrl: e.STRIPE_API_URL,
            },
          }
        : {}),
      ...(e.PHONEPE_CLIENT_ID && e.PHONEPE_CLIENT_SECRET
        ? {
            phonepe: {
              clientId: e.PHONEPE_CLIENT_ID,
              clientSecret: e.PHONEPE_CLIENT_SECRET,
              clientVersion: e.PHONEPE_CLIENT_VERSION,
              apiUrl: e.PHONEPE_API_URL ?? phonepeBase.api,
              authUrl: e.PHONEPE_AUTH_URL ?? phonepeBase.auth,
              webhookUsername: e.PHONEPE_WEBHOOK_USERNAME,
              webhookPassword: e.PHONEPE_WEBHOOK_PASSWORD,
              amounts: Object.fromEntries(
                e.PHONEPE_PRICES.map((p) => {
                  const [key = '', paise = ''] = p.split('=');
                  return [key, Number(paise)];
                }),
              ),
            },
          }
        : {}),
    },
    ...(e.LLM_BASE_URL
      ? { llm: { baseUrl: e.LLM_BASE_URL, apiKey: e.LLM_API_KEY, model: e.LLM_MODEL, timeoutMs: e.LLM_TIMEOUT_MS } }
      : {}),
  };
}

function mergeLimits(override: z.infer<typeof planLimitsOverride> | undefined): PlanLimits {
  return Object.fromEntries(
    PLANS.map((plan) => [
      plan,
      Object.fromEntries(
        USAGE_ACTIONS.map((action) => {
          const configured = override?.[plan]?.[action];
          return [action, configured === undefined ? DEFAULT_PLAN_LIMITS[plan][action] : configured];
        }),
      ),
    ]),
  ) as PlanLimits;
}
