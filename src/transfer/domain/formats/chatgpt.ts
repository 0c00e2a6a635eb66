import { Sender } from '../../../sessions/domain/session';
import { DraftConversation } from './draft';
import { ConversationDefect, isRecord, moment, record, title } from './reading';

/** What a ChatGPT export holds in each conversation: a tree of messages and the node shown last. */
export function isChatGptConversation(value: unknown): boolean {
  return isRecord(value) && 'mapping' in value;
}

/**
 * One conversation of ChatGPT's `conversations.json`: the branch that ends at `current_node`, walked
 * back through `parent` to the root, so regenerated replies and edited prompts left behind are not
 * kept. Only user and assistant text is: system, tool, hidden messages and assistant calls to tools go.
 */
export function readChatGpt(raw: unknown): DraftConversation {
  const conversation = record(raw, 'the conversation');
  const mapping = record(conversation.mapping, 'mapping');
  const messages: DraftConversation['messages'][number][] = [];
  const seen = new Set<string>();
  let nodeId: unknown = conversation.current_node ?? lastLeaf(mapping);
  while (nodeId !== null && nodeId !== undefined) {
    if (typeof nodeId !== 'string') throw new ConversationDefect(`a parent or current_node is not a string`);
    if (seen.has(nodeId)) throw new ConversationDefect(`mapping loops back to node ${nodeId}`);
    seen.add(nodeId);
    if (!(nodeId in mapping)) throw new ConversationDefect(`node ${nodeId} is not in mapping`);
    const node = record(mapping[nodeId], `mapping node ${nodeId}`);
    const message = node.message === null || node.message === undefined ? undefined : keep(record(node.message, `the message of node ${nodeId}`), nodeId);
    if (message) messages.push(message);
    nodeId = node.parent;
  }
  return { title: title(conversation.title), createdAt: moment(conversation.create_time, 'create_time'), settings: null, messages: messages.reverse() };
}

const SENDERS: Partial<Record<string, Sender>> = { user: 'Human', assistant: 'AI' };

function keep(message: Record<string, unknown>, nodeId: string): DraftConversation['messages'][number] | undefined {
  const author = isRecord(message.author) ? message.author : {};
  const sender = typeof author.role === 'string' ? SENDERS[author.role] : undefined;
  if (!sender) return undefined;
  const metadata = isRecord(message.metadata) ? message.metadata : {};
  if (metadata.is_visually_hidden_from_conversation === true) return undefined;
  // An assistant message addressed to a tool (python, browser…) is a call, not a reply.
  if (typeof message.recipient === 'string' && message.recipient !== 'all') return undefined;
  const content = isRecord(message.content) ? message.content : {};
  const parts = Array.isArray(content.parts) ? content.parts.filter((p): p is string => typeof p === 'string') : [];
  return { sender, content: parts.join('\n'), timestamp: moment(message.create_time, `the create_time of node ${nodeId}`) };
}

/** Old exports may lack `current_node`: the leaf reached by following the last child from the root. */
function lastLeaf(mapping: Record<string, unknown>): string | undefined {
  const root = Object.entries(mapping).find(([, node]) => isRecord(node) && (node.parent === null || node.parent === undefined));
  let id = root?.[0];
  for (let steps = 0; id !== undefined && steps < 100_000; steps++) {
    const node = mapping[id];
    const children = isRecord(node) && Array.isArray(node.children) ? node.children : [];
    if (children.length === 0) return id;
    id = String(children[children.length - 1]);
  }
  return id;
}
