import { DomainError } from '../../../common/domain-error';
import { normalizeTags, Organisation } from '../../../sessions/domain/organise';
import { Sender } from '../../../sessions/domain/session';
import { MAX_MAX_TOKENS, MEMORY_STRATEGIES, MemoryStrategy, MIN_MAX_TOKENS, SessionSettings } from '../../../settings/domain/session-settings';
import { MAX_WINDOW_TURNS } from '../../../memory/domain/conversation-memory';
import { ARCHIVE_FORMAT } from '../archive';
import { DraftConversation } from './draft';
import { ConversationDefect, isRecord, list, moment, record, text } from './reading';

const SENDERS: readonly Sender[] = ['Human', 'AI'];

/** One session of our own `chat-sessions/1` format, settings included. */
export function readChatSession(raw: unknown): DraftConversation {
  const session = record(raw, 'the session');
  const messages = list(session.messages, 'messages').map((item, i) => {
    const message = record(item, `messages[${i}]`);
    const sender = message.sender as Sender;
    if (!SENDERS.includes(sender)) throw new ConversationDefect(`messages[${i}].sender is not "Human" or "AI"`);
    return { sender, content: text(message.content, `messages[${i}].content`), timestamp: moment(message.timestamp, `messages[${i}].timestamp`) };
  });
  return {
    title: text(session.chat_name ?? '', 'chat_name'),
    createdAt: moment(session.created_at, 'created_at'),
    settings: session.settings === null || session.settings === undefined ? null : readSettings(record(session.settings, 'settings')),
    organisation: readOrganisation(session),
    messages,
  };
}

/** The sessions list of a `chat-sessions` document, once its version is known to be ours. */
export function sessionsOf(document: Record<string, unknown>): unknown[] {
  if (document.format !== ARCHIVE_FORMAT) {
    throw new ConversationDefect(`format "${String(document.format)}" is not supported: this service reads ${ARCHIVE_FORMAT}`);
  }
  return list(document.sessions, 'sessions');
}

export function isChatSessionsDocument(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && typeof value.format === 'string' && value.format.startsWith('chat-sessions/');
}

/** `pinned`, `archived` and `tags`, all optional (files from before they existed have none). */
function readOrganisation(session: Record<string, unknown>): Organisation | undefined {
  const { pinned, archived, tags } = session;
  if (pinned === undefined && archived === undefined && tags === undefined) return undefined;
  const flag = (value: unknown, what: string) => {
    if (value !== undefined && typeof value !== 'boolean') throw new ConversationDefect(`${what} is not true or false`);
    return value === true;
  };
  const raw = tags === undefined ? [] : list(tags, 'tags');
  if (!raw.every((t): t is string => typeof t === 'string')) throw new ConversationDefect('tags is not a list of strings');
  try {
    return { pinned: flag(pinned, 'pinned'), archived: flag(archived, 'archived'), tags: normalizeTags(raw) };
  } catch (error) {
    if (error instanceof DomainError) throw new ConversationDefect(`tags: ${error.message}`);
    throw error;
  }
}

function readSettings(s: Record<string, unknown>): SessionSettings {
  const memory = record(s.memory ?? {}, 'settings.memory');
  const strategy = memory.strategy as MemoryStrategy;
  if (!MEMORY_STRATEGIES.includes(strategy)) throw new ConversationDefect(`settings.memory.strategy is not one of ${MEMORY_STRATEGIES.join(', ')}`);
  return {
    systemPrompt: nullable(s.system_prompt, (v) => typeof v === 'string', 'settings.system_prompt', 'a string'),
    model: nullable(s.model, (v) => typeof v === 'string' && v.length <= 200, 'settings.model', 'a name of at most 200 characters'),
    temperature: nullable(s.temperature, (v) => typeof v === 'number' && v >= 0 && v <= 2, 'settings.temperature', 'a number from 0 to 2'),
    memory: {
      strategy,
      maxHistory: integer(memory.max_history, 1, MAX_WINDOW_TURNS, 'settings.memory.max_history'),
      maxTokens: nullable(memory.max_tokens, (v) => Number.isSafeInteger(v) && (v as number) >= MIN_MAX_TOKENS && (v as number) <= MAX_MAX_TOKENS, 'settings.memory.max_tokens', `an integer from ${MIN_MAX_TOKENS} to ${MAX_MAX_TOKENS}`),
    },
  };
}

function nullable<T>(value: unknown, valid: (v: unknown) => boolean, what: string, expected: string): T | null {
  if (value === null || value === undefined) return null;
  if (!valid(value)) throw new ConversationDefect(`${what} is not ${expected}`);
  return value as T;
}

function integer(value: unknown, min: number, max: number, what: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) throw new ConversationDefect(`${what} is not an integer from ${min} to ${max}`);
  return value as number;
}
