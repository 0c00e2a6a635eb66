import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { InvalidInputError, PromptTooLongError, SessionDeletedError, SessionNotFoundError } from '../common/domain-error';
import { RunningTurns } from '../common/running-turns';
import { SessionLock } from '../common/session-lock';
import { AppConfig } from '../config/app-config';
import { chatNameFrom, EVERYONE, Scope } from '../sessions/domain/session';
import { SessionStore } from '../sessions/domain/session-store';
import { BoundedModelCall, CallLimits, FinishReason, Reply, throwIfStopped } from './bounded-model-call';
import { ChatModel, PromptMessage } from './domain/chat-model';
import { firstCodeBlock } from './domain/code-block';
import { ConversationMemory, MAX_WINDOW_TURNS, Turn, turnsFromMessages } from '../memory/domain/conversation-memory';

export interface TurnInput {
  readonly prompt: string;
  readonly sessionId?: string;
  readonly maxHistory: number;
}

export interface TurnResult {
  readonly response: string;
  readonly sessionId: string;
  readonly chatName: string;
  readonly timestamp: Date;
  readonly code?: string;
  readonly finishReason: FinishReason;
}

export interface StreamOptions {
  readonly signal?: AbortSignal;
  /** Called once the turn is accepted and its Human message stored, before the model is asked. */
  readonly onStart: () => void;
  /** The next piece is pulled from the model once the promise returned here settles. */
  readonly onToken: (text: string) => void | Promise<void>;
}

type Produce = (call: BoundedModelCall, messages: readonly PromptMessage[]) => Promise<Reply>;

/**
 * One conversational turn: store the question, show the model the window, store the answer.
 * The model call is bounded (deadline, idle time, reply length) and stops when the client leaves
 * or the session is deleted or cleared (RunningTurns), so no turn holds its session for long.
 */
@Injectable()
export class ChatService {
  private readonly limits: CallLimits;

  constructor(
    private readonly store: SessionStore,
    private readonly memory: ConversationMemory,
    private readonly model: ChatModel,
    private readonly lock: SessionLock,
    private readonly turns: RunningTurns,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.limits = { timeoutMs: config.llm.timeoutMs, idleTimeoutMs: config.llm.idleTimeoutMs, maxReplyChars: config.maxReplyChars };
  }

  generate(input: TurnInput, signal?: AbortSignal, scope: Scope = EVERYONE): Promise<TurnResult> {
    return this.turn(input, scope, signal, (call, messages) => call.complete(messages));
  }

  stream(input: TurnInput, { signal, onStart, onToken }: StreamOptions, scope: Scope = EVERYONE): Promise<TurnResult> {
    return this.turn(input, scope, signal, (call, messages) => {
      onStart();
      return call.stream(messages, onToken);
    });
  }

  private async turn(input: TurnInput, scope: Scope, signal: AbortSignal | undefined, produce: Produce): Promise<TurnResult> {
    const prompt = this.checkedPrompt(input.prompt);
    const sessionId = input.sessionId ?? randomUUID();
    // Registered before it waits for the session, so a delete cancels waiting turns as well.
    const running = this.turns.begin(sessionId);
    try {
      return await this.lock.run(sessionId, async () => {
        throwIfStopped(running.signal, signal);
        const window = input.sessionId ? await this.window(scope, sessionId, input.maxHistory) : [];
        const started = await this.store.startTurn(scope, sessionId, prompt, chatNameFrom(prompt), this.clock.now());
        // Someone else's session: refused like an unknown id elsewhere, without appending or re-creating (see README, Accounts).
        if (!started) throw new SessionNotFoundError(sessionId);
        const { session } = started;
        const call = new BoundedModelCall(this.model, this.limits, [running.signal, signal]);
        const { text: response, finishReason } = await produce(call, promptMessages(window, prompt));
        const answer = await this.store.appendMessage(scope, sessionId, 'AI', response, this.clock.now());
        if (!answer) throw new SessionDeletedError(sessionId);
        await this.memory.append(sessionId, { human: prompt, ai: response });
        return { response, sessionId, chatName: session.chatName, timestamp: answer.timestamp, code: firstCodeBlock(response), finishReason };
      });
    } finally {
      running.end();
    }
  }

  /** The last `k` turns, from memory or, when the window is not held, rebuilt from the store. */
  private async window(scope: Scope, sessionId: string, k: number): Promise<Turn[]> {
    const held = await this.memory.recentTurns(sessionId, k);
    if (held) return held;
    const stored = await this.store.recentMessages(scope, sessionId, 2 * MAX_WINDOW_TURNS + 1);
    if (stored.length === 0) return [];
    const turns = turnsFromMessages(stored);
    await this.memory.hold(sessionId, turns);
    return turns.slice(-k);
  }

  private checkedPrompt(prompt: string): string {
    if (prompt.trim().length === 0) throw new InvalidInputError('prompt must not be blank.');
    let length = 0;
    for (const _ of prompt) length++;
    if (length > this.config.maxPromptChars) throw new PromptTooLongError(length, this.config.maxPromptChars);
    return prompt;
  }
}

function promptMessages(window: readonly Turn[], prompt: string): PromptMessage[] {
  const messages: PromptMessage[] = [];
  for (const turn of window) messages.push({ role: 'human', content: turn.human }, { role: 'ai', content: turn.ai });
  messages.push({ role: 'human', content: prompt });
  return messages;
}
