import { ListedSession, Organisation } from './organise';
import { ModelUsage, Scope, Sender, Session, StoredMessage } from './session';

export interface SessionListQuery {
  /** At most this many sessions; all of them when absent. */
  readonly limit?: number;
  readonly offset: number;
  /** Case-insensitive text matched against chat names and message contents. */
  readonly text?: string;
  readonly since?: Date;
  /** Exclusive: sessions last active before it. */
  readonly until?: Date;
  /** Only sessions with this (normalized) tag. */
  readonly tag?: string;
  readonly pinned?: boolean;
  /** `hide` (when absent) leaves archived sessions out, `only` lists just them, `include` both. */
  readonly archived?: ArchivedFilter;
}

export type ArchivedFilter = 'hide' | 'only' | 'include';

export interface MessagePageQuery {
  /** The newest `limit` messages (of those older than `beforeId`); all of them when absent. */
  readonly limit?: number;
  readonly beforeId?: number;
}

/** A page of messages by cursor: those after `after` (an id) in the order asked. */
export interface MessageCursorQuery {
  readonly after?: number;
  readonly limit: number;
  readonly order: 'asc' | 'desc';
}

export interface MessagePage {
  readonly messages: StoredMessage[];
  readonly hasMore: boolean;
}

/**
 * A session's own settings as an import writes them. The settings module owns their meaning (its
 * `SessionSettings` fits this shape); this module may not import it, as settings depends on sessions.
 */
export interface ImportedSettings {
  readonly systemPrompt: string | null;
  readonly model: string | null;
  readonly temperature: number | null;
  readonly memory: { readonly strategy: string; readonly maxHistory: number; readonly maxTokens: number | null };
  /** When they were set: the time of the import. */
  readonly setAt: Date;
}

/** A whole conversation brought in from a file: written at once, with its own times. */
export interface SessionImport {
  readonly sessionId: string;
  readonly chatName: string;
  readonly createdAt: Date;
  /** Oldest first; the session's last activity is the last one's time (or its creation). */
  readonly messages: readonly { readonly sender: Sender; readonly content: string; readonly timestamp: Date }[];
  /** Absent or null: the session uses the service defaults. */
  readonly settings?: ImportedSettings | null;
  /** Pinned, archived and its (normalized) tags; absent or null: none of them. */
  readonly organisation?: Organisation | null;
}

export interface StartedTurn {
  readonly session: Session;
  readonly message: StoredMessage;
}

/**
 * The durable record of sessions and their messages. Each method is atomic: a message and its
 * session's counters change together or not at all.
 */
export abstract class SessionStore {
  /**
   * Stores the Human message of a turn with its sentiment score, creating the session (named `chatName`, owned by the
   * scope's owner) when it is new. Null when the id is taken by a session the scope may not see.
   */
  abstract startTurn(scope: Scope, sessionId: string, content: string, chatName: string, at: Date): Promise<StartedTurn | null>;

  /**
   * Appends a message to an existing session; null when the session no longer exists. `usage`,
   * given with the model's answer to a turn, is added to the usage series of its hour.
   */
  abstract appendMessage(scope: Scope, sessionId: string, sender: Sender, content: string, at: Date, usage?: ModelUsage): Promise<StoredMessage | null>;

  /** Counts a turn whose model call failed in the usage series (its Human message stays stored). */
  abstract recordModelFailure(at: Date): Promise<void>;

  /**
   * Creates a session with all its messages, its settings and organisation in one transaction,
   * counters included, owned by the scope's owner. Rejects (and writes nothing) when the id is
   * taken or any of it cannot be written.
   */
  abstract importSession(scope: Scope, session: SessionImport): Promise<Session>;

  /**
   * Up to `limit` sessions in id order after `afterId` (from the first when null), each with its
   * organisation: a stable walk for exports, in a fixed number of reads per page.
   */
  abstract sessionsAfter(scope: Scope, afterId: string | null, limit: number): Promise<ListedSession[]>;

  abstract findSession(scope: Scope, sessionId: string): Promise<Session | null>;

  /** The newest `count` messages of a session, oldest first. */
  abstract recentMessages(scope: Scope, sessionId: string, count: number): Promise<StoredMessage[]>;

  abstract messagePage(scope: Scope, sessionId: string, query: MessagePageQuery): Promise<MessagePage>;

  /** Up to `limit` messages in `order` (by id), after the message `after` in that order. */
  abstract messagesFrom(scope: Scope, sessionId: string, query: MessageCursorQuery): Promise<MessagePage>;

  /** A message of a session the scope may see; null otherwise. */
  abstract findMessage(scope: Scope, messageId: number): Promise<StoredMessage | null>;

  /** Deletes one message of a session, with its counters; false when there is no such message (or session). */
  abstract deleteMessage(scope: Scope, sessionId: string, messageId: number): Promise<boolean>;

  /** Deletes every message of a session and keeps the session; null when it does not exist. */
  abstract clearMessages(scope: Scope, sessionId: string): Promise<number | null>;

  /** Deletes a session with its messages; false when it does not exist. */
  abstract deleteSession(scope: Scope, sessionId: string): Promise<boolean>;

  /** Sessions, pinned first, then most recent activity first, with the number that match before paging. */
  abstract listSessions(scope: Scope, query: SessionListQuery): Promise<{ sessions: ListedSession[]; total: number }>;

  abstract countIdleSince(scope: Scope, cutoff: Date): Promise<number>;

  /** Deletes up to `batchSize` sessions last active before `cutoff`; returns the ids deleted. */
  abstract pruneIdleSince(scope: Scope, cutoff: Date, batchSize: number): Promise<string[]>;

  /** Gives every session without an owner (made before accounts existed) to `ownerId`; returns how many. */
  abstract adoptUnowned(ownerId: string): Promise<number>;
}
