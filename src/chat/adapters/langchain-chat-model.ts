import { Injectable, Logger } from '@nestjs/common';
import { ChatOpenAI } from '@langchain/openai';
import { AIMessage, BaseMessage, HumanMessage, SystemMessage, UsageMetadata } from '@langchain/core/messages';
import {
  DomainError,
  LlmBadResponseError,
  LlmTimeoutError,
  LlmUnavailableError,
  TurnAbortedError,
} from '../../common/domain-error';
import { AppConfig } from '../../config/app-config';
import { ChatModel, ModelOptions, ModelRequest, PromptMessage, TokenUsage } from '../domain/chat-model';
import { StreamUsage, WarningLog } from './stream-usage';

/** Clients kept for the model and temperature pairs sessions chose, the least recently used going first. */
const MAX_CLIENTS = 32;

/** OpenAI or any OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio) through LangChain. */
@Injectable()
export class LangChainChatModel extends ChatModel {
  readonly name: string;
  private readonly clients = new Map<string, ChatOpenAI>();
  private readonly streamUsage: StreamUsage;

  constructor(
    private readonly config: AppConfig,
    log: WarningLog = new Logger(LangChainChatModel.name),
  ) {
    super();
    this.name = config.llm.model;
    this.streamUsage = new StreamUsage(config.llm.streamUsage, log);
  }

  /**
   * ChatOpenAI takes model, temperature and whether streams ask for usage per client, not per
   * call (a per-call `stream_options` is still sent, which is what a refusing server refuses).
   */
  private client({ model, temperature }: ModelOptions, streamUsage: boolean): ChatOpenAI {
    const key = `${model ?? ''}|${temperature ?? ''}|${streamUsage}`;
    let client = this.clients.get(key);
    if (client) this.clients.delete(key);
    else client = this.newClient(model ?? this.name, temperature, streamUsage);
    this.clients.set(key, client);
    if (this.clients.size > MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value!);
    return client;
  }

  private newClient(model: string, temperature: number | undefined, streamUsage: boolean): ChatOpenAI {
    const { apiKey, baseUrl, timeoutMs, maxRetries } = this.config.llm;
    return new ChatOpenAI({
      model,
      ...(temperature === undefined ? {} : { temperature }),
      // Local servers take any key; the SDK refuses to start without one.
      apiKey: apiKey ?? 'not-needed',
      configuration: { baseURL: baseUrl },
      timeout: timeoutMs,
      maxRetries,
      // true: streams send stream_options: {include_usage: true}, and the last chunk carries the usage.
      streamUsage,
      useResponsesApi: false,
    });
  }

  async complete({ messages, signal, onUsage, ...options }: ModelRequest): Promise<string> {
    try {
      // A plain call sends no stream_options, so either client serves: the one streams use now saves making another.
      const reply = await this.client(options, this.streamUsage.asked).invoke(toLangChain(messages), { signal });
      report(reply.usage_metadata, onUsage);
      return nonEmpty(reply.text);
    } catch (error) {
      throw toDomainError(error, signal);
    }
  }

  /** Asks for usage as OPENAI_STREAM_USAGE says; once more without when `auto` learns the server refuses it. */
  async *stream(request: ModelRequest): AsyncIterable<string> {
    const asked = this.streamUsage.asked;
    let received = false;
    try {
      for await (const text of this.pieces(request, asked)) {
        received = true;
        yield text;
      }
    } catch (error) {
      if (received || !asked || !this.streamUsage.retryWithout(error)) throw toDomainError(error, request.signal);
      // Refused before any piece: nothing was shown, so the call is simply made again.
      try {
        for await (const text of this.pieces(request, false)) {
          received = true;
          yield text;
        }
      } catch (retryError) {
        throw toDomainError(retryError, request.signal);
      }
    }
    if (!received) throw new LlmBadResponseError('The model returned an empty answer.');
  }

  /** The text of each chunk; the usage, on a chunk of its own after the last text, goes to `onUsage`. */
  private async *pieces({ messages, signal, onUsage, ...options }: ModelRequest, streamUsage: boolean): AsyncIterable<string> {
    for await (const chunk of await this.client(options, streamUsage).stream(toLangChain(messages), { signal })) {
      report(chunk.usage_metadata, onUsage);
      if (chunk.text) yield chunk.text;
    }
  }
}

/** Hands on the usage when the server counted both sides; a server that sent none leaves LangChain's fields empty. */
function report(usage: UsageMetadata | undefined, onUsage: ((usage: TokenUsage) => void) | undefined): void {
  if (!usage || !onUsage || !Number.isFinite(usage.input_tokens) || !Number.isFinite(usage.output_tokens)) return;
  onUsage({ input: usage.input_tokens, output: usage.output_tokens });
}

function toLangChain(messages: readonly PromptMessage[]): BaseMessage[] {
  return messages.map((m) => {
    switch (m.role) {
      case 'system':
        return new SystemMessage(m.content);
      case 'human':
        return new HumanMessage(m.content);
      case 'ai':
        return new AIMessage(m.content);
    }
  });
}

function nonEmpty(text: string): string {
  if (!text) throw new LlmBadResponseError('The model returned an empty answer.');
  return text;
}

/** Maps what LangChain and the OpenAI SDK throw to the errors the core knows. */
export function toDomainError(error: unknown, signal?: AbortSignal): DomainError {
  if (error instanceof DomainError) return error;
  if (signal?.aborted) return new TurnAbortedError('The request was aborted.', { cause: error });
  const { name, status, message } = describe(error);
  if (name === 'TimeoutError' || name === 'APIConnectionTimeoutError' || name === 'AbortError' || status === 408 || status === 504) {
    return new LlmTimeoutError('The model did not answer in time.', { cause: error });
  }
  if (status === 401 || status === 403) return new LlmUnavailableError('The model server refused the credentials (check OPENAI_API_KEY).', { cause: error });
  if (status === 404) return new LlmUnavailableError('The model server does not know this model (check OPENAI_MODEL and OPENAI_BASE_URL).', { cause: error });
  if (status === 429) return new LlmUnavailableError('The model server is rate limiting us; try again shortly.', { cause: error });
  if (status !== undefined) return new LlmBadResponseError(`The model server answered with an error (HTTP ${status}).`, { cause: error });
  if (name === 'APIConnectionError' || /connection error|ECONNREFUSED|ENOTFOUND|ECONNRESET|fetch failed/i.test(message)) {
    return new LlmUnavailableError('The model server could not be reached.', { cause: error });
  }
  return new LlmBadResponseError('The model server sent an answer that could not be read.', { cause: error });
}

function describe(error: unknown): { name: string; status?: number; message: string } {
  if (typeof error !== 'object' || error === null) return { name: '', message: String(error) };
  const e = error as { name?: unknown; status?: unknown; message?: unknown; constructor?: { name?: string } };
  return {
    name: typeof e.name === 'string' && e.name !== 'Error' ? e.name : (e.constructor?.name ?? ''),
    status: typeof e.status === 'number' ? e.status : undefined,
    message: typeof e.message === 'string' ? e.message : '',
  };
}
