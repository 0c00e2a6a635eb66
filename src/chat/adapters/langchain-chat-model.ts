import { Injectable } from '@nestjs/common';
import { ChatOpenAI } from '@langchain/openai';
import { AIMessage, BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import {
  DomainError,
  LlmBadResponseError,
  LlmTimeoutError,
  LlmUnavailableError,
  TurnAbortedError,
} from '../../common/domain-error';
import { AppConfig } from '../../config/app-config';
import { ChatModel, ModelOptions, ModelRequest, PromptMessage } from '../domain/chat-model';

/** Clients kept for the model and temperature pairs sessions chose, the least recently used going first. */
const MAX_CLIENTS = 32;

/** OpenAI or any OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio) through LangChain. */
@Injectable()
export class LangChainChatModel extends ChatModel {
  readonly name: string;
  private readonly clients = new Map<string, ChatOpenAI>();

  constructor(private readonly config: AppConfig) {
    super();
    this.name = config.llm.model;
  }

  /** ChatOpenAI takes model and temperature per client, not per call: one client per pair in use. */
  private client({ model, temperature }: ModelOptions): ChatOpenAI {
    const key = `${model ?? ''}|${temperature ?? ''}`;
    let client = this.clients.get(key);
    if (client) this.clients.delete(key);
    else client = this.newClient(model ?? this.name, temperature);
    this.clients.set(key, client);
    if (this.clients.size > MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value!);
    return client;
  }

  private newClient(model: string, temperature: number | undefined): ChatOpenAI {
    const { apiKey, baseUrl, timeoutMs, maxRetries } = this.config.llm;
    return new ChatOpenAI({
      model,
      ...(temperature === undefined ? {} : { temperature }),
      // Local servers take any key; the SDK refuses to start without one.
      apiKey: apiKey ?? 'not-needed',
      configuration: { baseURL: baseUrl },
      timeout: timeoutMs,
      maxRetries,
      streamUsage: false,
      useResponsesApi: false,
    });
  }

  async complete({ messages, signal, onUsage, ...options }: ModelRequest): Promise<string> {
    try {
      const reply = await this.client(options).invoke(toLangChain(messages), { signal });
      const usage = reply.usage_metadata;
      if (usage && onUsage) onUsage({ input: usage.input_tokens, output: usage.output_tokens });
      return nonEmpty(reply.text);
    } catch (error) {
      throw toDomainError(error, signal);
    }
  }

  /** Without usage: streamUsage stays off (not every OpenAI-compatible server takes stream_options), so the tokens of a stream are estimated. */
  async *stream({ messages, signal, onUsage: _unreported, ...options }: ModelRequest): AsyncIterable<string> {
    let received = false;
    try {
      for await (const chunk of await this.client(options).stream(toLangChain(messages), { signal })) {
        const text = chunk.text;
        if (!text) continue;
        received = true;
        yield text;
      }
    } catch (error) {
      throw toDomainError(error, signal);
    }
    if (!received) throw new LlmBadResponseError('The model returned an empty answer.');
  }
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
