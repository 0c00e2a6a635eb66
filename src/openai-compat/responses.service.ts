import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainError, InvalidFieldError, ResponseNotFoundError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { ConversationTurns, StreamOptions, TurnOverrides, UnstoredTurnResult } from '../chat/domain/turns';
import { turnsFromMessages } from '../memory/domain/conversation-memory';
import { chatNameFrom, Scope, Sender } from '../sessions/domain/session';
import { SessionOrganiser } from '../sessions/domain/organise';
import { SessionStore } from '../sessions/domain/session-store';
import { allowedModels, SessionSettingsStore } from '../settings/domain/session-settings';
import { checkedMetadata } from './domain/checked-metadata';
import { Metadata } from './domain/conversation-metadata';
import { answerItemId, conversationId, humanMessageIdOf, responseId, sessionIdOf, unstoredResponseId } from './domain/ids';
import { readItems } from './domain/input-items';
import { ConversationsService, UNNAMED_CONVERSATION } from './conversations.service';
import { ResponseFacts, toResponse } from './response-shape';
import { ResponseObject } from './shapes';

export interface ResponseRequest {
  readonly model?: string;
  readonly input: unknown;
  readonly conversation?: unknown;
  readonly instructions?: string;
  readonly temperature?: number;
  readonly store?: boolean;
  readonly metadata?: unknown;
}

/** The side of a streamed response that speaks HTTP: headers once, then events. */
export interface ResponseSink {
  open(): void;
  send(type: string, payload: Record<string, unknown>): Promise<void>;
}

interface PreparedTurn {
  readonly prompt: string;
  readonly earlier: readonly { readonly sender: Sender; readonly content: string }[];
  readonly overrides: TurnOverrides;
  /** The conversation's session, or null for a turn without one. */
  readonly sessionId: string | null;
  readonly store: boolean;
  readonly model: string;
  readonly temperature: number | null;
  readonly metadata: Metadata;
}

/**
 * OpenAI's responses as turns of our sessions: in a conversation, a turn of its session under its
 * memory strategy; without one, a turn of a new session, or of none when `store` is false.
 */
@Injectable()
export class ResponsesService {
  constructor(
    private readonly turns: ConversationTurns,
    private readonly conversations: ConversationsService,
    private readonly store: SessionStore,
    private readonly organiser: SessionOrganiser,
    private readonly settings: SessionSettingsStore,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async create(scope: Scope, request: ResponseRequest, signal?: AbortSignal): Promise<ResponseObject> {
    const turn = await this.prepare(scope, request);
    const createdAt = this.clock.now();
    if (!turn.store) {
      const result = await this.turns.unstored({ prompt: turn.prompt, earlier: turnsFromMessages(turn.earlier), overrides: turn.overrides }, signal);
      const id = randomBytes(16).toString('hex');
      return toResponse(
        this.facts(turn, null, {
          id: unstoredResponseId(id),
          createdAt,
          completedAt: result.timestamp,
          status: statusOf(result.finishReason),
          output: { itemId: `msg_x${id}`, text: result.response, status: 'completed' },
          usage: result.usage,
        }),
      );
    }
    const sessionId = await this.storeEarlier(scope, turn);
    const result = await this.turns.generate({ prompt: turn.prompt, sessionId, overrides: turn.overrides }, signal, scope);
    await this.nameIfUnnamed(scope, sessionId, result.chatName, turn.prompt);
    return toResponse(
      this.facts(turn, sessionId, {
        id: responseId(result.humanMessageId),
        createdAt,
        completedAt: result.timestamp,
        status: statusOf(result.finishReason),
        output: { itemId: answerItemId(result.humanMessageId), text: result.response, status: 'completed' },
        usage: result.usage,
      }),
    );
  }

  /** The same turn as Responses streaming events; its output item is named for its Human message (see ids). */
  async stream(scope: Scope, request: ResponseRequest, sink: ResponseSink, signal?: AbortSignal): Promise<void> {
    const turn = await this.prepare(scope, request);
    const createdAt = this.clock.now();
    const sessionId = turn.store ? await this.storeEarlier(scope, turn) : null;
    let base: ResponseFacts | undefined;
    // The opening events go out before any delta: every later send waits for them.
    let opened: Promise<void> = Promise.resolve();
    let text = '';
    let pendingItem = '';
    const position = () => ({ item_id: pendingItem, output_index: 0, content_index: 0 });
    const options: StreamOptions = {
      signal,
      onStart: ({ messageId }) => {
        sink.open();
        const random = randomBytes(16).toString('hex');
        pendingItem = messageId ? answerItemId(messageId) : `msg_x${random}`;
        base = this.facts(turn, sessionId, { id: messageId ? responseId(messageId) : unstoredResponseId(random), createdAt, status: 'in_progress' });
        opened = this.opening(sink, base, pendingItem);
      },
      onToken: async (delta) => {
        await opened;
        text += delta;
        await sink.send('response.output_text.delta', { ...position(), delta, logprobs: [] });
      },
    };
    try {
      let result: UnstoredTurnResult;
      if (sessionId) {
        const stored = await this.turns.stream({ prompt: turn.prompt, sessionId, overrides: turn.overrides }, options, scope);
        await this.nameIfUnnamed(scope, sessionId, stored.chatName, turn.prompt);
        result = stored;
      } else {
        result = await this.turns.unstored({ prompt: turn.prompt, earlier: turnsFromMessages(turn.earlier), overrides: turn.overrides }, signal, options);
      }
      await opened;
      const done = toResponse({
        ...base!,
        status: statusOf(result.finishReason),
        completedAt: result.timestamp,
        output: { itemId: pendingItem, text: result.response, status: 'completed' },
        usage: result.usage,
      });
      await sink.send('response.output_text.done', { ...position(), text: result.response, logprobs: [] });
      await sink.send('response.content_part.done', { ...position(), part: done.output[0].content[0] });
      await sink.send('response.output_item.done', { output_index: 0, item: done.output[0] });
      await sink.send(done.status === 'completed' ? 'response.completed' : 'response.incomplete', { response: done });
    } catch (error) {
      if (!base) throw error;
      await opened.catch(() => undefined);
      await this.failed(sink, { ...base, output: { itemId: pendingItem, text, status: 'incomplete' } }, error);
    }
  }

  /**
   * A stream that fails once started: `response.failed` with what was said so far, then an `error`
   * event (last: the SDK throws on it, as it does for OpenAI's own).
   */
  private async failed(sink: ResponseSink, facts: ResponseFacts, error: unknown): Promise<void> {
    const code = error instanceof DomainError ? error.code : 'server_error';
    const message = error instanceof DomainError ? error.message : 'Something went wrong on our side.';
    await sink.send('response.failed', { response: toResponse({ ...facts, status: 'failed', error: { code, message } }) }).catch(() => undefined);
    await sink.send('error', { code, message, param: null }).catch(() => undefined);
  }

  /** A stored response: the turn its Human message started, with the AI message that answered it. */
  async retrieve(scope: Scope, id: string): Promise<ResponseObject> {
    const humanId = humanMessageIdOf(id);
    const human = humanId === undefined ? null : await this.store.findMessage(scope, humanId);
    if (!human || human.sender !== 'Human') throw new ResponseNotFoundError(id);
    const next = await this.store.messagesFrom(scope, human.sessionId, { after: human.id, limit: 1, order: 'asc' });
    const answer = next.messages[0]?.sender === 'AI' ? next.messages[0] : undefined;
    const settings = await this.settings.find(human.sessionId);
    const facts: ResponseFacts = {
      id,
      createdAt: human.timestamp,
      completedAt: answer?.timestamp,
      status: answer ? 'completed' : 'failed',
      model: settings?.model ?? this.config.llm.model,
      instructions: settings?.systemPrompt ?? null,
      temperature: settings?.temperature ?? null,
      sessionId: human.sessionId,
      store: true,
      metadata: {},
      output: answer ? { itemId: answerItemId(human.id), text: answer.content, status: 'completed' } : undefined,
      error: answer ? undefined : { code: 'server_error', message: 'The model gave no answer to this input.' },
    };
    return toResponse(facts);
  }

  private async opening(sink: ResponseSink, base: ResponseFacts, pendingItem: string): Promise<void> {
    const response = toResponse(base);
    await sink.send('response.created', { response });
    await sink.send('response.in_progress', { response });
    const item = toResponse({ ...base, output: { itemId: pendingItem, text: '', status: 'in_progress' } }).output[0];
    await sink.send('response.output_item.added', { output_index: 0, item });
    await sink.send('response.content_part.added', { item_id: pendingItem, output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
  }

  private async prepare(scope: Scope, request: ResponseRequest): Promise<PreparedTurn> {
    const { earlier, prompt, instructions } = readInput(request.input);
    if (request.model !== undefined && !allowedModels(this.config.llm).includes(request.model)) {
      throw new InvalidFieldError('model', `The model ${JSON.stringify(request.model)} is not offered here: see GET /v1/models.`);
    }
    const conversation = conversationOf(request.conversation);
    const sessionId = conversation === undefined ? null : await this.conversations.existing(scope, conversation);
    const joined = [request.instructions, ...instructions].filter((text): text is string => typeof text === 'string' && text !== '').join('\n\n');
    const overrides: TurnOverrides = { model: request.model, temperature: request.temperature, instructions: joined === '' ? undefined : joined };
    const settings = sessionId ? await this.settings.find(sessionId) : null;
    return {
      prompt,
      earlier,
      overrides,
      sessionId,
      store: sessionId !== null || request.store !== false,
      model: overrides.model ?? settings?.model ?? this.config.llm.model,
      temperature: overrides.temperature ?? settings?.temperature ?? null,
      metadata: checkedMetadata(request.metadata),
    };
  }

  /** Input items before the last one join the conversation (a new session when there is none) before the turn. */
  private async storeEarlier(scope: Scope, turn: PreparedTurn): Promise<string> {
    if (turn.earlier.length === 0) return turn.sessionId ?? randomUUID();
    if (turn.sessionId) {
      await this.conversations.addItems(scope, conversationId(turn.sessionId), turn.earlier.map(toInputItem));
      return turn.sessionId;
    }
    const created = await this.conversations.create(scope, undefined, turn.earlier.map(toInputItem));
    return sessionIdOf(created.id)!;
  }

  /** A conversation made empty takes its name from its first prompt, as a session started by a turn does. */
  private async nameIfUnnamed(scope: Scope, sessionId: string, chatName: string, prompt: string): Promise<void> {
    if (chatName !== UNNAMED_CONVERSATION || chatNameFrom(prompt) === '') return;
    await this.organiser.change(scope, sessionId, { chatName: chatNameFrom(prompt) }, null);
  }

  private facts(turn: PreparedTurn, sessionId: string | null, over: Pick<ResponseFacts, 'id' | 'createdAt' | 'status'> & Partial<ResponseFacts>): ResponseFacts {
    return {
      model: turn.model,
      instructions: turn.overrides.instructions ?? null,
      temperature: turn.temperature,
      sessionId,
      store: turn.store,
      metadata: turn.metadata,
      ...over,
    };
  }
}

/** `conversation`: an id, or `{id}`; absent or null for none. */
function conversationOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  const id = typeof value === 'object' ? (value as { id?: unknown }).id : undefined;
  if (typeof id !== 'string') throw new InvalidFieldError('conversation', 'conversation must be a conversation id or {id}.');
  return id;
}

function statusOf(finishReason: 'stop' | 'length'): 'completed' | 'incomplete' {
  return finishReason === 'stop' ? 'completed' : 'incomplete';
}

function toInputItem({ sender, content }: { sender: Sender; content: string }) {
  return { type: 'message', role: sender === 'Human' ? 'user' : 'assistant', content };
}

/** `input` as a string, or message items whose last one is the person's: the prompt. */
function readInput(input: unknown): { earlier: { sender: Sender; content: string }[]; prompt: string; instructions: readonly string[] } {
  if (typeof input === 'string') return { earlier: [], prompt: input, instructions: [] };
  const { messages, instructions } = readItems(input, 'input');
  const last = messages.at(-1);
  if (!last || last.sender !== 'Human') throw new InvalidFieldError('input', 'input must end with a user message: it is the prompt of this turn.');
  return { earlier: messages.slice(0, -1), prompt: last.content, instructions };
}
