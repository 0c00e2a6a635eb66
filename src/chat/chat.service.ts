import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { InvalidInputError, LockLostError, PromptTooLongError, SessionDeletedError, TurnAbortedError } from '../common/domain-error';
import { SessionLock } from '../common/session-lock';
import { AppConfig } from '../config/app-config';
import { chatNameFrom, EVERYONE, Scope } from '../sessions/domain/session';
import { SessionStore } from '../sessions/domain/session-store';
import { ChatModel, ModelRequest, PromptMessage } from './domain/chat-model';
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
}

export interface StreamOptions {
  readonly signal?: AbortSignal;
  /** Called once the turn is accepted and its Human message stored, before the model is asked. */
  readonly onStart: () => void;
  readonly onToken: (text: string) => void;
}

/** One conversational turn: store the question, show the model the window, store the answer. */
@Injectable()
export class ChatService {
  constructor(
    private readonly store: SessionStore,
    private readonly memory: ConversationMemory,
    private readonly model: ChatModel,
    private readonly lock: SessionLock,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  generate(input: TurnInput, signal?: AbortSignal, scope: Scope = EVERYONE): Promise<TurnResult> {
    return this.turn(input, scope, (request) => this.model.complete({ ...request, signal }));
  }

  stream(input: TurnInput, { signal, onStart, onToken }: StreamOptions, scope: Scope = EVERYONE): Promise<TurnResult> {
    return this.turn(input, scope, async (request) => {
      onStart();
      let reply = '';
      for await (const piece of this.model.stream({ ...request, signal })) {
        if (signal?.aborted) break;
        reply += piece;
        onToken(piece);
      }
      if (signal?.aborted) throw new TurnAbortedError('The client went away before the reply was complete.');
      return reply;
    });
  }

  private async turn(input: TurnInput, scope: Scope, produce: (request: ModelRequest) => Promise<string>): Promise<TurnResult> {
    const prompt = this.checkedPrompt(input.prompt);
    const sessionId = input.sessionId ?? randomUUID();
    return this.lock.run(sessionId, async (held) => {
      const window = input.sessionId ? await this.window(scope, sessionId, input.maxHistory) : [];
      const { session } = await this.store.startTurn(scope, sessionId, prompt, chatNameFrom(prompt), this.clock.now());
      const response = await produce({ messages: promptMessages(window, prompt) });
      // Without the lock another turn may have stored its messages meanwhile: this reply is not stored.
      if (held.aborted) throw new LockLostError(sessionId);
      const answer = await this.store.appendMessage(scope, sessionId, 'AI', response, this.clock.now());
      if (!answer) throw new SessionDeletedError(sessionId);
      await this.memory.append(sessionId, { human: prompt, ai: response });
      return { response, sessionId, chatName: session.chatName, timestamp: answer.timestamp, code: firstCodeBlock(response) };
    });
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
