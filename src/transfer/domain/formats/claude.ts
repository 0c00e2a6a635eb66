import { Sender } from '../../../sessions/domain/session';
import { DraftConversation } from './draft';
import { isRecord, list, moment, record, title } from './reading';

export function isClaudeConversation(value: unknown): boolean {
  return isRecord(value) && 'chat_messages' in value;
}

const SENDERS: Partial<Record<string, Sender>> = { human: 'Human', assistant: 'AI' };

/** One conversation of Claude's `conversations.json`: `chat_messages` in order, human and assistant text. */
export function readClaude(raw: unknown): DraftConversation {
  const conversation = record(raw, 'the conversation');
  const messages = list(conversation.chat_messages, 'chat_messages').flatMap((item, i) => {
    const message = record(item, `chat_messages[${i}]`);
    const sender = typeof message.sender === 'string' ? SENDERS[message.sender] : undefined;
    if (!sender) return [];
    return [{ sender, content: textOf(message), timestamp: moment(message.created_at, `the created_at of chat_messages[${i}]`) }];
  });
  return { title: title(conversation.name), createdAt: moment(conversation.created_at, 'created_at'), settings: null, messages };
}

/** `text` when it has any; otherwise the text blocks of `content` (newer exports), tool blocks left out. */
function textOf(message: Record<string, unknown>): string {
  if (typeof message.text === 'string' && message.text.trim() !== '') return message.text;
  const blocks = Array.isArray(message.content) ? message.content : [];
  return blocks
    .filter((b): b is Record<string, unknown> => isRecord(b) && (b.type === undefined || b.type === 'text') && typeof b.text === 'string')
    .map((b) => b.text as string)
    .join('\n');
}
