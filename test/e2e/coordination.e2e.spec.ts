import { randomUUID } from 'node:crypto';
import { createRedisClient, RedisConnection } from '../../src/coordination/adapters/redis-connection';
import { externalServices } from '../support/databases';
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
    const client = createRedisClient(redis!);
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 100 })) if (keys.length) await client.del(keys);
    client.destroy();
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
