import { InvalidFieldError } from '../../common/domain-error';
import type { Sender } from '../../sessions/domain/session';

/** What a list of OpenAI input items says: messages to store, and instructions (system or developer messages). */
export interface ReadItems {
  readonly messages: readonly { readonly sender: Sender; readonly content: string }[];
  readonly instructions: readonly string[];
}

const TEXT_PARTS = new Set(['input_text', 'output_text', 'text']);
const ROLES: Readonly<Record<string, Sender | 'instructions'>> = { user: 'Human', assistant: 'AI', system: 'instructions', developer: 'instructions' };

/**
 * Reads message items (`{type?: 'message', role, content}` with text content, a string or text
 * parts). The rest of OpenAI's item kinds (tool calls, images, files) is refused by name, as a 400.
 */
export function readItems(items: unknown, field: string): ReadItems {
  if (!Array.isArray(items)) throw new InvalidFieldError(field, `${field} must be an array of message items.`);
  const messages: { sender: Sender; content: string }[] = [];
  const instructions: string[] = [];
  items.forEach((item: unknown, index) => {
    const at = `${field}[${index}]`;
    if (typeof item !== 'object' || item === null) throw new InvalidFieldError(at, `${at} must be a message item object.`);
    const { type, role, content } = item as { type?: unknown; role?: unknown; content?: unknown };
    if (type !== undefined && type !== 'message') throw new InvalidFieldError(`${at}.type`, `${at}.type ${JSON.stringify(type)} is not supported here: only 'message' items are.`);
    const kind = typeof role === 'string' ? ROLES[role] : undefined;
    if (!kind) throw new InvalidFieldError(`${at}.role`, `${at}.role must be one of user, assistant, system, developer.`);
    const text = textOf(content, `${at}.content`);
    if (kind === 'instructions') instructions.push(text);
    else messages.push({ sender: kind, content: text });
  });
  return { messages, instructions };
}

function textOf(content: unknown, field: string): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw new InvalidFieldError(field, `${field} must be a string or an array of text parts.`);
  return content
    .map((part: unknown, index) => {
      const { type, text } = (typeof part === 'object' && part !== null ? part : {}) as { type?: unknown; text?: unknown };
      if (typeof type !== 'string' || !TEXT_PARTS.has(type) || typeof text !== 'string') {
        throw new InvalidFieldError(`${field}[${index}]`, `${field}[${index}] must be a text part ({type: 'input_text', text}); other content is not supported.`);
      }
      return text;
    })
    .join('');
}
