import { DomainError } from '../../common/domain-error';
import { ImportedConversation } from './archive';
import { isChatSessionsDocument, readChatSession, sessionsOf } from './formats/chat-sessions';
import { isChatGptConversation, readChatGpt } from './formats/chatgpt';
import { isClaudeConversation, readClaude } from './formats/claude';
import { DraftConversation, finish } from './formats/draft';
import { ConversationDefect, ReadEntry } from './formats/reading';

export type ImportFormat = 'chat-sessions' | 'chatgpt' | 'claude';

export interface ImportFile {
  readonly format: ImportFormat;
  /** One per conversation of the file, in its order (`index` counts from 0). */
  readonly entries: readonly ReadEntry<ImportedConversation>[];
}

/** The file cannot be imported as a whole; each problem says where (`conversation 3: …`). */
export class UnreadableImportError extends DomainError {
  readonly code = 'import_unreadable';

  constructor(readonly problems: readonly string[]) {
    super('The file cannot be imported: ' + problems.slice(0, MAX_PROBLEMS_SHOWN).join('; ') + (problems.length > MAX_PROBLEMS_SHOWN ? `; and ${problems.length - MAX_PROBLEMS_SHOWN} more` : ''));
  }
}

const MAX_PROBLEMS_SHOWN = 5;

const READERS: Record<ImportFormat, (raw: unknown) => DraftConversation> = {
  'chat-sessions': readChatSession,
  chatgpt: readChatGpt,
  claude: readClaude,
};

/**
 * Reads an export file, its format told by its shape: our `{format: "chat-sessions/1", sessions}`,
 * or a list of conversations (one alone is taken too) with `mapping` (ChatGPT) or `chat_messages`
 * (Claude). Any structural defect makes the whole file unreadable, so nothing is half-imported from
 * a file we misread; a conversation that is well-formed but has nothing to keep is only skipped.
 */
export function readImportFile(body: unknown, now: Date): ImportFile {
  const { format, conversations } = detect(body);
  const problems: string[] = [];
  const entries = conversations.map((raw, index): ReadEntry<ImportedConversation> => {
    try {
      return finish(READERS[format](raw), now);
    } catch (error) {
      if (!(error instanceof ConversationDefect)) throw error;
      problems.push(`conversation ${index}: ${error.message}`);
      return { ok: false, title: '', reason: error.message };
    }
  });
  if (problems.length > 0) throw new UnreadableImportError(problems);
  return { format, entries };
}

function detect(body: unknown): { format: ImportFormat; conversations: unknown[] } {
  if (isChatSessionsDocument(body)) {
    try {
      return { format: 'chat-sessions', conversations: sessionsOf(body) };
    } catch (error) {
      if (error instanceof ConversationDefect) throw new UnreadableImportError([error.message]);
      throw error;
    }
  }
  const conversations = Array.isArray(body) ? body : [body];
  const first = conversations.find((c) => isChatGptConversation(c) || isClaudeConversation(c));
  if (first !== undefined) return { format: isChatGptConversation(first) ? 'chatgpt' : 'claude', conversations };
  if (Array.isArray(body) && body.length === 0) throw new UnreadableImportError(['the file holds an empty list: there is nothing to import']);
  throw new UnreadableImportError([
    `the file is not an export this service reads: expected {"format": "chat-sessions/1", "sessions": [...]}, ` +
      `or a conversations.json list from ChatGPT (conversations with "mapping") or Claude (conversations with "chat_messages")`,
  ]);
}
