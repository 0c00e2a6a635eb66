import { randomUUID } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import { createRedisClient, RedisConnection } from '../../src/coordination/adapters/redis-connection';
import { JWT_ENV, register } from '../support/auth-helpers';
import { dropRedisKeys, externalServices } from '../support/databases';
import { createTestApp, TestApp } from '../support/test-app';

const { redis } = externalServices();
if (!redis) console.warn('TEST_REDIS_URL is not set: the rate limit shared through Redis is not tested.');

// Only coordination's Redis is unreachable (the memory store's own faults are tested with it).
(redis ? describe : describe.skip)('coordination with its Redis unreachable', () => {
  const unreachable = new RedisConnection('redis://127.0.0.1:1');
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { REDIS_URL: redis!, RATE_LIMIT_PER_MINUTE: '1' }, overrides: [[RedisConnection, unreachable]] });
  }, 15_000);
  afterAll(async () => {
    await t.dispose();
    if (unreachable.client?.isOpen) unreachable.client.destroy();
  });

  it('should answer turns at once under the in-process lock rather than hang or fail', async () => {
    const started = Date.now();
    const { session_id } = (await t.http().post('/api/generate/').send({ prompt: 'hello' }).expect(200)).body;
    await t.http().post('/api/generate/').send({ prompt: 'again', session_id }).expect(200);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('should let requests through the rate limiter (fail open)', async () => {
    for (let i = 0; i < 3; i++) await t.http().get('/api/session_names/').expect(200);
  });

  it('should report coordination down in health, with its response time', async () => {
    const res = await t.http().get('/api/health/ready').expect(503);
    expect(res.body.error.coordination).toMatchObject({ status: 'down' });
    expect(res.body.details.cache).toMatchObject({ status: 'up', responseTime: expect.any(Number) });
  });
});

(redis ? describe : describe.skip)('a rate limit shared by two instances through Redis', () => {
  const prefix = `test-limit-${randomUUID()}`;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const env = { REDIS_URL: redis!, REDIS_PREFIX: prefix, RATE_LIMIT_PER_MINUTE: '3' };
    [a, b] = await Promise.all([createTestApp({ env }), createTestApp({ env })]);
  }, 15_000);

  afterAll(async () => {
    await Promise.all([a?.dispose(), b?.dispose()]);
    await dropRedisKeys(redis!, prefix);
  });

  it("should count a client's requests on both instances against one budget", async () => {
    await a.http().get('/api/session_names/').expect(200);
    await b.http().get('/api/session_names/').expect(200);
    await a.http().get('/api/session_names/').expect(200);
    const refused = await b.http().get('/api/session_names/').expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('should report Redis coordination up in health', async () => {
    const res = await a.http().get('/api/health').expect(200);
    expect(res.body.info.coordination).toMatchObject({ status: 'up', store: 'redis', responseTime: expect.any(Number) });
  });
});


const signIn = (t: TestApp, username: string, password: string) => t.http().post('/api/auth/login').send({ username, password });

(redis ? describe : describe.skip)('sign-in failures counted by two instances together through Redis', () => {
  const prefix = `test-signin-${randomUUID()}`;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const env = { ...JWT_ENV, REDIS_URL: redis!, REDIS_PREFIX: prefix };
    a = await createTestApp({ env });
    // The same database file too, as instances behind one load balancer share their store.
    b = await createTestApp({ env, dir: a.dir });
  }, 15_000);

  afterAll(async () => {
    await Promise.all([a?.dispose(), b?.dispose()]);
    await dropRedisKeys(redis!, prefix);
  });

  it("should refuse on B with 429 and Retry-After a username whose password was guessed wrong on A, and keep the keys expiring", async () => {
    await register(a, 'erin', 'erins password');
    await signIn(b, 'erin', 'erins password').expect(200);
    for (let i = 0; i < 5; i++) await signIn(a, 'erin', `wrong guess ${i}`).expect(401);
    const refused = await signIn(b, 'erin', 'erins password').expect(429);
    expect(refused.body).toMatchObject({ status: 429, code: 'too_many_attempts', detail: expect.any(String) });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(14 * 60);
    await signIn(a, 'erin', 'erins password').expect(429);

    const client = createRedisClient(redis!);
    await client.connect();
    try {
      const keys: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `${prefix}:failures:*`, COUNT: 100 })) keys.push(...batch);
      expect(keys.sort()).toEqual([`${prefix}:failures:a:127.0.0.1`, `${prefix}:failures:u:erin`].sort());
      for (const key of keys) expect(await client.pTTL(key)).toBeGreaterThan(14 * 60_000);
    } finally {
      client.destroy();
    }
  });
});

(redis ? describe : describe.skip)('sign-in throttling with its Redis unreachable', () => {
  const unreachable = new RedisConnection('redis://127.0.0.1:1');
  const warnings: string[] = [];
  const logger: LoggerService = { log: () => undefined, error: () => undefined, warn: (m: unknown) => void warnings.push(String(m)) };
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { ...JWT_ENV, REDIS_URL: redis! }, overrides: [[RedisConnection, unreachable]], logger });
  }, 15_000);
  afterAll(async () => {
    await t.dispose();
    if (unreachable.client?.isOpen) unreachable.client.destroy();
  });

  it('should count failures in this instance at once, and say so once', async () => {
    await register(t, 'fred', 'freds password');
    const started = Date.now();
    for (let i = 0; i < 5; i++) await signIn(t, 'fred', `wrong guess ${i}`).expect(401);
    await signIn(t, 'fred', 'freds password').expect(429);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(warnings.filter((w) => w.includes('sign-in throttling'))).toEqual([expect.stringMatching(/^Redis for sign-in throttling .* is failing: /)]);
  });
});
