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

  abstract save(sessionId: string, summary: SessionSummary, at: Date): Promise<void>;
}
