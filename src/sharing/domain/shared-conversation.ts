import { Sender } from '../../sessions/domain/session';

export interface SharedMessage {
  readonly sender: Sender;
  readonly content: string;
  readonly timestamp: Date;
}

/**
 * A read-only copy of a conversation as it was when shared. It is a copy, not a pointer into the
 * session: later turns, and a cleared history, leave it as it was. It names neither its owner nor
 * its session (with AUTH_MODE=off a session id is all it takes to write to a session).
 */
export interface SharedConversation {
  readonly shareId: string;
  readonly chatName: string;
  readonly createdAt: Date;
  readonly messages: readonly SharedMessage[];
}

/**
 * Shared snapshots. Deleting the session deletes its shares (a foreign key with ON DELETE CASCADE):
 * who deletes a conversation expects its links to stop working.
 */
export abstract class ShareStore {
  abstract create(sessionId: string, snapshot: SharedConversation): Promise<void>;

  /** Anyone's: the share id is the secret. */
  abstract find(shareId: string): Promise<SharedConversation | null>;

  /** Revokes a share of `sessionId` (whose ownership the caller checked); false when there is none. */
  abstract delete(sessionId: string, shareId: string): Promise<boolean>;
}
