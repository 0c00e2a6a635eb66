import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { performance } from 'node:perf_hooks';
import {
  DomainError,
  InvalidInputError,
  LlmBadResponseError,
  LlmTimeoutError,
  LlmUnavailableError,
  PromptTooLongError,
  LockLostError,
  SessionDeletedError,
  SessionNotFoundError,
} from '../common/domain-error';
import { RunningTurns } from '../common/running-turns';
import { SessionLock } from '../common/session-lock';
import { AppConfig } from '../config/app-config';
import { chatNameFrom, EVERYONE, Scope } from '../sessions/domain/session';
import { SessionStore } from '../sessions/domain/session-store';
import { BoundedModelCall, CallLimits, Reply, throwIfStopped } from './bounded-model-call';
import { ConversationTurns, StreamOptions, TurnInput, TurnResult, UnstoredTurnInput, UnstoredTurnResult } from './domain/turns';
import { ChatModel, PromptMessage } from './domain/chat-model';
import { firstCodeBlock } from './domain/code-block';
import { callTokens } from './domain/context';
import { ConversationMemory } from '../memory/domain/conversation-memory';
import { SessionSettingsStore } from '../settings/domain/session-settings';
import { ContextService } from './context.service';
import { SummaryService } from './summary.service';
import { Metrics, secondsSince } from '../metrics/domain/metrics';

type Produce = (call: BoundedModelCall, messages: readonly PromptMessage[], humanMessageId: number) => Promise<Reply>;

/**
 * One conversational turn: store the question, show the model the window, store the answer.
 * The model call is bounded (deadline, idle time, reply length) and stops when the client leaves
 * or the session is deleted or cleared (RunningTurns), so no turn holds its session for long.
 */
@Injectable()
export class ChatService extends ConversationTurns {
  private readonly limits: CallLimits;

  constructor(
    private readonly store: SessionStore,
    private readonly memory: ConversationMemory,
    private readonly context: ContextService,
    private readonly settings: SessionSettingsStore,
    private readonly summaries: SummaryService,
    private readonly model: ChatModel,
    private readonly lock: SessionLock,
    private readonly turns: RunningTurns,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    super();
    this.limits = { timeoutMs: config.llm.timeoutMs, idleTimeoutMs: config.llm.idleTimeoutMs, maxReplyChars: config.maxReplyChars };
  }

  generate(input: TurnInput, signal?: AbortSignal, scope: Scope = EVERYONE): Promise<TurnResult> {
    return this.turn(input, scope, signal, (call, messages) => call.complete(messages));
  }

  stream(input: TurnInput, { signal, onStart, onToken }: StreamOptions, scope: Scope = EVERYONE): Promise<TurnResult> {
    return this.turn(input, scope, signal, (call, messages, messageId) => {
      onStart({ messageId });
      return call.stream(messages, onToken);
    });
  }

  async unstored({ prompt, earlier, overrides }: UnstoredTurnInput, signal?: AbortSignal, options?: StreamOptions): Promise<UnstoredTurnResult> {
    const checked = this.checkedPrompt(prompt);
    const { messages, options: modelOptions } = this.context.forUnstoredTurn(checked, earlier, overrides);
    const call = new BoundedModelCall(this.model, this.limits, [signal, options?.signal], modelOptions);
    options?.onStart({ messageId: 0 });
    const reply = options ? await call.stream(messages, options.onToken) : await call.complete(messages);
    return { response: reply.text, timestamp: this.clock.now(), finishReason: reply.finishReason, usage: callTokens(messages, reply.text, reply.usage) };
  }

  private async turn(input: TurnInput, scope: Scope, signal: AbortSignal | undefined, produce: Produce): Promise<TurnResult> {
    const prompt = this.checkedPrompt(input.prompt);
    const sessionId = input.sessionId ?? randomUUID();
    const started = performance.now();
    // The service's default until the session's settings are read: a turn refused before then is counted under it.
    let turnStrategy: string = this.config.context.strategy;
    // Registered before it waits for the session, so a delete cancels waiting turns as well.
    const running = this.turns.begin(sessionId);
    try {
      const result = await this.lock.run(sessionId, async (held) => {
        throwIfStopped(running.signal, signal);
        const starting = input.templateId ? await this.context.fromTemplate(scope, input.sessionId, input.templateId) : undefined;
        const context = await this.context.forTurn(scope, input.sessionId, prompt, input.maxHistory, starting, input.overrides);
        const { settings, messages, options, strategy, windowTurns } = context;
        turnStrategy = strategy;
        const opened = await this.store.startTurn(scope, sessionId, prompt, chatNameFrom(prompt), this.clock.now());
        // Someone else's session: refused like an unknown id elsewhere, without appending or re-creating (see README, Accounts).
        if (!opened) throw new SessionNotFoundError(sessionId);
        const { session } = opened;
        // The session keeps the template's settings: later turns read them from the store.
        if (starting && !(await this.settings.change(sessionId, starting, starting, this.clock.now()))) throw new SessionDeletedError(sessionId);
        // A lost lock stops the model too: without the lock, another turn may store its messages meanwhile.
        const call = new BoundedModelCall(this.model, this.limits, [running.signal, signal, held], options);
        const asked = performance.now();
        const { text: response, finishReason, usage: reported } = await produce(call, messages, opened.message.id).catch(async (error: unknown) => {
          if (held.aborted) throw new LockLostError(sessionId);
          await this.countFailure(error);
          throw error;
        });
        if (held.aborted) throw new LockLostError(sessionId);
        const latencyMs = performance.now() - asked;
        const usage = callTokens(messages, response, reported);
        const answer = await this.store.appendMessage(scope, sessionId, 'AI', response, this.clock.now(), { latencyMs, tokensIn: usage.input, tokensOut: usage.output });
        if (!answer) throw new SessionDeletedError(sessionId);
        const turn = { human: prompt, ai: response };
        // A session that had no messages before this turn has no older ones to miss: its window is whole.
        if (session.messageCount === 1) await this.memory.hold(sessionId, [turn], { ...settings });
        else await this.memory.append(sessionId, turn, { ...settings });
        // Queued behind this turn on the session's lock: it never delays this reply.
        if (strategy === 'summary') void this.summaries.schedule({ scope, sessionId, windowTurns, model: options.model });
        return { response, sessionId, chatName: session.chatName, timestamp: answer.timestamp, code: firstCodeBlock(response), finishReason, humanMessageId: opened.message.id, messageId: answer.id, usage };
      });
      this.metrics.turn(turnStrategy, result.finishReason).observe(secondsSince(started));
      return result;
    } catch (error) {
      this.metrics.turn(turnStrategy, error instanceof DomainError ? error.code : 'unknown').observe(secondsSince(started));
      throw error;
    } finally {
      running.end();
    }
  }

  /** A failure of the model itself goes into the usage series; a client that left or a lost lock does not. */
  private async countFailure(error: unknown): Promise<void> {
    if (!(error instanceof LlmUnavailableError || error instanceof LlmBadResponseError || error instanceof LlmTimeoutError)) return;
    // The turn fails with the model's error whatever happens here: a count that cannot be written is lost.
    await this.store.recordModelFailure(this.clock.now()).catch(() => undefined);
  }

  private checkedPrompt(prompt: string): string {
    if (prompt.trim().length === 0) throw new InvalidInputError('prompt must not be blank.');
    let length = 0;
    for (const _ of prompt) length++;
    if (length > this.config.maxPromptChars) throw new PromptTooLongError(length, this.config.maxPromptChars);
    return prompt;
  }
}
