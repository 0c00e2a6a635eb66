export type Sender = 'Human' | 'AI';

export interface Session {
  readonly sessionId: string;
  readonly chatName: string;
  readonly createdAt: Date;
  readonly lastActivity: Date;
  readonly messageCount: number;
}

export interface StoredMessage {
  readonly id: number;
  readonly sessionId: string;
  readonly sender: Sender;
  readonly content: string;
  readonly timestamp: Date;
}

/**
 * Whose data a query may touch. Today every caller sees everything; when accounts arrive, a
 * user's scope will carry the owner and every store query already takes it.
 */
export interface Scope {
  readonly ownerId: string | null;
}

export const EVERYONE: Scope = Object.freeze({ ownerId: null });

const CHAT_NAME_LENGTH = 40;

/** The first 40 characters of the first message, counted in code points so no emoji is split. */
export function chatNameFrom(prompt: string): string {
  return Array.from(prompt.trim()).slice(0, CHAT_NAME_LENGTH).join('');
}
