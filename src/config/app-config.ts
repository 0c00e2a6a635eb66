/** The service's settings, read and validated once at boot. Injected by its class. */
export type LlmProvider = 'openai' | 'offline';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type AuthMode = 'off' | 'jwt';

/** Deadlines and sizes that keep a failing database from holding requests. */
export interface DatabaseLimits {
  /** PostgreSQL: longest wait for a new connection, and for a free one from the pool. */
  readonly connectTimeoutMs: number;
  /** PostgreSQL: longest a statement may run (server side; a client-side timer a little later). */
  readonly statementTimeoutMs: number;
  /** PostgreSQL: connections in the pool. */
  readonly poolSize: number;
  /** SQLite: longest wait for a lock another process (a checkpoint, a backup) holds. */
  readonly busyTimeoutMs: number;
}

/** Which database: from DATABASE_URL. */
export type DatabaseLocation = { readonly type: 'sqlite'; readonly path: string } | { readonly type: 'postgres'; readonly url: string };

export type DatabaseSettings = DatabaseLocation & { readonly limits: DatabaseLimits };

export class AppConfig {
  readonly port: number;
  /** The address to listen on; undefined: every interface. */
  readonly host: string | undefined;
  readonly auth: {
    /** off: one implicit local admin, no accounts; jwt: accounts, tokens and API keys. */
    readonly mode: AuthMode;
    /** HS256 signing secret of access tokens (jwt mode only). */
    readonly jwtSecret: string | undefined;
    readonly jwtExpiresInSeconds: number;
    readonly allowRegistration: boolean;
  };
  readonly database: DatabaseSettings;
  readonly redisUrl: string | undefined;
  /** Namespace of every key the service writes to Redis: instances of one deployment share it. */
  readonly redisPrefix: string;
  /** Limit on one Redis command (and connection attempt) before the cache counts as down. */
  readonly redisTimeoutMs: number;
  /** Bounds on the windows held: count and estimated bytes overall, and bytes per window. */
  readonly memory: {
    readonly maxWindows: number;
    readonly maxBytes: number;
    readonly maxWindowBytes: number;
  };
  readonly llm: {
    readonly provider: LlmProvider;
    readonly apiKey: string | undefined;
    readonly baseUrl: string | undefined;
    readonly model: string;
    readonly timeoutMs: number;
    readonly idleTimeoutMs: number;
    readonly maxRetries: number;
  };
  readonly maxReplyChars: number;
  readonly streamWriteTimeoutMs: number;
  readonly sessionTimeoutSeconds: number;
  readonly sessionRetentionDays: number;
  readonly maxPromptChars: number;
  readonly rateLimitPerMinute: number;
  readonly corsOrigins: readonly string[];
  /** Proxies in front of the service whose X-Forwarded-For entries are believed (0: none). */
  readonly trustProxy: number;
  readonly logLevel: LogLevel;
  readonly shutdownGraceMs: number;
  readonly http: {
    /** Longest a client may take to send a request's headers. */
    readonly headersTimeoutMs: number;
    /** Longest a client may take to send a whole request, body included. */
    readonly requestTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    /** Open connections the process accepts in all; 0 leaves it to the file-descriptor limit. */
    readonly maxConnections: number;
    /** Open connections one client address may hold; 0 turns the cap off. */
    readonly maxConnectionsPerIp: number;
  };
  readonly clientDir: string | undefined;

  constructor(values: AppConfig) {
    Object.assign(this, values);
  }
}
