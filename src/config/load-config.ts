import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { CronTime } from 'cron';
import { AppConfig, AuthMode, DatabaseLimits, DatabaseLocation, JobSchedule, LlmProvider, LogFormat, LogLevel, StreamUsageMode } from './app-config';

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads `.env` (when present) into process.env without overriding what is already set. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

export function loadConfig(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);
  const apiKey = read.string('OPENAI_API_KEY');
  const model = read.string('OPENAI_MODEL') ?? 'gpt-4o-mini';
  const auth = authSettings(read);
  return new AppConfig({
    port: read.int('PORT', 3000, 0, 65535),
    // Without accounts anyone who reaches the port is the admin: only this machine, unless HOST says so.
    host: read.string('HOST') ?? (auth.mode === 'off' ? '127.0.0.1' : undefined),
    auth,
    database: { ...parseDatabaseUrl(read.string('DATABASE_URL') ?? 'sqlite:data/chat.db'), limits: databaseLimits(read) },
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix: read.matching('REDIS_PREFIX', /^[A-Za-z0-9_.:-]{1,64}$/, 'chat-sessions', 'must be 1-64 letters, digits or _.:-'),
    redisTimeoutMs: read.int('REDIS_TIMEOUT_MS', 750, 10, 60_000),
    memory: memoryLimits(read),
    context: contextDefaults(read),
    coordination: {
      lockTtlMs: read.int('LOCK_TTL_MS', 10_000, 300, 600_000),
      lockWaitTimeoutMs: read.int('LOCK_WAIT_TIMEOUT_MS', 90_000, 0, 3_600_000),
    },
    prune: jobSchedule('PRUNE_CRON', read.string('PRUNE_CRON') ?? '0 3 * * *'),
    llm: {
      provider: read.oneOf<LlmProvider>('LLM_PROVIDER', ['openai', 'offline'], apiKey ? 'openai' : 'offline'),
      apiKey,
      baseUrl: read.url('OPENAI_BASE_URL', ['http:', 'https:']),
      model,
      models: modelList(read, model),
      timeoutMs: read.int('LLM_TIMEOUT_MS', 60_000, 1, 3_600_000),
      idleTimeoutMs: read.int('LLM_IDLE_TIMEOUT_MS', 30_000, 1, 3_600_000),
      maxRetries: read.int('LLM_MAX_RETRIES', 1, 0, 10),
      streamUsage: read.oneOf<StreamUsageMode>('OPENAI_STREAM_USAGE', ['auto', 'on', 'off'], 'auto'),
    },
    sessionTimeoutSeconds: read.int('SESSION_TIMEOUT', 3600, 1, 31_536_000),
    sessionRetentionDays: read.int('SESSION_RETENTION_DAYS', 30, 1, 36_500),
    maxPromptChars: read.int('MAX_PROMPT_CHARS', 32_000, 1, 1_000_000),
    importMaxBytes: read.int('IMPORT_MAX_BYTES', 32 * MIB, 1024, 1024 * MIB),
    maxReplyChars: read.int('MAX_REPLY_CHARS', 100_000, 1, 100_000_000),
    streamWriteTimeoutMs: read.int('STREAM_WRITE_TIMEOUT_MS', 30_000, 1, 3_600_000),
    rateLimitPerMinute: read.int('RATE_LIMIT_PER_MINUTE', 120, 0, 1_000_000),
    corsOrigins: read.list('CORS_ORIGINS'),
    trustProxy: read.int('TRUST_PROXY', 0, 0, 10),
    logLevel: read.oneOf<LogLevel>('LOG_LEVEL', ['debug', 'info', 'warn', 'error'], 'info'),
    logFormat: read.oneOf<LogFormat>('LOG_FORMAT', ['json', 'pretty'], read.string('NODE_ENV') === 'development' ? 'pretty' : 'json'),
    metricsPort: read.optionalInt('METRICS_PORT', 0, 65535),
    shutdownGraceMs: read.int('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    http: httpSettings(read),
    clientDir: read.string('CLIENT_DIR'),
  });
}

/** Shorter secrets make HS256 tokens guessable offline. */
const MIN_JWT_SECRET_LENGTH = 32;

function authSettings(read: EnvReader): AppConfig['auth'] {
  const mode = read.oneOf<AuthMode>('AUTH_MODE', ['off', 'jwt'], 'off');
  const jwtSecret = read.string('JWT_SECRET');
  if (mode === 'jwt' && jwtSecret === undefined) throw new ConfigError('JWT_SECRET', 'must be set when AUTH_MODE=jwt');
  if (jwtSecret !== undefined && jwtSecret.length < MIN_JWT_SECRET_LENGTH) {
    throw new ConfigError('JWT_SECRET', `must be at least ${MIN_JWT_SECRET_LENGTH} characters long`);
  }
  return {
    mode,
    jwtSecret,
    jwtExpiresInSeconds: read.int('JWT_EXPIRES_IN_SECONDS', 3600, 60, 31_536_000),
    allowRegistration: read.bool('ALLOW_REGISTRATION', true),
    oidc: oidcSettings(read, mode),
  };
}

const OIDC_REQUIRED = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'] as const;

/**
 * All four required variables or none (the optional ones alone change nothing, so a shared env file
 * may carry their defaults); plain http only to a provider on this machine (tests, local development).
 */
function oidcSettings(read: EnvReader, mode: AuthMode): AppConfig['auth']['oidc'] {
  const set = OIDC_REQUIRED.filter((name) => read.string(name) !== undefined);
  if (set.length === 0) return undefined;
  if (mode !== 'jwt') throw new ConfigError(set[0], 'needs AUTH_MODE=jwt: single sign-on signs in to accounts');
  const missing = OIDC_REQUIRED.find((name) => read.string(name) === undefined);
  if (missing) throw new ConfigError(missing, `must be set too: single sign-on needs ${OIDC_REQUIRED.join(', ')}`);
  const issuer = read.url('OIDC_ISSUER', ['https:', 'http:'])!;
  const redirectUrl = read.url('OIDC_REDIRECT_URL', ['https:', 'http:'])!;
  if (new URL(issuer).protocol === 'http:' && !LOOPBACK.has(new URL(issuer).hostname)) {
    throw new ConfigError('OIDC_ISSUER', `must use https: unless the provider runs on this machine (got "${issuer}")`);
  }
  return {
    issuer,
    clientId: read.string('OIDC_CLIENT_ID')!,
    clientSecret: read.string('OIDC_CLIENT_SECRET')!,
    redirectUrl,
    adminGroup: read.string('OIDC_ADMIN_GROUP'),
    groupsClaim: read.string('OIDC_GROUPS_CLAIM') ?? 'groups',
    name: read.string('OIDC_PROVIDER_NAME') ?? new URL(issuer).hostname,
    timeoutMs: read.int('OIDC_TIMEOUT_MS', 5_000, 100, 60_000),
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The database limits alone, for the command-line tools that take their database as an argument. */
export function loadDatabaseLimits(env: Env = process.env): DatabaseLimits {
  return databaseLimits(new EnvReader(env));
}

function databaseLimits(read: EnvReader): DatabaseLimits {
  return {
    connectTimeoutMs: read.int('DATABASE_CONNECT_TIMEOUT_MS', 5_000, 100, 600_000),
    statementTimeoutMs: read.int('DATABASE_STATEMENT_TIMEOUT_MS', 10_000, 100, 3_600_000),
    poolSize: read.int('DATABASE_POOL_SIZE', 10, 1, 1_000),
    busyTimeoutMs: read.int('DATABASE_BUSY_TIMEOUT_MS', 5_000, 0, 600_000),
  };
}

function httpSettings(read: EnvReader): AppConfig['http'] {
  const headersTimeoutMs = read.int('HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestTimeoutMs = read.int('HTTP_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000);
  // Node refuses a server whose headers may take longer than its whole request.
  if (requestTimeoutMs < headersTimeoutMs) {
    throw new ConfigError('HTTP_REQUEST_TIMEOUT_MS', `must not be below HTTP_HEADERS_TIMEOUT_MS (${headersTimeoutMs})`);
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: read.int('HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, 0, 600_000),
    maxConnections: read.int('MAX_CONNECTIONS', 10_000, 0, 1_000_000),
    maxConnectionsPerIp: read.int('MAX_CONNECTIONS_PER_IP', 500, 0, 1_000_000),
  };
}

/** Runs fall on a grid: the shortest gap between the next few runs, offset by where one of them falls in it. */
function jobSchedule(variable: string, cron: string): JobSchedule {
  let runs: number[];
  try {
    runs = new CronTime(cron, 'UTC').sendAt(8).map((run) => run.toMillis());
  } catch (error) {
    throw new ConfigError(variable, `must be a cron expression (got "${cron}"): ${(error as Error).message}`);
  }
  const periodMs = Math.min(...runs.slice(1).map((run, i) => run - runs[i]));
  return { cron, periodMs, phaseMs: runs[0] % periodMs };
}

const MIB = 1024 * 1024;

function memoryLimits(read: EnvReader): AppConfig['memory'] {
  const maxBytes = read.int('MEMORY_MAX_BYTES', 64 * MIB, 64 * 1024, 64 * 1024 * MIB);
  const maxWindowBytes = read.int('MEMORY_MAX_WINDOW_BYTES', 256 * 1024, 1024, 1024 * MIB);
  if (maxWindowBytes > maxBytes) throw new ConfigError('MEMORY_MAX_WINDOW_BYTES', `must not exceed MEMORY_MAX_BYTES (${maxBytes})`);
  return { maxWindows: read.int('MEMORY_MAX_WINDOWS', 10_000, 1, 10_000_000), maxBytes, maxWindowBytes };
}

function contextDefaults(read: EnvReader): AppConfig['context'] {
  return {
    strategy: read.oneOf('MEMORY_STRATEGY', ['window', 'tokens', 'summary'] as const, 'window'),
    maxTokens: read.int('MEMORY_MAX_TOKENS', 8_000, 64, 10_000_000),
    summaryMaxTokens: read.int('MEMORY_SUMMARY_MAX_TOKENS', 1_000, 16, 1_000_000),
  };
}

/** OPENAI_MODELS; the default model is always one of them. */
function modelList(read: EnvReader, model: string): string[] {
  const listed = read.list('OPENAI_MODELS');
  return listed.includes(model) ? listed : [model, ...listed];
}

/** `sqlite:<path>` or `postgres://…`, as DATABASE_URL takes it (also the tools' `--from` / `--to`). */
export function parseDatabaseUrl(url: string, name = 'DATABASE_URL'): DatabaseLocation {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!path) throw new ConfigError(name, 'needs a file path after "sqlite:"');
    return { type: 'sqlite', path: path === ':memory:' || isAbsolute(path) ? path : resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { type: 'postgres', url };
  throw new ConfigError(name, `must start with "sqlite:" or "postgres://" (got "${url}")`);
}

class EnvReader {
  constructor(private readonly env: Env) {}

  string(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number (got "${raw}")`);
    const value = Number(raw);
    if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max} (got ${value})`);
    return value;
  }

  optionalInt(name: string, min: number, max: number): number | undefined {
    return this.string(name) === undefined ? undefined : this.int(name, min, min, max);
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.string(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    throw new ConfigError(name, `must be true or false (got "${raw}")`);
  }

  matching(name: string, pattern: RegExp, fallback: string, rule: string): string {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    if (!pattern.test(raw)) throw new ConfigError(name, `${rule} (got "${raw}")`);
    return raw;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.string(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (!allowed.includes(raw as T)) throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${raw}")`);
    return raw as T;
  }

  url(name: string, protocols: readonly string[]): string | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new ConfigError(name, `must be a URL (got "${raw}")`);
    }
    if (!protocols.includes(parsed.protocol)) {
      throw new ConfigError(name, `must use ${protocols.join(' or ')} (got "${parsed.protocol}")`);
    }
    return raw;
  }

  list(name: string): string[] {
    return (this.string(name) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  }
}
