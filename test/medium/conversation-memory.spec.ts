import { Keyv } from 'keyv';
import { CacheConversationMemory } from '../../src/memory/adapters/cache-conversation-memory';
import { MAX_WINDOW_TURNS, Turn } from '../../src/memory/domain/conversation-memory';
import { cacheStore, closeStore } from '../../src/memory/memory.module';
import { loadConfig } from '../../src/config/load-config';
import { externalServices } from '../support/databases';
import { ManualClock } from '../support/manual-clock';

const { redis } = externalServices();
if (!redis) console.warn('TEST_REDIS_URL is not set: the Redis half of the memory tests is skipped.');

const stores: [string, Record<string, string>][] = [['in-process', {}]];
if (redis) stores.push(['redis', { REDIS_URL: redis }]);

const turn = (i: number): Turn => ({ human: `question ${i}`, ai: `answer ${i}` });

describe.each(stores)('%s: CacheConversationMemory', (_name, env) => {
  const clock = new ManualClock();
  let memory: CacheConversationMemory;
  let cache: Keyv;
  const prefix = `t${Date.now()}-${Math.random().toString(36).slice(2)}`;

  beforeEach(async () => {
    // A prefix of its own: on Redis the list of held windows is shared by everything on one prefix.
    const config = loadConfig({ SESSION_TIMEOUT: '60', REDIS_PREFIX: prefix, ...env });
    cache = await cacheStore(config);
    memory = new CacheConversationMemory(cache, clock, config);
  });
  afterEach(async () => {
    await memory.clear();
    await closeStore(cache);
  });

  it('should answer undefined for a window it does not hold', async () => {
    expect(await memory.recentTurns(`${prefix}-none`, 5)).toBeUndefined();
  });

  it('should keep exactly the last k turns, through LangChain messages', async () => {
    const id = `${prefix}-k`;
    await memory.hold(id, [turn(1), turn(2), turn(3)]);
    await memory.append(id, turn(4));
    expect(await memory.recentTurns(id, 2)).toEqual([turn(3), turn(4)]);
    expect(await memory.recentTurns(id, 10)).toEqual([turn(1), turn(2), turn(3), turn(4)]);
  });

  it('should hold the settings given with the window, and none on a window an append starts after a forget', async () => {
    const id = `${prefix}-settings`;
    await memory.hold(id, [turn(1)], { systemPrompt: 'old' });
    await memory.append(id, turn(2));
    expect((await memory.heldWindow(id))?.settings).toEqual({ systemPrompt: 'old' });
    await memory.append(id, turn(3), { systemPrompt: 'newer' });
    expect((await memory.heldWindow(id))?.settings).toEqual({ systemPrompt: 'newer' });
    // A settings change forgets the window while a turn runs: the turn's settings are stale by then.
    await memory.forget(id);
    await memory.append(id, turn(4), { systemPrompt: 'stale' });
    expect(await memory.recentTurns(id, 1)).toEqual([turn(4)]);
    expect((await memory.heldWindow(id))?.settings).toBeUndefined();
  });

  it('should give a turn its held settings and turns in one read of the store', async () => {
    const id = `${prefix}-one-read`;
    await memory.hold(id, [turn(1), turn(2)], { systemPrompt: 'held' });
    const get = jest.spyOn(cache, 'get');
    const held = await memory.heldWindow(id);
    expect(held?.settings).toEqual({ systemPrompt: 'held' });
    expect(held?.recentTurns(1)).toEqual([turn(2)]);
    expect(held?.recentTurns(2)).toEqual([turn(1), turn(2)]);
    expect(get).toHaveBeenCalledTimes(1);
    expect(await memory.heldWindow(`${prefix}-not-held`)).toBeUndefined();
  });

  it('should hold at most MAX_WINDOW_TURNS turns', async () => {
    const id = `${prefix}-cap`;
    await memory.hold(id, Array.from({ length: MAX_WINDOW_TURNS + 5 }, (_, i) => turn(i)));
    await memory.append(id, turn(999));
    const window = (await memory.recentTurns(id, MAX_WINDOW_TURNS))!;
    expect(window).toHaveLength(MAX_WINDOW_TURNS);
    expect(window.at(-1)).toEqual(turn(999));
    expect(window[0]).toEqual(turn(6));
  });

  it('should keep a window bounded however many turns are appended', async () => {
    const id = `${prefix}-bounded`;
    for (let i = 0; i < 4 * MAX_WINDOW_TURNS; i++) await memory.append(id, turn(i));
    const held = await cache.get<{ messages: unknown[] }>(`window:${id}`);
    expect(held!.messages.length).toBeLessThanOrEqual(3 * MAX_WINDOW_TURNS);
    expect(held!.messages.length).toBeGreaterThanOrEqual(2 * MAX_WINDOW_TURNS);
    expect((await memory.recentTurns(id, 3))!.map((t) => t.human)).toEqual(['question 397', 'question 398', 'question 399']);
  });

  it('should list held sessions most recent first, forget one, and evict the idle', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((x) => `${prefix}-${x}`);
    await memory.append(a, turn(1));
    clock.advance(20_000);
    await memory.append(b, turn(1));
    clock.advance(20_000);
    await memory.append(c, turn(1));
    expect(await memory.activeSessionIds()).toEqual([c, b, a]);
    expect(await memory.activeSessionIds({ offset: 1, limit: 1 })).toEqual([b]);
    expect(await memory.activeSessionIds({ offset: 1 })).toEqual([b, a]);
    expect(await memory.activeSessionCount()).toBe(3);
    await memory.forget(b);
    expect(await memory.recentTurns(b, 1)).toBeUndefined();
    clock.advance(30_000);
    expect(await memory.activeSessionIds()).toEqual([c]);
    expect(await memory.activeSessionCount()).toBe(1);
    expect(await memory.evictIdleSince(new Date(clock.now().getTime() - 60_000))).toBe(1);
    expect(await memory.recentTurns(a, 1)).toBeUndefined();
    expect(await memory.recentTurns(c, 1)).toEqual([turn(1)]);
  });

  it('should keep the same window whether turns were appended one by one or held at once, past the cap', async () => {
    const turns = Array.from({ length: 2 * MAX_WINDOW_TURNS + 3 }, (_, i) => turn(i));
    const [appended, held] = [`${prefix}-appended`, `${prefix}-held`];
    for (const t of turns) await memory.append(appended, t);
    await memory.hold(held, turns);
    expect(await memory.recentTurns(appended, MAX_WINDOW_TURNS)).toEqual(await memory.recentTurns(held, MAX_WINDOW_TURNS));
    expect((await memory.recentTurns(appended, MAX_WINDOW_TURNS))![0]).toEqual(turn(MAX_WINDOW_TURNS + 3));
  });

  it('should store plain JSON that survives a round trip of text byte for byte', async () => {
    const id = `${prefix}-text`;
    const tricky = { human: 'quotes \' " ` <script>alert(1)</script> \u202Eevil\u202C 👩‍💻 \u0000\u0007', ai: 'ok\r\n\ttabs' };
    await memory.hold(id, [tricky]);
    expect(await memory.recentTurns(id, 1)).toEqual([tricky]);
  });
});
