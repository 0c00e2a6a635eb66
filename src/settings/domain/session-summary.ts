/** The running summary of the turns that left a session's window. */
export interface SessionSummary {
  readonly summary: string;
  /** The id of the last message it covers (the AI message of the last folded turn). */
  readonly coversUntil: number;
}

/**
 * Stored summaries, so they survive a restart and are shared by instances. Clearing a session's
 * history or deleting it removes its summary (the session store does, in the same transaction).
 */
export abstract class SessionSummaryStore {
  abstract find(sessionId: string): Promise<SessionSummary | null>;

  /**
   * Saves a fold of the summary that covered `foldedFrom` (null: there was none), only if that is
   * still the stored one and the session still holds the last message the fold covers: a fold made
   * by a stale summarizer never replaces a newer one nor outlives a clear. Answers whether it saved.
   */
  abstract save(sessionId: string, summary: SessionSummary, foldedFrom: number | null, at: Date): Promise<boolean>;
}
