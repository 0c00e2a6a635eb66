import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Keyv } from 'keyv';
import { CacheConversationMemory } from '../../src/memory/adapters/cache-conversation-memory';
import { RETRY_AFTER_MS } from '../../src/memory/adapters/cache-outage';
import { Turn } from '../../src/memory/domain/conversation-memory';
import { cacheStore, closeStore } from '../../src/memory/memory.module';
import { loadConfig } from '../../src/config/load-config';
import { externalServices } from '../support/databases';
import { ManualClock } from '../support/manual-clock';
import { hasRedisServer, startRedis, ThrowawayRedis } from '../support/redis-server';
import { TcpProxy } from '../support/tcp-proxy';
import { waitFor } from '../support/wait-for';

const { redis } = externalServices();
const turn = (i: number): Turn => ({ human: `question ${i}`, ai: `answer ${i}` });

interface Instance {
  readonly cache: Keyv;
  readonly memory: CacheConversationMemory;
}

/** One instance of the service as far as memory goes: its own Redis connection, the deployment's prefix. */
async function instance(clock: ManualClock, env: Record<string, string>): Promise<Instance> {
  const config = loadConfig({ SESSION_TIMEOUT: '60', ...env });
  const cache = await cacheStore(config);
  return { cache, memory: new CacheConversationMemory(cache, clock, config) };
}

(redis ? describe : describe.skip)('CacheConversationMemory: one list of held windows for every instance on one Redis', () => {
  const clock = new ManualClock();
  let a: Instance;
  let b: Instance;

  async function open(env: Record<string, string> = {}): Promise<void> {
    const shared = { REDIS_URL: redis!, REDIS_PREFIX: `zset-${randomUUID()}`, ...env };
    [a, b] = await Promise.all([instance(clock, shared), instance(clock, shared)]);
  }
  afterEach(async () => {
    await a.memory.clear();
    await Promise.all([closeStore(a.cache), closeStore(b.cache)]);
  });

  it('should list on one instance the windows another holds, most recently used first, a page at a time', async () => {
    await open();
    await a.memory.hold('x', [turn(1)]);
    clock.advance(1000);
    await b.memory.append('y', turn(1));
    clock.advance(1000);
    await a.memory.recentTurns('x', 1);
    expect(await b.memory.activeSessionIds()).toEqual(['x', 'y']);
    expect(await b.memory.activeSessionIds({ offset: 1, limit: 1 })).toEqual(['y']);
    expect(await b.memory.activeSessionCount()).toBe(2);
    expect(await b.memory.recentTurns('x', 1)).toEqual([turn(1)]);
  });

  it('should forget a window for every instance', async () => {
    await open();
    await a.memory.hold('x', [turn(1)]);
    await b.memory.forget('x');
    expect(await a.memory.activeSessionIds()).toEqual([]);
    expect(await a.memory.recentTurns('x', 1)).toBeUndefined();
  });

  it('should not list a window idle for longer than SESSION_TIMEOUT', async () => {
    await open();
    await a.memory.hold('x', [turn(1)]);
    clock.advance(61_000);
    expect(await b.memory.activeSessionIds()).toEqual([]);
    expect(await b.memory.activeSessionCount()).toBe(0);
  });

  it('should evict the idle windows of both instances from either, each counted once when both evict at once', async () => {
    await open();
    await a.memory.hold('old-a', [turn(1)]);
    await b.memory.hold('old-b', [turn(1)]);
    clock.advance(61_000);
    await a.memory.hold('fresh', [turn(1)]);
    const cutoff = new Date(clock.now().getTime() - 60_000);
    const [byA, byB] = await Promise.all([a.memory.evictIdleSince(cutoff), b.memory.evictIdleSince(cutoff)]);
    expect(byA + byB).toBe(2);
    expect(await b.memory.activeSessionIds()).toEqual(['fresh']);
    expect(await a.cache.get('window:old-b')).toBeUndefined();
    expect(await b.cache.get('window:old-a')).toBeUndefined();
    expect(await b.memory.recentTurns('fresh', 1)).toEqual([turn(1)]);
  });

  it('should hold at most MEMORY_MAX_WINDOWS windows across all instances, dropping the least recently used', async () => {
    await open({ MEMORY_MAX_WINDOWS: '3' });
    const ids = ['n1', 'n2', 'n3', 'n4', 'n5'];
    for (const [i, id] of ids.entries()) {
      clock.advance(1000);
      await (i % 2 === 0 ? a : b).memory.hold(id, [turn(1)]);
    }
    expect(await a.memory.activeSessionIds()).toEqual(['n5', 'n4', 'n3']);
    expect(await b.memory.activeSessionCount()).toBe(3);
    expect(await b.cache.get('window:n1')).toBeUndefined();
    expect(await a.cache.get('window:n2')).toBeUndefined();
  });
});

const available = Boolean(redis) && hasRedisServer();

(available ? describe : describe.skip)('CacheConversationMemory: one instance cut off from the shared Redis', () => {
  const clock = new ManualClock();
  let server: ThrowawayRedis;
  let proxy: TcpProxy;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    server = await startRedis();
    proxy = await TcpProxy.start({ port: server.port });
  });
  beforeEach(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const shared = { REDIS_PREFIX: `zset-${randomUUID()}`, REDIS_TIMEOUT_MS: '200', SESSION_TIMEOUT: '3600', MEMORY_MAX_WINDOWS: '5' };
    a = await instance(clock, { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, ...shared });
    b = await instance(clock, { REDIS_URL: `redis://127.0.0.1:${server.port}`, ...shared });
  });
  afterEach(async () => {
    proxy.restore();
    await Promise.all([closeStore(a.cache), closeStore(b.cache)]);
    jest.restoreAllMocks();
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.stop();
  });

  /** Moves the retry time on until the instance has deleted its stale windows and answers again. */
  async function recovered(memory: CacheConversationMemory): Promise<void> {
    await waitFor(
      async () => {
        clock.advance(RETRY_AFTER_MS);
        return memory.probe().then(
          () => true,
          () => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 50)),
        );
      },
      'the instance to use Redis again',
      5000,
    );
  }

  it.each(['cut', 'blackhole'] as const)('should answer within bounded time while Redis is %s, and list no window that went stale meanwhile', async (fault) => {
    await a.memory.hold('forgotten', [turn(1)]);
    await a.memory.hold('appended', [turn(1)]);
    await a.memory.hold('kept', [turn(1)]);
    proxy[fault]();
    const started = Date.now();
    await a.memory.forget('forgotten');
    await a.memory.append('appended', turn(2));
    expect(await a.memory.recentTurns('kept', 1)).toBeUndefined();
    expect(await a.memory.activeSessionIds()).toEqual([]);
    expect(await a.memory.evictIdleSince(clock.now())).toBe(0);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await b.memory.activeSessionIds()).toEqual(expect.arrayContaining(['forgotten', 'appended', 'kept']));
    proxy.restore();
    await recovered(a.memory);
    expect(await b.memory.activeSessionIds()).toEqual(['kept']);
    expect(await b.memory.recentTurns('appended', 1)).toBeUndefined();
    expect(await b.memory.recentTurns('kept', 1)).toEqual([turn(1)]);
  }, 15_000);

  it('should list nothing once back when more windows went stale than it could remember (all were dropped)', async () => {
    await b.memory.hold('kept', [turn(1)]);
    proxy.cut();
    for (let i = 0; i < 7; i++) await a.memory.forget(`s${i}`);
    proxy.restore();
    await recovered(a.memory);
    expect(await b.memory.activeSessionIds()).toEqual([]);
    expect(await b.memory.recentTurns('kept', 1)).toBeUndefined();
  }, 15_000);
});
