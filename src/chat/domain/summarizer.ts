import { Turn } from '../../memory/domain/conversation-memory';

export interface FoldRequest {
  /** The summary so far; null before the first fold. */
  readonly previous: string | null;
  /** Only the turns that left the window since the last fold, oldest first. */
  readonly turns: readonly Turn[];
  /** The most tokens the new summary may hold (MEMORY_SUMMARY_MAX_TOKENS). */
  readonly maxTokens: number;
  /** The session's model, when it chose one. */
  readonly model?: string;
  readonly signal?: AbortSignal;
}

/** Folds turns into a running summary; never re-reads what the summary already covers. */
export abstract class Summarizer {
  abstract fold(request: FoldRequest): Promise<string>;
}

/** Introduces the summary to the model, in the system message sent before the window. */
export const SUMMARY_PREFIX = 'Summary of the earlier conversation:\n';
