/** The service's settings, read and validated once at boot. Injected by its class. */
export type LlmProvider = 'openai' | 'offline';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type AuthMode = 'off' | 'jwt';
export type LogFormat = 'json' | 'pretty';
/** Whether streamed model calls ask for their token usage (`stream_options`); auto: until the server refuses it. */
export type StreamUsageMode = 'auto' | 'on' | 'off';

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

/** A cron schedule and the grid its runs fall on: the shortest gap between runs, and the offset of its runs in it. */
export interface JobSchedule {
  readonly cron: string;
  readonly periodMs: number;
  readonly phaseMs: number;
}

/** An OpenID Connect provider for single sign-on (authorization code with PKCE). */
export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The callback URL registered with the provider: this service's /api/auth/oidc/callback. */
  readonly redirectUrl: string;
  /** Members of this group (in `groupsClaim`) are admins; undefined: roles are not taken from the provider. */
  readonly adminGroup: string | undefined;
  readonly groupsClaim: string;
  /** Shown on the sign-in button: "Sign in with <name>". */
  readonly name: string;
  /** Deadline of each call to the provider (discovery, token, userinfo). */
  readonly timeoutMs: number;
}

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
    /** Single sign-on through an OpenID Connect provider; undefined when not configured. */
    readonly oidc: OidcSettings | undefined;
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
  /** What a session's context holds when its settings do not say (MEMORY_STRATEGY and budgets). */
  readonly context: {
    readonly strategy: 'window' | 'tokens' | 'summary';
    /** Token budget of a whole context under `tokens` and `summary`. */
    readonly maxTokens: number;
    /** Token bound of the running summary under `summary`. */
    readonly summaryMaxTokens: number;
  };
  /** What instances share through Redis (locks, job guards, rate limits) when REDIS_URL is set. */
  readonly coordination: {
    /** A session lock's expiry, renewed every third of it while the work runs. */
    readonly lockTtlMs: number;
    /** How long a turn waits in line for its session before it is refused (503). */
    readonly lockWaitTimeoutMs: number;
  };
  /** When the daily prune runs (cron, UTC), and the period a run stands for across instances. */
  readonly prune: JobSchedule;
  readonly llm: {
    readonly provider: LlmProvider;
    readonly apiKey: string | undefined;
    readonly baseUrl: string | undefined;
    readonly model: string;
    /** The models a session may choose (OPENAI_MODELS; only OPENAI_MODEL when unset). */
    readonly models: readonly string[];
    readonly timeoutMs: number;
    readonly idleTimeoutMs: number;
    readonly maxRetries: number;
    readonly streamUsage: StreamUsageMode;
  };
  /** Largest export file POST /api/sessions/import accepts, in bytes (413 beyond). */
  readonly importMaxBytes: number;
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
  /** json: one JSON object a line (production); pretty: coloured lines for people (development). */
  readonly logFormat: LogFormat;
  /** Where GET /metrics is served: undefined on the main port (admin-only with accounts), else on this port without auth (0: any free port). */
  readonly metricsPort: number | undefined;
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
