import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { LockLostError } from '../../src/common/domain-error';
import { createRedisClient, RedisClient } from '../../src/coordination/adapters/redis-connection';
import { RedisJobLock } from '../../src/coordination/adapters/redis-job-lock';
import { RedisLeaseStore } from '../../src/coordination/adapters/redis-lease-store';
import { RedisThrottlerStorage } from '../../src/coordination/adapters/redis-throttler-storage';
import { LeasedSessionLock } from '../../src/coordination/leased-session-lock';
import { dropRedisKeys, externalServices } from '../support/databases';

const { redis } = externalServices();
if (!redis) console.warn('TEST_REDIS_URL is not set: the Redis coordination tests are skipped.');
const describeRedis = redis ? describe : describe.skip;

describeRedis('coordination through Redis (two clients, as two instances)', () => {
  const prefix = `test-coord-${randomUUID()}`;
  const clients: RedisClient[] = [];
  let a: RedisClient;
  let b: RedisClient;

  async function client(): Promise<RedisClient> {
    const c = createRedisClient(redis!);
    await c.connect();
    clients.push(c);
    return c;
  }

  const lockOn = (c: RedisClient, ttlMs = 1000, waitTimeoutMs = 10_000) => new LeasedSessionLock(new RedisLeaseStore(c, prefix), { ttlMs, waitTimeoutMs });

  beforeAll(async () => {
    a = await client();
    b = await client();
  });

  afterAll(async () => {
    await dropRedisKeys(redis!, prefix);
    for (const c of clients) if (c.isOpen) c.destroy();
  });

  it('should run work on one session one at a time across two instances, every waiter in the end', async () => {
    const [lockA, lockB] = [lockOn(a), lockOn(b)];
    let running = 0;
    let most = 0;
    const done: number[] = [];
    const work = (i: number) => async () => {
      most = Math.max(most, ++running);
      await sleep(3);
      running--;
      done.push(i);
    };
    await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? lockA : lockB).run('one-at-a-time', work(i))));
    expect(most).toBe(1);
    expect(done).toHaveLength(30);
    expect(await a.exists(`${prefix}:lock:one-at-a-time`)).toBe(0);
  });

  it('should keep a long holder its lock by renewing it', async () => {
    const [lockA, lockB] = [lockOn(a, 150), lockOn(b, 150)];
    const events: string[] = [];
    const long = lockA.run('long', async (held) => {
      events.push('a starts');
      await sleep(600);
      events.push(held.aborted ? 'a lost it' : 'a ends');
    });
    await sleep(20);
    await lockB.run('long', async () => void events.push('b runs'));
    await long;
    expect(events).toEqual(['a starts', 'a ends', 'b runs']);
  });

  it("should free a crashed holder's lock within its expiry, and tell the holder it lost it", async () => {
    const crashing = await client();
    let lost: unknown;
    const held = new Promise<void>((resolve) => {
      void lockOn(crashing, 300)
        .run('crash', async (signal) => {
          resolve();
          await new Promise((r) => signal.addEventListener('abort', r));
          lost = signal.reason;
        })
        .catch(() => undefined);
    });
    await held;
    crashing.destroy(); // no more renewals, as when the process dies
    const started = Date.now();
    await lockOn(b, 300).run('crash', async () => undefined);
    expect(Date.now() - started).toBeLessThan(300 + 200);
    await sleep(200);
    expect(lost).toBeInstanceOf(LockLostError);
  });

  it("should never release or renew another holder's lease (compare-and-delete)", async () => {
    const [storeA, storeB] = [new RedisLeaseStore(a, prefix), new RedisLeaseStore(b, prefix)];
    expect(await storeA.take('cad', 'first', 50)).toBe(true);
    expect(await storeB.take('cad', 'second', 5000)).toBe(false);
    await sleep(80);
    expect(await storeB.take('cad', 'second', 5000)).toBe(true);
    await storeA.release('cad', 'first');
    expect(await storeA.renew('cad', 'first', 5000)).toBe(false);
    expect(await a.get(`${prefix}:lock:cad`)).toBe('second');
    await storeB.release('cad', 'second');
    expect(await a.exists(`${prefix}:lock:cad`)).toBe(0);
  });

  it('should let one instance claim a job period, and the next period again', async () => {
    const [jobsA, jobsB] = [new RedisJobLock(a, prefix, 'a'), new RedisJobLock(b, prefix, 'b')];
    const claims = await Promise.all([jobsA.claim('prune', '2026-12-01T03:00:00.000Z', 5000), jobsB.claim('prune', '2026-12-01T03:00:00.000Z', 5000)]);
    expect(claims.sort()).toEqual([false, true]);
    expect(await jobsB.claim('prune', '2026-12-02T03:00:00.000Z', 5000)).toBe(true);
  });

  it('should count a client against one budget across instances, and block it past the limit', async () => {
    const [limitA, limitB] = [new RedisThrottlerStorage(a, prefix), new RedisThrottlerStorage(b, prefix)];
    const hit = (s: RedisThrottlerStorage) => s.increment('client-1', 60_000, 3, 0, 'default');
    expect((await hit(limitA)).totalHits).toBe(1);
    expect((await hit(limitB)).totalHits).toBe(2);
    expect((await hit(limitA)).isBlocked).toBe(false);
    const blocked = await hit(limitB);
    expect(blocked).toMatchObject({ totalHits: 4, isBlocked: true });
    expect(blocked.timeToBlockExpire).toBeGreaterThan(55);
    expect((await limitA.increment('client-2', 60_000, 3, 0, 'default')).isBlocked).toBe(false);
  });

  describe('with Redis unreachable', () => {
    let offline: RedisClient;

    beforeAll(() => {
      offline = createRedisClient('redis://127.0.0.1:1');
      offline.connect().catch(() => undefined);
      clients.push(offline);
    });

    it('should run the work at once under the in-process lock instead of waiting', async () => {
      const started = Date.now();
      expect(await lockOn(offline).run('down', async () => 'ran')).toBe('ran');
      expect(Date.now() - started).toBeLessThan(1500);
    });

    it('should let requests through the rate limiter (fail open)', async () => {
      const record = await new RedisThrottlerStorage(offline, prefix).increment('client', 60_000, 1, 0, 'default');
      expect(record.isBlocked).toBe(false);
    });

    it('should skip a job run it cannot claim', async () => {
      expect(await new RedisJobLock(offline, prefix, 'x').claim('prune', 'p', 1000)).toBe(false);
    });
  });
});
