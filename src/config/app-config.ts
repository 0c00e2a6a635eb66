/** The service's settings, read and validated once at boot. Injected by its class. */
export type LlmProvider = 'openai' | 'offline';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type DatabaseSettings =
  | { readonly type: 'sqlite'; readonly path: string }
  | { readonly type: 'postgres'; readonly url: string };

export class AppConfig {
  readonly port: number;
  readonly database: DatabaseSettings;
  readonly redisUrl: string | undefined;
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
  readonly logLevel: LogLevel;
  readonly shutdownGraceMs: number;
  readonly clientDir: string | undefined;

  constructor(values: AppConfig) {
    Object.assign(this, values);
  }
}
