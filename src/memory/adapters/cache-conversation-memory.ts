import { Inject, Injectable } from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { Cache } from 'cache-manager';
import {
  AIMessage,
  BaseMessage,
  HumanMessage,
  mapChatMessagesToStoredMessages,
  mapStoredMessagesToChatMessages,
  StoredMessage,
  trimMessages,
} from '@langchain/core/messages';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { ConversationMemory, MAX_WINDOW_TURNS, Turn } from '../domain/conversation-memory';

/** What a window is in the cache: LangChain's own serialized messages, plain JSON. */
interface CachedWindow {
  readonly messages: StoredMessage[];
}

const key = (sessionId: string) => `window:${sessionId}`;

/** Counts conversation messages only, so `maxTokens: 2k` keeps exactly the last k turns. */
const countTurnMessages = (messages: BaseMessage[]) => messages.filter((m) => m.type !== 'system').length;

/**
 * Windows of LangChain messages in cache-manager (in-process or Redis), cut with `trimMessages`.
 * Which windows are held is tracked in an index of our own, since a cache cannot be listed.
 */
@Injectable()
export class CacheConversationMemory extends ConversationMemory {
  /** Session id -> last use (ms), in order of last use. */
  private readonly lastUse = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly storeKind: string;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    super();
    this.ttlMs = config.sessionTimeoutSeconds * 1000;
    this.storeKind = config.redisUrl ? 'redis' : 'memory';
  }

  async recentTurns(sessionId: string, k: number): Promise<Turn[] | undefined> {
    const cached = await this.cache.get<CachedWindow>(key(sessionId));
    if (!cached) {
      this.lastUse.delete(sessionId);
      return undefined;
    }
    this.touch(sessionId);
    // The held window is whole turns, trimmed when written: its last 2k messages are the last k turns.
    return toTurns(cached.messages.slice(-2 * k));
  }

  async hold(sessionId: string, turns: readonly Turn[]): Promise<void> {
    await this.save(sessionId, await capped(toMessages(turns)));
  }

  async append(sessionId: string, turn: Turn): Promise<void> {
    const cached = await this.cache.get<CachedWindow>(key(sessionId));
    const grown = [...(cached?.messages ?? []), stored('human', turn.human), stored('ai', turn.ai)];
    // A full window may run over by half before it is trimmed back: trimMessages runs once per 50 turns, not on each.
    await this.save(sessionId, grown.length > 3 * MAX_WINDOW_TURNS ? await capped(mapStoredMessagesToChatMessages(grown)) : grown);
  }

  async forget(sessionId: string): Promise<void> {
    this.lastUse.delete(sessionId);
    await this.cache.del(key(sessionId));
  }

  async activeSessionIds(): Promise<string[]> {
    const cutoff = this.clock.now().getTime() - this.ttlMs;
    const ids: string[] = [];
    for (const [sessionId, usedAt] of this.lastUse) if (usedAt >= cutoff) ids.push(sessionId);
    return ids.reverse();
  }

  async evictIdleSince(cutoff: Date): Promise<number> {
    const idle: string[] = [];
    for (const [sessionId, usedAt] of this.lastUse) {
      if (usedAt >= cutoff.getTime()) break;
      idle.push(sessionId);
    }
    for (const sessionId of idle) this.lastUse.delete(sessionId);
    if (idle.length > 0) await this.cache.mdel(idle.map(key));
    return idle.length;
  }

  async probe(): Promise<{ store: string }> {
    const probe = `health:${process.pid}`;
    await this.cache.set(probe, 1, 10_000);
    if ((await this.cache.get(probe)) !== 1) throw new Error('The cache did not return what was stored.');
    return { store: this.storeKind };
  }

  private async save(sessionId: string, messages: StoredMessage[]): Promise<void> {
    const window: CachedWindow = { messages };
    await this.cache.set(key(sessionId), window, this.ttlMs);
    this.touch(sessionId);
  }

  private touch(sessionId: string): void {
    this.lastUse.delete(sessionId);
    this.lastUse.set(sessionId, this.clock.now().getTime());
  }
}

function toMessages(turns: readonly Turn[]): BaseMessage[] {
  return turns.flatMap((turn) => [new HumanMessage(turn.human), new AIMessage(turn.ai)]);
}

/** The window as LangChain keeps one: the last MAX_WINDOW_TURNS turns, starting on a Human message. */
async function capped(messages: BaseMessage[]): Promise<StoredMessage[]> {
  const window = await trimMessages(messages, {
    maxTokens: 2 * MAX_WINDOW_TURNS,
    strategy: 'last',
    tokenCounter: countTurnMessages,
    includeSystem: true,
    startOn: 'human',
  });
  return mapChatMessagesToStoredMessages(window);
}

/** A message in LangChain's stored form, written directly: the hot path need not build message objects to serialize them. */
function stored(type: 'human' | 'ai', content: string): StoredMessage {
  return { type, data: { content, role: undefined, name: undefined, tool_call_id: undefined } };
}

function toTurns(messages: readonly StoredMessage[]): Turn[] {
  const turns: Turn[] = [];
  for (let i = 0; i + 1 < messages.length; i += 2) {
    turns.push({ human: textOf(messages[i]), ai: textOf(messages[i + 1]) });
  }
  return turns;
}

function textOf(message: StoredMessage): string {
  const content: unknown = message.data.content;
  return typeof content === 'string' ? content : '';
}
