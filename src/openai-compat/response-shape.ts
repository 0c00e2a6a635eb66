import { TokenUsage } from '../chat/domain/chat-model';
import { Sender } from '../sessions/domain/session';
import { Metadata } from './domain/conversation-metadata';
import { conversationId } from './domain/ids';
import { epochSeconds, messageItem, MessageItem, ResponseObject, ResponseStatus, ResponseUsage } from './shapes';

/** What a response object says, before it is put in OpenAI's shape. */
export interface ResponseFacts {
  readonly id: string;
  readonly createdAt: Date;
  readonly completedAt?: Date;
  readonly status: ResponseStatus;
  readonly model: string;
  readonly instructions: string | null;
  readonly temperature: number | null;
  readonly sessionId: string | null;
  readonly store: boolean;
  readonly metadata: Metadata;
  /** The answer so far; absent before the first output item. */
  readonly output?: { readonly itemId: string; readonly text: string; readonly status: MessageItem['status'] };
  readonly error?: { readonly code: string; readonly message: string };
  /** What the turn's model call cost; absent until it answered, and for a stored response read back (not kept per message). */
  readonly usage?: TokenUsage;
}

const AI: Sender = 'AI';

export function toResponse(facts: ResponseFacts): ResponseObject {
  const output = facts.output ? [messageItem(facts.output.itemId, AI, facts.output.text, facts.output.status)] : [];
  return {
    id: facts.id,
    object: 'response',
    access_programs: null,
    created_at: epochSeconds(facts.createdAt),
    status: facts.status,
    completed_at: facts.completedAt ? epochSeconds(facts.completedAt) : null,
    error: facts.error ? { ...facts.error } : null,
    incomplete_details: facts.status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: facts.instructions,
    max_output_tokens: null,
    model: facts.model,
    output,
    output_text: facts.output?.text ?? '',
    parallel_tool_calls: false,
    previous_response_id: null,
    conversation: facts.sessionId ? { id: conversationId(facts.sessionId) } : null,
    reasoning: { effort: null, summary: null },
    store: facts.store,
    temperature: facts.temperature,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: null,
    truncation: 'disabled',
    usage: facts.usage ? toUsage(facts.usage) : null,
    metadata: facts.metadata,
  };
}

function toUsage({ input, output }: TokenUsage): ResponseUsage {
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}
