import { DomainError, StorageFullError, StoreUnavailableError } from '../common/domain-error';

/**
 * Driver errors that mean the database (its server, file or disk) is failing, as domain errors.
 * Anything else — a syntax error, a constraint we did not expect — is ours and is left as it is.
 */
export type StoreFailure = StoreUnavailableError | StorageFullError;

const unavailable = (why: string, cause: unknown) => new StoreUnavailableError(`The database ${why}; try again shortly.`, { cause });
const full = (cause: unknown) => new StorageFullError('The database has no room left for the write.', { cause });

/** Socket-level failures as Node and pg report them. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/** pg and pg-pool failures that carry no code, only a message. */
const PG_CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|Client was closed|Cannot use a pool after calling end/i;

export function postgresFailure(error: unknown): StoreFailure | undefined {
  if (error instanceof StoreUnavailableError || error instanceof StorageFullError) return error;
  if (error instanceof DomainError) return undefined;
  const code = codeOf(error);
  if (code === '53100') return full(error);
  if (code === '25006') return unavailable('is read-only', error);
  if (code === '57014' || code === '55P03') return unavailable('did not answer in time', error);
  // Classes 08 connection exception, 53 insufficient resources, 57 operator intervention, 58 system error.
  if (code !== undefined && /^(08|53|57|58)[0-9A-Z]{3}$/.test(code)) return unavailable('is not available', error);
  if (code !== undefined && NETWORK_CODES.has(code)) return unavailable('cannot be reached', error);
  if (PG_CONNECTION_MESSAGES.test(messageOf(error))) return unavailable('cannot be reached or did not answer in time', error);
  return undefined;
}

export function sqliteFailure(error: unknown): StoreFailure | undefined {
  if (error instanceof StoreUnavailableError || error instanceof StorageFullError) return error;
  if (error instanceof DomainError) return undefined;
  const code = codeOf(error) ?? '';
  if (code === 'SQLITE_FULL') return full(error);
  if (/^SQLITE_READONLY(_|$)/.test(code)) return unavailable('is read-only', error);
  if (/^SQLITE_BUSY(_|$)/.test(code)) return unavailable('is busy', error);
  if (/^SQLITE_(CANTOPEN|IOERR|CORRUPT|NOTADB|NOMEM)(_|$)/.test(code)) return unavailable('file cannot be used', error);
  // better-sqlite3 throws a plain TypeError once the connection is closed.
  if (/database connection is not open/i.test(messageOf(error))) return unavailable('connection is closed', error);
  return undefined;
}

/**
 * Whether a statement that succeeded shows the database takes writes again, and so ends an outage:
 * a plain SELECT does not (reads keep working on a full or read-only database).
 */
export function provesWrites(sql: string): boolean {
  return !/^\s*SELECT\b/i.test(sql);
}

function codeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
