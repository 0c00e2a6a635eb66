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
import { ConversationMemory, HeldPage, HeldSettings, HeldWindow, MAX_WINDOW_TURNS, Turn } from '../domain/conversation-memory';
import { CacheOutage } from './cache-outage';
import { EVICT_BATCH, SharedWindowList } from './shared-window-list';
import { WindowIndex } from './window-index';

/** What a window is in the cache: LangChain's own serialized messages, plain JSON. */
export interface CachedWindow {
  readonly messages: StoredMessage[];
  /** True when older turns of the session may be missing (dropped for the byte budget, or never loaded). */
  readonly partial?: boolean;
  readonly settings?: HeldSettings;
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
 * Which windows are held is a list of our own (a cache cannot be listed): in the process, an LRU index
 * that bounds them by count and bytes; on Redis, a sorted set shared by every instance, which bounds
 * their count, while each instance still bounds the bytes of the windows it wrote or read.
 * The store is a cache: when it fails, windows answer undefined and are rebuilt.
 */
@Injectable()
export class CacheConversationMemory extends ConversationMemory {
  private readonly index: WindowIndex;
  private readonly list: SharedWindowList | undefined;
  private readonly maxWindows: number;
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
    this.maxWindows = config.memory.maxWindows;
    this.list = SharedWindowList.of(cache, config.redisPrefix);
    // With a shared list the count bound is the list's, over all instances; the byte bound stays per instance.
    this.index = new WindowIndex(this.list ? Infinity : config.memory.maxWindows, config.memory.maxBytes);
    this.outage = new CacheOutage({
      timeoutMs: config.redisUrl ? config.redisTimeoutMs : undefined,
      maxStale: config.memory.maxWindows,
      drop: (ids) => this.deleteWindows(ids),
      dropAll: () => this.deleteAll(),
      now: () => this.clock.now().getTime(),
    });
  }

  /** What the bound counts now: windows held and their estimated bytes. */
  get held(): { windows: number; bytes: number } {
    return { windows: this.index.count, bytes: this.index.bytes };
  }

  async recentTurns(sessionId: string, k: number): Promise<Turn[] | undefined> {
    return (await this.heldWindow(sessionId))?.recentTurns(k);
  }

  async heldWindow(sessionId: string): Promise<HeldWindow | undefined> {
    const cached = await this.read(sessionId);
    if (!cached) return undefined;
    await this.used(sessionId);
    return {
      settings: cached.settings,
      recentTurns: (k) => {
        // A partial window shorter than k would silently show the model fewer turns than it should see.
        if (cached.partial && cached.messages.length < 2 * k) return undefined;
        // The held window is whole turns, trimmed when written: its last 2k messages are the last k turns.
        return toTurns(cached.messages.slice(-2 * k));
      },
    };
  }

  async hold(sessionId: string, turns: readonly Turn[], settings?: HeldSettings): Promise<void> {
    // Within the cap, trimMessages would keep every turn: skip it (a new session's first turn comes here).
    const messages = turns.length <= MAX_WINDOW_TURNS ? turns.flatMap((turn) => [stored('human', turn.human), stored('ai', turn.ai)]) : await capped(toMessages(turns));
    await this.save(sessionId, messages, false, settings);
  }

  async append(sessionId: string, turn: Turn, settings?: HeldSettings): Promise<void> {
    const read = await this.outage.attempt(() => this.cache.get<CachedWindow>(key(sessionId)));
    if (!read.ok) return this.lost([sessionId]);
    const cached = read.value;
    const grown = [...(cached?.messages ?? []), stored('human', turn.human), stored('ai', turn.ai)];
    // A full window may run over by half before it is trimmed back: trimMessages runs once per 50 turns, not on each.
    const messages = grown.length > 3 * MAX_WINDOW_TURNS ? await capped(mapStoredMessagesToChatMessages(grown)) : grown;
    // A window started here, with no window held before, may lack the session's older turns; nor does
    // it hold the turn's settings: it was forgotten during the turn, maybe by a change of them.
    await this.save(sessionId, messages, cached ? cached.partial === true : true, cached ? (settings ?? cached.settings) : undefined);
  }

  async forget(sessionId: string): Promise<void> {
    await this.drop([sessionId]);
  }

  async activeSessionIds({ offset = 0, limit }: HeldPage = {}): Promise<string[]> {
    const since = this.clock.now().getTime() - this.ttlMs;
    const list = this.list;
    if (!list) return this.index.usedSince(since).slice(offset, limit === undefined ? undefined : offset + limit);
    const listed = await this.outage.attempt(() => list.usedSince(since, offset, limit));
    return listed.ok ? listed.value : [];
  }

  async activeSessionCount(): Promise<number> {
    const since = this.clock.now().getTime() - this.ttlMs;
    const list = this.list;
    if (!list) return this.index.usedSince(since).length;
    const counted = await this.outage.attempt(() => list.countSince(since));
    return counted.ok ? counted.value : 0;
  }

  async evictIdleSince(cutoff: Date): Promise<number> {
    const idle = this.index.usedBefore(cutoff.getTime());
    if (!this.list) {
      await this.drop(idle);
      return idle.length;
    }
    // The shared list says which windows went idle: another instance may have used these since.
    for (const sessionId of idle) this.index.remove(sessionId);
    return this.evictListedBefore(this.list, cutoff.getTime());
  }

  /** Deletes every window and the list of them (a test's cleanup; never called while serving). */
  async clear(): Promise<void> {
    for (const sessionId of this.index.usedSince(-Infinity)) this.index.remove(sessionId);
    await this.deleteAll();
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

  /** Reads a window; on Redis, marks its use in the shared list in the same round trip (a listed window only). */
  private async read(sessionId: string): Promise<CachedWindow | undefined> {
    if (!this.index.has(sessionId) && this.storeKind === 'memory') return undefined;
    const usedAt = this.clock.now().getTime();
    const read = await this.outage.attempt(() => Promise.all([this.cache.get<CachedWindow>(key(sessionId)), this.list?.refresh(sessionId, usedAt)]));
    if (read.ok && read.value[0]) return read.value[0];
    if (read.ok) this.index.remove(sessionId);
    return undefined;
  }

  /** Writes the window trimmed to the byte budget; a window whose newest turn alone is over it is not held. */
  private async save(sessionId: string, messages: StoredMessage[], partial: boolean, settings?: HeldSettings): Promise<void> {
    const fitted = withinBudget(messages, this.maxWindowBytes);
    if (fitted.messages.length === 0) {
      await this.drop([sessionId]);
      return;
    }
    const window: CachedWindow = { messages: fitted.messages, partial: partial || fitted.trimmed, ...(settings ? { settings } : {}) };
    const usedAt = this.clock.now().getTime();
    // The window and its place in the shared list are written together, in one round trip.
    const written = await this.outage.attempt(() => Promise.all([this.cache.set(key(sessionId), window, this.ttlMs), this.list?.touch(sessionId, usedAt)]));
    if (!written.ok) return this.lost([sessionId]);
    await this.used(sessionId, fitted.bytes, written.value[1]);
  }

  /** Marks a use in this instance's index, then drops what went over the bounds (`listed`: the shared list's count). */
  private async used(sessionId: string, bytes?: number, listed?: number): Promise<void> {
    const over = this.index.touch(sessionId, this.clock.now().getTime(), bytes);
    if (listed !== undefined && listed > this.maxWindows) over.push(...(await this.oldestListed(listed - this.maxWindows, sessionId)));
    await this.drop(over);
  }

  private async oldestListed(count: number, except: string): Promise<string[]> {
    const list = this.list;
    const oldest = list ? await this.outage.attempt(() => list.oldest(count)) : undefined;
    return oldest?.ok ? oldest.value.filter((id) => id !== except) : [];
  }

  private async evictListedBefore(list: SharedWindowList, cutoff: number): Promise<number> {
    let evicted = 0;
    for (;;) {
      const idle = await this.outage.attempt(() => list.usedBefore(cutoff));
      if (!idle.ok || idle.value.length === 0) return evicted;
      evicted += await this.drop(idle.value);
      if (idle.value.length < EVICT_BATCH || this.outage.isDown) return evicted;
    }
  }

  /** Deletes the windows from the store and the shared list; returns how many went (on a shared list, counted by whoever took them off). */
  private async drop(sessionIds: string[]): Promise<number> {
    if (sessionIds.length === 0) return 0;
    for (const sessionId of sessionIds) this.index.remove(sessionId);
    const deleted = await this.outage.attempt(() => this.deleteWindows(sessionIds));
    if (deleted.ok) return deleted.value;
    this.outage.markStale(sessionIds);
    return 0;
  }

  private async deleteWindows(sessionIds: string[]): Promise<number> {
    const [, listed] = await Promise.all([this.cache.deleteMany(sessionIds.map(key)), this.list?.remove(sessionIds)]);
    return listed ?? sessionIds.length;
  }

  private async deleteAll(): Promise<void> {
    await Promise.all([this.cache.clear(), this.list?.clear()]);
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
