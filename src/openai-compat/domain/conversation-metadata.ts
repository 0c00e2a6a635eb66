import type { Scope } from '../../sessions/domain/session';

/** Up to 16 string pairs that a client attaches to a conversation, as OpenAI's `metadata`. */
export type Metadata = Readonly<Record<string, string>>;

export const MAX_METADATA_KEYS = 16;
export const MAX_METADATA_KEY_CHARS = 64;
export const MAX_METADATA_VALUE_CHARS = 512;

/** The metadata of sessions used as conversations. */
export abstract class ConversationMetadataStore {
  /** The session's metadata (`{}` when none was set); undefined when the scope sees no such session. */
  abstract find(scope: Scope, sessionId: string): Promise<Metadata | undefined>;

  /** Replaces the session's metadata; false when the scope sees no such session. */
  abstract replace(scope: Scope, sessionId: string, metadata: Metadata): Promise<boolean>;
}
