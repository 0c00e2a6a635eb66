import { Keyv } from 'keyv';
import { CacheConversationMemory } from '../../src/memory/adapters/cache-conversation-memory';
import { Turn } from '../../src/memory/domain/conversation-memory';
import { cacheStore, closeStore } from '../../src/memory/memory.module';
import { loadConfig } from '../../src/config/load-config';
import { externalServices } from '../support/databases';
import { ManualClock } from '../support/manual-clock';

const { redis } = externalServices();
const stores: [string, Record<string, string>][] = [['in-process', {}]];
if (redis) stores.push(['redis', { REDIS_URL: redis }]);

const turn = (i: number, size = 0): Turn => ({ human: `question ${i} ${'q'.repeat(size)}`, ai: `answer ${i} ${'a'.repeat(size)}` });

describe.each(stores)('%s: CacheConversationMemory bounds', (_name, storeEnv) => {
  const clock = new ManualClock();
  const prefix = `b${Date.now()}-${Math.random().toString(36).slice(2)}`;
  let cache: Keyv;
  let memory: CacheConversationMemory;

  async function open(env: Record<string, string>): Promise<void> {
    const config = loadConfig({ SESSION_TIMEOUT: '60', ...storeEnv, ...env });
    cache = await cacheStore(config);
    memory = new CacheConversationMemory(cache, clock, config);
  }
  afterEach(() => closeStore(cache));

  it('should hold at most MEMORY_MAX_WINDOWS windows, dropping the least recently used from the store and the list', async () => {
    await open({ MEMORY_MAX_WINDOWS: '3' });
    const ids = [1, 2, 3, 4, 5].map((i) => `${prefix}-n${i}`);
    for (const id of ids) {
      clock.advance(1000);
      await memory.hold(id, [turn(1)]);
    }
    expect(memory.held.windows).toBe(3);
    expect(await memory.activeSessionIds()).toEqual(ids.slice(2).reverse());
    expect(await memory.recentTurns(ids[0], 1)).toBeUndefined();
    expect(await cache.get(`window:${ids[1]}`)).toBeUndefined();
    expect(await memory.recentTurns(ids[4], 1)).toEqual([turn(1)]);
  });

  it('should keep the estimated bytes of all windows under MEMORY_MAX_BYTES', async () => {
    await open({ MEMORY_MAX_BYTES: '65536', MEMORY_MAX_WINDOW_BYTES: '65536' });
    const ids = [1, 2, 3, 4].map((i) => `${prefix}-b${i}`);
    for (const id of ids) await memory.hold(id, [turn(1, 7800)]);
    expect(memory.held.bytes).toBeLessThanOrEqual(65536);
    expect(memory.held.bytes).toBeGreaterThan(2 * 31_200);
    expect(memory.held.windows).toBe(2);
    expect(await memory.recentTurns(ids[1], 1)).toBeUndefined();
    expect(await cache.get(`window:${ids[0]}`)).toBeUndefined();
    expect(await memory.recentTurns(ids[3], 1)).toEqual([turn(1, 7800)]);
  });

  it('should trim a window over MEMORY_MAX_WINDOW_BYTES to its newest whole turns, and not answer for more turns than it kept', async () => {
    await open({ MEMORY_MAX_WINDOW_BYTES: '4096' });
    const id = `${prefix}-trim`;
    await memory.hold(id, [turn(1, 500), turn(2, 500), turn(3, 500)]);
    expect(await memory.recentTurns(id, 1)).toEqual([turn(3, 500)]);
    expect(await memory.recentTurns(id, 2)).toBeUndefined();
    await memory.append(id, turn(4, 500));
    expect(await memory.recentTurns(id, 1)).toEqual([turn(4, 500)]);
    expect(memory.held.bytes).toBeLessThanOrEqual(4096);
  });

  it('should not hold a window whose newest turn alone is over the budget, nor keep the older one', async () => {
    await open({ MEMORY_MAX_WINDOW_BYTES: '4096' });
    const id = `${prefix}-huge`;
    await memory.hold(id, [turn(1)]);
    await memory.append(id, turn(2, 3000));
    expect(await memory.recentTurns(id, 1)).toBeUndefined();
    expect(await cache.get(`window:${id}`)).toBeUndefined();
    expect(await memory.activeSessionIds()).not.toContain(id);
    expect(memory.held).toEqual({ windows: 0, bytes: 0 });
  });

  it('should not answer for more turns than a window started by append holds, until a whole window is held', async () => {
    await open({});
    const id = `${prefix}-partial`;
    await memory.append(id, turn(2));
    expect(await memory.recentTurns(id, 1)).toEqual([turn(2)]);
    expect(await memory.recentTurns(id, 2)).toBeUndefined();
    await memory.hold(id, [turn(1), turn(2)]);
    expect(await memory.recentTurns(id, 5)).toEqual([turn(1), turn(2)]);
  });
});
