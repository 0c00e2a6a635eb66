import { ContextTooLongError } from '../../common/domain-error';
import { Turn } from '../../memory/domain/conversation-memory';
import { MESSAGE_OVERHEAD_TOKENS, REPLY_PRIMING_TOKENS, TokenCounter } from '../../memory/domain/token-counter';
import { MemoryStrategy } from '../../settings/domain/session-settings';
import { PromptMessage, TokenUsage } from './chat-model';
import { SUMMARY_PREFIX } from './summarizer';

export interface ContextInput {
  readonly strategy: MemoryStrategy;
  /** The budget of the whole context under `tokens` and `summary`. */
  readonly maxTokens: number;
  readonly systemPrompt: string | null;
  /** The running summary (`summary` strategy), sent as a system message before the window. */
  readonly summary?: string | null;
  /** The earlier turns allowed by `max_history`, oldest first. */
  readonly turns: readonly Turn[];
  /** The new prompt; null to show the context as it stands before the next one. */
  readonly prompt: string | null;
  /** The model whose tokenizer counts. */
  readonly model: string;
}

export interface Context {
  readonly messages: PromptMessage[];
  /** Counted only when the strategy needed it (`tokens`); see `countTokens`. */
  readonly tokens?: number;
}

/**
 * What the model is shown: the system prompt, the summary (under `summary`), then the earlier turns
 * the strategy keeps (whole turns, newest first kept), then the prompt. Under `tokens` and `summary`
 * the prompt always goes and older turns are dropped until the whole fits the budget; a prompt that
 * does not fit even alone (with the system prompt and summary) is refused.
 */
export function buildContext(input: ContextInput, counter: TokenCounter): Context {
  const head: PromptMessage[] = input.systemPrompt ? [{ role: 'system', content: input.systemPrompt }] : [];
  if (input.strategy === 'summary' && input.summary) head.push({ role: 'system', content: SUMMARY_PREFIX + input.summary });
  const tail: PromptMessage[] = input.prompt === null ? [] : [{ role: 'human', content: input.prompt }];
  if (input.strategy === 'window') return { messages: [...head, ...turnMessages(input.turns), ...tail] };
  const cost = (messages: readonly PromptMessage[]) => countMessages(messages, input.model, counter);
  let tokens = REPLY_PRIMING_TOKENS + cost(head) + cost(tail);
  if (input.prompt !== null && tokens > input.maxTokens) throw new ContextTooLongError(tokens, input.maxTokens);
  let first = input.turns.length;
  while (first > 0) {
    const turnCost = cost(turnMessages([input.turns[first - 1]]));
    if (tokens + turnCost > input.maxTokens) break;
    tokens += turnCost;
    first--;
  }
  return { messages: [...head, ...turnMessages(input.turns.slice(first)), ...tail], tokens };
}

/** The tokens the messages cost the model, as OpenAI counts chat messages (content, overhead, reply priming). */
export function countTokens(messages: readonly PromptMessage[], model: string, counter: TokenCounter): number {
  return REPLY_PRIMING_TOKENS + countMessages(messages, model, counter);
}

/** Characters a token holds in English text, on average (OpenAI's rule of thumb). */
const CHARS_PER_TOKEN = 4;

/**
 * The tokens the messages cost, estimated from their length as OpenAI's accounting would count
 * them: no tokenizer is run. The usage series use it, so a turn pays nothing for them: building a
 * tokenizer's encoder costs a process hundreds of ms on its first turn.
 */
export function estimateTokens(messages: readonly PromptMessage[]): number {
  return REPLY_PRIMING_TOKENS + messages.reduce((sum, m) => sum + MESSAGE_OVERHEAD_TOKENS + estimateTextTokens(m.content), 0);
}

/** What a model call cost: the model's own count when it reported one, else the estimate. */
export function callTokens(messages: readonly PromptMessage[], reply: string, reported: TokenUsage | undefined): TokenUsage {
  return reported ?? { input: estimateTokens(messages), output: estimateTextTokens(reply) };
}

export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function countMessages(messages: readonly PromptMessage[], model: string, counter: TokenCounter): number {
  return messages.reduce((sum, m) => sum + MESSAGE_OVERHEAD_TOKENS + counter.count(m.content, model), 0);
}

function turnMessages(turns: readonly Turn[]): PromptMessage[] {
  return turns.flatMap((turn): PromptMessage[] => [
    { role: 'human', content: turn.human },
    { role: 'ai', content: turn.ai },
  ]);
}

/** The newest part of `text` that holds at most `max` tokens: when a summary must shrink, its oldest facts go first. */
export function lastTokens(text: string, max: number, model: string, counter: TokenCounter): string {
  if (counter.count(text, model) <= max) return text;
  const chars = Array.from(text);
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (counter.count(chars.slice(mid).join(''), model) <= max) high = mid;
    else low = mid + 1;
  }
  return chars.slice(low).join('').trimStart();
}
