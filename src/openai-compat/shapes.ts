import { Sender, StoredMessage } from '../sessions/domain/session';
import { Metadata } from './domain/conversation-metadata';
import { answerItemId, conversationId, itemId } from './domain/ids';

/** The objects of OpenAI's Conversations and Responses API, field for field as the official SDK types them. */

export interface ConversationObject {
  id: string;
  object: 'conversation';
  created_at: number;
  metadata: Metadata;
}

export interface InputTextPart {
  type: 'input_text';
  text: string;
}

export interface OutputTextPart {
  type: 'output_text';
  text: string;
  annotations: never[];
  logprobs: never[];
}

export interface MessageItem {
  id: string;
  type: 'message';
  role: 'user' | 'assistant';
  status: 'completed' | 'in_progress' | 'incomplete';
  content: (InputTextPart | OutputTextPart)[];
}

export interface ListObject<T> {
  object: 'list';
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/** OpenAI's usage of a response; the details are counts this service does not learn, so 0. */
export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponseStatus = 'completed' | 'failed' | 'in_progress' | 'incomplete';

export interface ResponseObject {
  id: string;
  object: 'response';
  access_programs: null;
  created_at: number;
  status: ResponseStatus;
  completed_at: number | null;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: 'max_output_tokens' } | null;
  instructions: string | null;
  max_output_tokens: null;
  model: string;
  output: MessageItem[];
  output_text: string;
  parallel_tool_calls: boolean;
  previous_response_id: null;
  conversation: { id: string } | null;
  reasoning: { effort: null; summary: null };
  store: boolean;
  temperature: number | null;
  text: { format: { type: 'text' } };
  tool_choice: 'auto';
  tools: never[];
  top_p: number | null;
  truncation: 'disabled';
  usage: ResponseUsage | null;
  metadata: Metadata;
}

export function epochSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}

export function toConversation(sessionId: string, createdAt: Date, metadata: Metadata): ConversationObject {
  return { id: conversationId(sessionId), object: 'conversation', created_at: epochSeconds(createdAt), metadata };
}

export function outputText(text: string): OutputTextPart {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

/**
 * A message as an item: the person's words are input text, the model's output text. `previous` is
 * the message before it in its session: an AI message that answers a Human one is named for it.
 */
export function toItem(message: Pick<StoredMessage, 'id' | 'sender' | 'content'>, previous: Pick<StoredMessage, 'id' | 'sender'> | undefined): MessageItem {
  const id = message.sender === 'AI' && previous?.sender === 'Human' ? answerItemId(previous.id) : itemId(message.id);
  return messageItem(id, message.sender, message.content, 'completed');
}

export function messageItem(id: string, sender: Sender, text: string, status: MessageItem['status']): MessageItem {
  if (sender === 'Human') return { id, type: 'message', role: 'user', status, content: [{ type: 'input_text', text }] };
  return { id, type: 'message', role: 'assistant', status, content: text === '' && status === 'in_progress' ? [] : [outputText(text)] };
}

export function toList<T extends { id: string }>(data: T[], hasMore: boolean): ListObject<T> {
  return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: hasMore };
}
