import type { Scope } from '../../sessions/domain/session';
import type { TokenUsage } from './chat-model';

/** Why a reply ended: the model finished (`stop`) or it reached MAX_REPLY_CHARS (`length`). */
export type FinishReason = 'stop' | 'length';

/** What one turn asks of the model instead of the session's settings, for this turn only. */
export interface TurnOverrides {
  readonly model?: string;
  readonly temperature?: number;
  /** Replaces the session's system prompt for this turn. */
  readonly instructions?: string;
}

export interface TurnInput {
  readonly prompt: string;
  readonly sessionId?: string;
  /** Earlier turns shown for this turn; absent: the session's setting. */
  readonly maxHistory?: number;
  /** Starts a new session with this template's settings. */
  readonly templateId?: string;
  readonly overrides?: TurnOverrides;
}

/** A turn that stores nothing: the earlier exchanges come with it instead of from a session. */
export interface UnstoredTurnInput {
  readonly prompt: string;
  readonly earlier: readonly { readonly human: string; readonly ai: string }[];
  readonly overrides?: TurnOverrides;
}

export interface TurnResult {
  readonly response: string;
  readonly sessionId: string;
  readonly chatName: string;
  readonly timestamp: Date;
  readonly code?: string;
  readonly finishReason: FinishReason;
  /** The ids of the stored Human and AI messages. */
  readonly humanMessageId: number;
  readonly messageId: number;
  /** The tokens of the model call: as the model counted them, else estimated (see callTokens). */
  readonly usage: TokenUsage;
}

export interface UnstoredTurnResult {
  readonly response: string;
  readonly timestamp: Date;
  readonly finishReason: FinishReason;
  readonly usage: TokenUsage;
}

export interface StreamOptions {
  readonly signal?: AbortSignal;
  /** Called once the turn is accepted and its Human message stored (its id given; 0 when nothing is stored), before the model is asked. */
  readonly onStart: (started: { readonly messageId: number }) => void;
  /** The next piece is pulled from the model once the promise returned here settles. */
  readonly onToken: (text: string) => void | Promise<void>;
}

/**
 * Conversational turns, as other modules ask for them: store the question, show the model the
 * session's window (its memory strategy), store the answer. Implemented by the chat service.
 */
export abstract class ConversationTurns {
  abstract generate(input: TurnInput, signal?: AbortSignal, scope?: Scope): Promise<TurnResult>;

  abstract stream(input: TurnInput, options: StreamOptions, scope?: Scope): Promise<TurnResult>;

  /** One answer with the service's default settings, stored nowhere; streamed when `options` are given. */
  abstract unstored(input: UnstoredTurnInput, signal?: AbortSignal, options?: StreamOptions): Promise<UnstoredTurnResult>;
}
