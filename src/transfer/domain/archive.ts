import { SessionSettings } from '../../settings/domain/session-settings';
import { Organisation } from '../../sessions/domain/organise';
import { Sender, Session, StoredMessage } from '../../sessions/domain/session';

/** The name and version of our export format; a reader refuses versions it does not know. */
export const ARCHIVE_FORMAT = 'chat-sessions/1';

/** One session as it leaves the service: what an export holds and what an import of our own format reads. */
export interface ArchivedSession {
  readonly session: Session;
  /** The session's own settings; null when it uses the service defaults. */
  readonly settings: SessionSettings | null;
  /** Pinned, archived and its tags. */
  readonly organisation: Organisation;
  readonly messages: readonly StoredMessage[];
}

/** A conversation read from a file, before it is stored: no ids yet. */
export interface ImportedConversation {
  readonly title: string;
  readonly createdAt: Date;
  readonly settings: SessionSettings | null;
  /** Null when the file says nothing of it (other tools' files): the session starts unpinned, unarchived, untagged. */
  readonly organisation: Organisation | null;
  readonly messages: readonly ImportedMessage[];
}

export interface ImportedMessage {
  readonly sender: Sender;
  readonly content: string;
  readonly timestamp: Date;
}

/** JSON of one session in `chat-sessions/1` (see docs/chat-sessions-format.md). */
export function archiveJson({ session, settings, organisation, messages }: ArchivedSession): Record<string, unknown> {
  return {
    id: session.sessionId,
    chat_name: session.chatName,
    created_at: session.createdAt.toISOString(),
    last_activity: session.lastActivity.toISOString(),
    message_count: messages.length,
    pinned: organisation.pinned,
    archived: organisation.archived,
    tags: organisation.tags,
    settings: settings && {
      system_prompt: settings.systemPrompt,
      model: settings.model,
      temperature: settings.temperature,
      memory: { strategy: settings.memory.strategy, max_history: settings.memory.maxHistory, max_tokens: settings.memory.maxTokens },
    },
    messages: messages.map((m) => ({ id: m.id, sender: m.sender, content: m.content, timestamp: m.timestamp.toISOString() })),
  };
}

/** The opening of a `chat-sessions/1` document; the sessions follow, then `ARCHIVE_END`. */
export function archiveStart(exportedAt: Date): string {
  return `{"format":${JSON.stringify(ARCHIVE_FORMAT)},"exported_at":${JSON.stringify(exportedAt.toISOString())},"sessions":[`;
}

export const ARCHIVE_END = ']}\n';
