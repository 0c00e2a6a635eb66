import { SearchTerm } from '../../common/search-query';
import { Scope, Sender } from '../../sessions/domain/session';

/** A message, or a chat name, that matches a search. */
export interface SearchHit {
  readonly sessionId: string;
  readonly chatName: string;
  /** Null when the chat name matched rather than a message. */
  readonly messageId: number | null;
  readonly sender: Sender | null;
  /** The text that matched: the message's content, or the chat name. */
  readonly text: string;
  /** When the message was written; for a chat name, the session's last activity. */
  readonly timestamp: Date;
}

export interface SearchPage {
  readonly limit: number;
  readonly offset: number;
}

/** The full-text index of message contents and chat names, narrowed to what a scope may see. */
export abstract class MessageSearch {
  /**
   * Hits for every term at once, best first: chat names before messages (a conversation named for
   * the words is about them), then by relevance, then newest first. `total` counts all hits.
   */
  abstract search(scope: Scope, terms: readonly SearchTerm[], page: SearchPage): Promise<{ hits: SearchHit[]; total: number }>;
}
