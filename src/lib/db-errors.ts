/** Classify errors from `pg`, PGlite and Drizzle (which wraps them in `cause`). */

type WithCode = { code?: unknown; message?: unknown; constraint?: unknown; cause?: unknown };

function* causeChain(err: unknown): Generator<WithCode> {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    yield current as WithCode;
    current = (current as WithCode).cause;
  }
}

const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
// SQLSTATE classes 08 (connection exception), 57P0x (operator intervention: admin or crash shutdown,
// cannot connect now, pg_terminate_backend), 53300 (too many connections).
const connectionSqlState = /^(08|57P0|53300$)/;
// Messages of `pg` and PGlite for a connection that is gone (they carry no code).
const connectionMessages =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|not queryable|PGlite is closed/i;

export function isDatabaseUnavailable(err: unknown): boolean {
  for (const e of causeChain(err)) {
    if (typeof e.code === 'string' && (connectionCodes.has(e.code) || connectionSqlState.test(e.code))) return true;
    if (typeof e.message === 'string' && connectionMessages.test(e.message)) return true;
  }
  return false;
}

/** The PostgreSQL error (SQLSTATE + constraint name) behind a Drizzle error, if any. */
export function pgError(err: unknown): { code: string; constraint?: string } | undefined {
  for (const e of causeChain(err)) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
      return { code: e.code, constraint: typeof e.constraint === 'string' ? e.constraint : undefined };
    }
  }
  return undefined;
}

export const isUniqueViolation = (err: unknown, constraint?: string) => {
  const e = pgError(err);
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
};
