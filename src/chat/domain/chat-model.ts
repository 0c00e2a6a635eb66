export type PromptRole = 'system' | 'human' | 'ai';

export interface PromptMessage {
  readonly role: PromptRole;
  readonly content: string;
}

/** What a session's settings choose for its calls; absent: the service's model and the server's temperature. */
export interface ModelOptions {
  readonly model?: string;
  readonly temperature?: number;
}

/** Tokens a call cost, as the model server counted them. */
export interface TokenUsage {
  readonly input: number;
  readonly output: number;
}

export interface ModelRequest extends ModelOptions {
  readonly messages: readonly PromptMessage[];
  readonly signal?: AbortSignal;
  /** Called with the call's token usage when the model reports it (not every server does). */
  readonly onUsage?: (usage: TokenUsage) => void;
}

/**
 * The language model. Failures are thrown as LlmUnavailableError, LlmBadResponseError,
 * LlmTimeoutError or TurnAbortedError (when `signal` aborted the call).
 */
export abstract class ChatModel {
  abstract readonly name: string;

  abstract complete(request: ModelRequest): Promise<string>;

  /** The reply in pieces, as the model produces them. */
  abstract stream(request: ModelRequest): AsyncIterable<string>;
}
