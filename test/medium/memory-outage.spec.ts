import { Logger } from '@nestjs/common';
import { CacheConversationMemory } from '../../src/memory/adapters/cache-conversation-memory';
import { RETRY_AFTER_MS } from '../../src/memory/adapters/cache-outage';
import { Turn } from '../../src/memory/domain/conversation-memory';
import { loadConfig } from '../../src/config/load-config';
import { FlakyStore } from '../support/flaky-store';
import { ManualClock } from '../support/manual-clock';

const turn = (i: number): Turn => ({ human: `question ${i}`, ai: `answer ${i}` });

describe('CacheConversationMemory when its store fails', () => {
  let clock: ManualClock;
  let store: FlakyStore;
  let memory: CacheConversationMemory;
  let warn: jest.SpyInstance;

  beforeEach(() => {
    clock = new ManualClock();
    store = new FlakyStore();
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_TIMEOUT_MS: '50', MEMORY_MAX_WINDOWS: '3' });
    memory = new CacheConversationMemory(store.keyv(), clock, config);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it.each(['failing', 'hanging'] as const)('should answer undefined and no-op within the deadline while the store is %s', async (mode) => {
    await memory.hold('s', [turn(1)]);
    store.mode = mode;
    const started = Date.now();
    expect(await memory.recentTurns('s', 1)).toBeUndefined();
    await memory.append('s', turn(2));
    await memory.forget('s');
    await expect(memory.probe()).rejects.toThrow('unreachable');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('should log once per outage and not call the store again before the retry time', async () => {
    store.mode = 'failing';
    await memory.recentTurns('s', 1);
    const calls = store.calls;
    for (let i = 0; i < 20; i++) await memory.append(`s${i}`, turn(i));
    expect(store.calls).toBe(calls);
    expect(warn).toHaveBeenCalledTimes(1);
    store.mode = 'up';
    clock.advance(RETRY_AFTER_MS);
    await memory.probe();
    store.mode = 'failing';
    await memory.recentTurns('s', 1);
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('should recover by itself: the probe answers again once the store does', async () => {
    store.mode = 'failing';
    await expect(memory.probe()).rejects.toThrow();
    store.mode = 'up';
    await expect(memory.probe()).rejects.toThrow();
    clock.advance(RETRY_AFTER_MS);
    await expect(memory.probe()).resolves.toEqual({ store: 'redis' });
    await memory.hold('s', [turn(1)]);
    expect(await memory.recentTurns('s', 1)).toEqual([turn(1)]);
  });

  it.each([
    ['forgotten', (m: CacheConversationMemory) => m.forget('s')],
    ['appended to', (m: CacheConversationMemory) => m.append('s', turn(2))],
    ['evicted', (m: CacheConversationMemory) => m.evictIdleSince(new Date('2100-01-01'))],
  ])('should never serve a window %s during the outage once the store is back', async (_what, change) => {
    await memory.hold('s', [turn(1)]);
    store.mode = 'failing';
    await change(memory);
    store.mode = 'up';
    clock.advance(RETRY_AFTER_MS);
    expect(await memory.recentTurns('s', 1)).toBeUndefined();
    expect([...store.data.keys()].some((k) => k.includes('window:s'))).toBe(false);
  });

  it('should drop every window on recovery when more went stale than it can remember', async () => {
    await memory.hold('kept', [turn(1)]);
    store.mode = 'failing';
    for (let i = 0; i < 5; i++) await memory.forget(`s${i}`);
    store.mode = 'up';
    clock.advance(RETRY_AFTER_MS);
    await memory.probe();
    expect(await memory.recentTurns('kept', 1)).toBeUndefined();
    expect([...store.data.keys()].filter((k) => k.includes('window:'))).toEqual([]);
  });

  it('should finish a recovery slower than one command in the background, callers waiting no longer than a command', async () => {
    await memory.hold('s', [turn(1)]);
    store.mode = 'failing';
    await memory.forget('s');
    store.mode = 'slow';
    clock.advance(RETRY_AFTER_MS);
    const started = Date.now();
    expect(await memory.recentTurns('other', 1)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(150);
    await new Promise((resolve) => setTimeout(resolve, 250));
    store.mode = 'up';
    await expect(memory.probe()).resolves.toEqual({ store: 'redis' });
    expect([...store.data.keys()].some((k) => k.includes('window:s'))).toBe(false);
  });
});
