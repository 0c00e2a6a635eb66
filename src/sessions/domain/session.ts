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
 * Whose sessions a query may touch: those of `ownerId`, or every session when it is null (admin
 * routes, and the implicit local admin of AUTH_MODE=off). Store adapters narrow in SQL by it.
 */
export interface Scope {
  readonly ownerId: string | null;
}

export const EVERYONE: Scope = Object.freeze({ ownerId: null });

export function ownedBy(ownerId: string): Scope {
  return { ownerId };
}

const CHAT_NAME_LENGTH = 40;

/** The first 40 characters of the first message, counted in code points so no emoji is split. */
export function chatNameFrom(prompt: string): string {
  return Array.from(prompt.trim()).slice(0, CHAT_NAME_LENGTH).join('');
}

/** What answering one turn cost the model: written with the AI message, summed into the usage series. */
export interface ModelUsage {
  /** From the request to the model until its whole reply, in ms. */
  readonly latencyMs: number;
  /** The tokens of the context sent (system prompt, window, prompt). */
  readonly tokensIn: number;
  /** The tokens of the reply. */
  readonly tokensOut: number;
}
