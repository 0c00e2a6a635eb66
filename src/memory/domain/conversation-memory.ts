/** One exchange: what the person said and what the model answered. */
export interface Turn {
  readonly human: string;
  readonly ai: string;
}

/** A session's settings as the memory holds them: plain JSON it does not look into. */
export type HeldSettings = Readonly<Record<string, unknown>>;

/** A held window as a turn reads it, in one read of the store: its settings and its latest turns. */
export interface HeldWindow {
  /** What the session's turns were last run with (see `hold`); undefined when none are held with it. */
  readonly settings: HeldSettings | undefined;
  /** As `recentTurns` answers: exactly the last `k` turns, or undefined when the window may lack some. */
  recentTurns(k: number): Turn[] | undefined;
}

/** A page of the held sessions: skip `offset`, then at most `limit` (all the rest when undefined). */
export interface HeldPage {
  readonly offset?: number;
  readonly limit?: number;
}

/** The most turns a window holds, and so the largest `max_history` a request may ask for. */
export const MAX_WINDOW_TURNS = 100;

/**
 * The windowed memory of the sessions in use: their latest turns, kept out of the database's
 * way. It is a cache, and the store is the truth: a session that is not held (never used,
 * evicted, over the memory's bounds, after a restart, or while the cache is unreachable) answers
 * undefined, and the caller rebuilds the window from the store. No method throws when the cache fails.
 */
export abstract class ConversationMemory {
  /**
   * Exactly the last `k` turns of the session, oldest first; undefined when its window is not held,
   * or when it holds fewer than `k` turns and may lack older ones (trimmed to its byte budget).
   */
  abstract recentTurns(sessionId: string, k: number): Promise<Turn[] | undefined>;

  /**
   * Holds `turns` as the session's whole window (at least the newest MAX_WINDOW_TURNS of them).
   * `settings`, when given, are held with it (see heldWindow).
   */
  abstract hold(sessionId: string, turns: readonly Turn[], settings?: HeldSettings): Promise<void>;

  /**
   * Adds one turn to a held window, keeping at least the newest MAX_WINDOW_TURNS. With no window held,
   * starts one that answers only for as many turns as it has (older turns may exist in the store).
   * `settings` replace those held with the window; without them the held ones stay. A window started
   * here holds none: it was forgotten during the turn, maybe because the settings changed.
   */
  abstract append(sessionId: string, turn: Turn, settings?: HeldSettings): Promise<void>;

  /**
   * The session's window with the settings its turns were last run with, held beside it so that a
   * turn reads both in one round trip and no settings from the store; undefined when not held. The
   * settings go whenever the window goes (forget, evict, clear), and whoever changes them forgets
   * the window. Marks the window used, as `recentTurns` does.
   */
  abstract heldWindow(sessionId: string): Promise<HeldWindow | undefined>;

  abstract forget(sessionId: string): Promise<void>;

  /** The sessions whose window is held now (by any instance sharing the store), most recently used first; a page of them when asked. */
  abstract activeSessionIds(page?: HeldPage): Promise<string[]>;

  /** How many sessions have their window held now. */
  abstract activeSessionCount(): Promise<number>;

  /** Drops the windows not used since `cutoff`; returns how many went. */
  abstract evictIdleSince(cutoff: Date): Promise<number>;

  /** Resolves with the kind of store holding the windows when it answers a write and a read in time; rejects otherwise. */
  abstract probe(): Promise<{ store: string }>;
}

/** Pairs stored messages into turns; a Human message with no answer (a failed turn) is left out. */
export function turnsFromMessages(messages: readonly { sender: 'Human' | 'AI'; content: string }[]): Turn[] {
  const turns: Turn[] = [];
  let pending: string | undefined;
  for (const message of messages) {
    if (message.sender === 'Human') {
      pending = message.content;
    } else if (pending !== undefined) {
      turns.push({ human: pending, ai: message.content });
      pending = undefined;
    }
  }
  return turns;
}
