import { Injectable } from '@nestjs/common';
import { Keyv } from 'keyv';
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
import { CacheOutage } from './cache-outage';
import { WindowIndex } from './window-index';

/** What a window is in the cache: LangChain's own serialized messages, plain JSON. */
export interface CachedWindow {
  readonly messages: StoredMessage[];
  /** True when older turns of the session may be missing (dropped for the byte budget, or never loaded). */
  readonly partial?: boolean;
}

const key = (sessionId: string) => `window:${sessionId}`;

/**
 * Estimated heap cost beyond the text (counted as UTF-16, two bytes a code unit; V8 keeps Latin-1 text
 * at one): the objects around a message, and a window's own entries in the store and the index.
 * Measured with Node 20: a one-turn window of short text costs about 1 KB in all.
 */
const MESSAGE_OVERHEAD_BYTES = 160;
const WINDOW_OVERHEAD_BYTES = 700;

/** Counts conversation messages only, so `maxTokens: 2k` keeps exactly the last k turns. */
const countTurnMessages = (messages: BaseMessage[]) => messages.filter((m) => m.type !== 'system').length;

/**
 * Windows of LangChain messages in a Keyv store (in-process or Redis), cut with `trimMessages`.
 * Which windows are held is an index of our own (a cache cannot be listed), which also bounds them
 * by count and bytes. The store is a cache: when it fails, windows answer undefined and are rebuilt.
 */
@Injectable()
export class CacheConversationMemory extends ConversationMemory {
  private readonly index: WindowIndex;
  private readonly outage: CacheOutage;
  private readonly ttlMs: number;
  private readonly maxWindowBytes: number;
  private readonly storeKind: string;

  constructor(
    private readonly cache: Keyv,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    super();
    this.ttlMs = config.sessionTimeoutSeconds * 1000;
    this.storeKind = config.redisUrl ? 'redis' : 'memory';
    this.maxWindowBytes = config.memory.maxWindowBytes;
    this.index = new WindowIndex(config.memory.maxWindows, config.memory.maxBytes);
    this.outage = new CacheOutage({
      timeoutMs: config.redisUrl ? config.redisTimeoutMs : undefined,
      maxStale: config.memory.maxWindows,
      drop: (ids) => this.cache.deleteMany(ids.map(key)),
      dropAll: () => this.cache.clear(),
      now: () => this.clock.now().getTime(),
    });
  }

  /** What the bound counts now: windows held and their estimated bytes. */
  get held(): { windows: number; bytes: number } {
    return { windows: this.index.count, bytes: this.index.bytes };
  }

  async recentTurns(sessionId: string, k: number): Promise<Turn[] | undefined> {
    const cached = await this.read(sessionId);
    if (!cached) return undefined;
    await this.touch(sessionId);
    // A partial window shorter than k would silently show the model fewer turns than it should see.
    if (cached.partial && cached.messages.length < 2 * k) return undefined;
    // The held window is whole turns, trimmed when written: its last 2k messages are the last k turns.
    return toTurns(cached.messages.slice(-2 * k));
  }

  async hold(sessionId: string, turns: readonly Turn[]): Promise<void> {
    await this.save(sessionId, await capped(toMessages(turns)), false);
  }

  async append(sessionId: string, turn: Turn): Promise<void> {
    const read = await this.outage.attempt(() => this.cache.get<CachedWindow>(key(sessionId)));
    if (!read.ok) return this.lost([sessionId]);
    const cached = read.value;
    const grown = [...(cached?.messages ?? []), stored('human', turn.human), stored('ai', turn.ai)];
    // A full window may run over by half before it is trimmed back: trimMessages runs once per 50 turns, not on each.
    const messages = grown.length > 3 * MAX_WINDOW_TURNS ? await capped(mapStoredMessagesToChatMessages(grown)) : grown;
    // A window started here, with no window held before, may lack the session's older turns.
    await this.save(sessionId, messages, cached ? cached.partial === true : true);
  }

  async forget(sessionId: string): Promise<void> {
    await this.drop([sessionId]);
  }

  async activeSessionIds(): Promise<string[]> {
    return this.index.usedSince(this.clock.now().getTime() - this.ttlMs);
  }

  async evictIdleSince(cutoff: Date): Promise<number> {
    const idle = this.index.usedBefore(cutoff.getTime());
    await this.drop(idle);
    return idle.length;
  }

  async probe(): Promise<{ store: string }> {
    const probeKey = `health:${process.pid}`;
    const answer = await this.outage.attempt(async () => {
      await this.cache.set(probeKey, 1, 10_000);
      return this.cache.get<number>(probeKey);
    });
    if (!answer.ok) throw new Error(`The ${this.storeKind} cache is unreachable: ${this.outage.reason}`);
    if (answer.value !== 1) throw new Error('The cache did not return what was stored.');
    return { store: this.storeKind };
  }

  private async read(sessionId: string): Promise<CachedWindow | undefined> {
    if (!this.index.has(sessionId) && this.storeKind === 'memory') return undefined;
    const read = await this.outage.attempt(() => this.cache.get<CachedWindow>(key(sessionId)));
    if (read.ok && read.value) return read.value;
    if (read.ok) this.index.remove(sessionId);
    return undefined;
  }

  /** Writes the window trimmed to the byte budget; a window whose newest turn alone is over it is not held. */
  private async save(sessionId: string, messages: StoredMessage[], partial: boolean): Promise<void> {
    const fitted = withinBudget(messages, this.maxWindowBytes);
    if (fitted.messages.length === 0) return this.drop([sessionId]);
    const window: CachedWindow = { messages: fitted.messages, partial: partial || fitted.trimmed };
    const written = await this.outage.attempt(() => this.cache.set(key(sessionId), window, this.ttlMs));
    if (!written.ok) return this.lost([sessionId]);
    await this.touch(sessionId, fitted.bytes);
  }

  private async touch(sessionId: string, bytes?: number): Promise<void> {
    const over = this.index.touch(sessionId, this.clock.now().getTime(), bytes);
    if (over.length > 0) await this.drop(over);
  }

  private async drop(sessionIds: string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    for (const sessionId of sessionIds) this.index.remove(sessionId);
    const deleted = await this.outage.attempt(() => this.cache.deleteMany(sessionIds.map(key)));
    if (!deleted.ok) this.outage.markStale(sessionIds);
  }

  /** A write that did not happen: the cached window (if any) is stale until deleted. */
  private lost(sessionIds: string[]): void {
    for (const sessionId of sessionIds) this.index.remove(sessionId);
    this.outage.markStale(sessionIds);
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

/** Drops the oldest whole turns until the estimated size fits `budget`. */
export function withinBudget(messages: StoredMessage[], budget: number): { messages: StoredMessage[]; bytes: number; trimmed: boolean } {
  const sizes = messages.map(messageBytes);
  let bytes = sizes.reduce((sum, size) => sum + size, WINDOW_OVERHEAD_BYTES);
  let start = 0;
  while (bytes > budget && start < messages.length) {
    bytes -= sizes[start] + (sizes[start + 1] ?? 0);
    start += 2;
  }
  return { messages: start === 0 ? messages : messages.slice(start), bytes, trimmed: start > 0 };
}

function messageBytes(message: StoredMessage): number {
  return 2 * textOf(message).length + MESSAGE_OVERHEAD_BYTES;
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
