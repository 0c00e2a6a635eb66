export type PromptRole = 'system' | 'human' | 'ai';

export interface PromptMessage {
  readonly role: PromptRole;
  readonly content: string;
}

export interface ModelRequest {
  readonly messages: readonly PromptMessage[];
  readonly signal?: AbortSignal;
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
