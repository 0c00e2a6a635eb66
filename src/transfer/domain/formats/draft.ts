import { Organisation } from '../../../sessions/domain/organise';
import { chatNameFrom, Sender } from '../../../sessions/domain/session';
import { SessionSettings } from '../../../settings/domain/session-settings';
import { ImportedConversation } from '../archive';
import { ReadEntry } from './reading';

/** Longest title kept from a file (ours are 40 characters; other tools' can run on). */
const TITLE_LENGTH = 200;

/** A conversation as a reader found it: times may be missing, contents may be blank. */
export interface DraftConversation {
  readonly title: string;
  readonly createdAt?: Date;
  readonly settings: SessionSettings | null;
  readonly organisation?: Organisation;
  readonly messages: readonly { readonly sender: Sender; readonly content: string; readonly timestamp?: Date }[];
}

/**
 * The conversation to store, or why it is left out. Blank messages go; a message without a time
 * takes the one before it (or the conversation's); a conversation without a title is named like
 * ours are, from its first message.
 */
export function finish(draft: DraftConversation, now: Date): ReadEntry<ImportedConversation> {
  const kept = draft.messages.filter((m) => m.content.trim() !== '');
  const title = Array.from(draft.title.trim()).slice(0, TITLE_LENGTH).join('');
  if (kept.length === 0) return { ok: false, title, reason: 'no user or assistant messages with text' };
  let last = draft.createdAt ?? kept.find((m) => m.timestamp)?.timestamp ?? now;
  const createdAt = last;
  const messages = kept.map((m) => {
    last = m.timestamp ?? last;
    return { sender: m.sender, content: m.content, timestamp: last };
  });
  return { ok: true, conversation: { title: title || chatNameFrom(messages[0].content), createdAt, settings: draft.settings, organisation: draft.organisation ?? null, messages } };
}
