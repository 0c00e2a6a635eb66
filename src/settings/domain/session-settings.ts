/** How a session's earlier turns are chosen for the model. */
export type MemoryStrategy = 'window' | 'tokens' | 'summary';

export const MEMORY_STRATEGIES: readonly MemoryStrategy[] = ['window', 'tokens', 'summary'];

/** The models a session may choose (OPENAI_MODELS); the offline model also answers to its own name. */
export function allowedModels(llm: { readonly models: readonly string[]; readonly provider: string }): string[] {
  return llm.provider === 'offline' && !llm.models.includes('offline') ? [...llm.models, 'offline'] : [...llm.models];
}

/** The smallest and largest token budget a session may set. */
export const MIN_MAX_TOKENS = 64;
export const MAX_MAX_TOKENS = 10_000_000;

/** The `max_history` of a session that never chose one: the contract's default. */
export const DEFAULT_MAX_HISTORY = 10;

export interface MemorySettings {
  readonly strategy: MemoryStrategy;
  /** At most this many earlier turns, whatever the strategy. */
  readonly maxHistory: number;
  /** The token budget of the whole context (`tokens`, `summary`); null: the service default. */
  readonly maxTokens: number | null;
}

/** What a session asks of the model on every turn. Nulls mean "the service default". */
export interface SessionSettings {
  readonly systemPrompt: string | null;
  readonly model: string | null;
  readonly temperature: number | null;
  readonly memory: MemorySettings;
}

/** A change: absent fields stay as they are; null resets one to the service default. */
export interface SettingsChange {
  readonly systemPrompt?: string | null;
  readonly model?: string | null;
  readonly temperature?: number | null;
  readonly memory?: {
    readonly strategy?: MemoryStrategy | null;
    readonly maxHistory?: number | null;
    readonly maxTokens?: number | null;
  };
}

/** The service-wide defaults (MEMORY_STRATEGY), for a session with no settings of its own. */
export function defaultSettings(strategy: MemoryStrategy): SessionSettings {
  return { systemPrompt: null, model: null, temperature: null, memory: { strategy, maxHistory: DEFAULT_MAX_HISTORY, maxTokens: null } };
}

export function applyChange(current: SessionSettings, change: SettingsChange, defaults: SessionSettings): SessionSettings {
  const memory = change.memory ?? {};
  return {
    systemPrompt: pick(change.systemPrompt, current.systemPrompt, defaults.systemPrompt),
    model: pick(change.model, current.model, defaults.model),
    temperature: pick(change.temperature, current.temperature, defaults.temperature),
    memory: {
      strategy: pick(memory.strategy, current.memory.strategy, defaults.memory.strategy),
      maxHistory: pick(memory.maxHistory, current.memory.maxHistory, defaults.memory.maxHistory),
      maxTokens: pick(memory.maxTokens, current.memory.maxTokens, defaults.memory.maxTokens),
    },
  };
}

function pick<T>(change: T | null | undefined, current: T, fallback: T): T {
  if (change === undefined) return current;
  return change === null ? fallback : change;
}

/**
 * The stored settings of sessions. A session with no row has the defaults; deleting a session
 * deletes its row, and importing one writes it (the session store does both, in the same transaction).
 */
export abstract class SessionSettingsStore {
  /** The session's own settings; null when it never had any. */
  abstract find(sessionId: string): Promise<SessionSettings | null>;

  /** The own settings of each of these sessions (a page of them), in one read; those with none are absent. */
  abstract findMany(sessionIds: readonly string[]): Promise<Map<string, SessionSettings>>;

  /**
   * Applies a change atomically (concurrent changes of different fields all stay) and answers the
   * settings right after it. A session without a row starts from `defaults`.
   */
  /** null when the session does not exist (deleted meanwhile): settings belong to a session. */
  abstract change(sessionId: string, change: SettingsChange, defaults: SessionSettings, at: Date): Promise<SessionSettings | null>;
}
