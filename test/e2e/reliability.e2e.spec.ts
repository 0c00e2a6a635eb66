import { historyOf, say } from '../support/http-helpers';
import { count, mismatchedCounts } from '../support/tables';
import { createTestApp, TestApp } from '../support/test-app';

describe('concurrency', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.dispose());

  async function rowsAndCounters() {
    return { sessions: await count(t, 'SELECT COUNT(*) AS n FROM chat_sessions'), mismatched: await mismatchedCounts(t) };
  }

  it('should answer 100 concurrent turns on one session, each Human followed by its own answer', async () => {
    const id = (await say(t, 'start')).session_id;
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => t.http().post('/api/generate/').send({ prompt: `turn ${i}`, session_id: id, max_history: 100 })),
    );
    expect(results.map((r) => r.status)).toEqual(new Array(100).fill(200));
    const { messages } = await historyOf(t, id);
    expect(messages).toHaveLength(202);
    for (let i = 0; i < messages.length; i += 2) {
      expect(messages[i].sender).toBe('Human');
      expect(messages[i + 1].sender).toBe('AI');
      expect(messages[i + 1].content).toContain(`You said: “${messages[i].content}”`);
    }
    expect(new Set(messages.filter((m: { sender: string }) => m.sender === 'Human').map((m: { content: string }) => m.content)).size).toBe(101);
    // Each turn saw every turn before it: the last one saw 100 earlier turns.
    expect(messages[201].content).toContain('I can see 100 earlier turns');
    expect((await rowsAndCounters()).mismatched).toEqual([]);
  });

  it('should make exactly 50 sessions from 50 concurrent first turns, and never surface SQLITE_BUSY', async () => {
    const before = (await rowsAndCounters()).sessions;
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => t.http().post('/api/generate/').send({ prompt: `new ${i}` })));
    expect(results.map((r) => r.status)).toEqual(new Array(50).fill(200));
    expect(new Set(results.map((r) => r.body.session_id)).size).toBe(50);
    const { sessions, mismatched } = await rowsAndCounters();
    expect(sessions - before).toBe(50);
    expect(mismatched).toEqual([]);
  });

  it('should keep counters right while turns, clears, deletes and reads interleave', async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, (_, i) => say(t, `mixed ${i}`).then((r) => r.session_id)));
    const work = ids.flatMap((id, i) => [
      t.http().post('/api/generate/').send({ prompt: 'more', session_id: id }),
      t.http().post('/api/get_history/').send({ session_id: id }),
      i % 2 ? t.http().post('/api/clear_history/').send({ session_id: id }) : t.http().get('/api/session_stats/'),
      t.http().post('/api/generate/').send({ prompt: 'even more', session_id: id }),
      i === 4 ? t.http().delete(`/api/sessions/${id}`) : t.http().get('/api/session_names/'),
    ]);
    const results = await Promise.all(work);
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect((await rowsAndCounters()).mismatched).toEqual([]);
    const stats = (await t.http().get('/api/session_stats/').expect(200)).body.stats;
    expect(stats.total_messages).toBe(await count(t, 'SELECT COUNT(*) AS n FROM chat_messages'));
  });
});

describe('protection', () => {
  it('should limit requests per client and minute, with 429, Retry-After and a detail, but never health probes', async () => {
    const t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      for (let i = 0; i < 3; i++) await t.http().get('/api/session_names/').expect(200);
      const limited = await t.http().get('/api/session_names/').expect(429);
      expect(limited.body).toMatchObject({ status: 429, code: 'rate_limited', detail: expect.any(String) });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      for (let i = 0; i < 5; i++) await t.http().get('/api/health/live').expect(200);
    } finally {
      await t.dispose();
    }
  });

  it('should count one budget per client across all routes', async () => {
    const t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '4' } });
    try {
      await t.http().get('/api/session_names/').expect(200);
      await t.http().get('/api/sessions/').expect(200);
      await t.http().get('/api/session_stats/').expect(200);
      await t.http().post('/api/get_history/').send({ session_id: '0c8f2a9e-3b1d-4e5f-8a7b-6c5d4e3f2a1b' }).expect(404);
      for (const path of ['/api/sessions/', '/api/session_names/']) {
        const limited = await t.http().get(path);
        expect({ path, status: limited.status }).toEqual({ path, status: 429 });
      }
      await t.http().get('/api/health/ready').expect(200);
    } finally {
      await t.dispose();
    }
  });

  it('should tell clients behind TRUST_PROXY proxies apart by X-Forwarded-For, and believe no such header without it', async () => {
    const proxied = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: '1' } });
    const direct = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '2' } });
    try {
      const from = (t: TestApp, client: string) => t.http().get('/api/session_names/').set('X-Forwarded-For', client);
      for (const t of [proxied, direct]) {
        await from(t, '203.0.113.1').expect(200);
        await from(t, '203.0.113.1').expect(200);
      }
      await from(proxied, '203.0.113.1').expect(429);
      await from(proxied, '203.0.113.2').expect(200);
      // Without TRUST_PROXY the header is anybody's to forge: every request counts against the connection's address.
      await from(direct, '203.0.113.2').expect(429);
    } finally {
      await proxied.dispose();
      await direct.dispose();
    }
  });

  it('should close CORS by default and open it to the origins of CORS_ORIGINS', async () => {
    const closed = await createTestApp();
    const open = await createTestApp({ env: { CORS_ORIGINS: 'https://chat.example.com, https://admin.example.com' } });
    try {
      const none = await closed.http().options('/api/generate/').set('Origin', 'https://chat.example.com').set('Access-Control-Request-Method', 'POST');
      expect(none.headers['access-control-allow-origin']).toBeUndefined();
      const allowed = await open.http().get('/api/session_names/').set('Origin', 'https://admin.example.com').expect(200);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://admin.example.com');
      expect(allowed.headers['access-control-expose-headers']).toContain('X-Total-Count');
      const other = await open.http().get('/api/session_names/').set('Origin', 'https://evil.example.com');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await closed.dispose();
      await open.dispose();
    }
  });

  it('should send helmet security headers', async () => {
    const t = await createTestApp();
    try {
      const res = await t.http().get('/api/health/live').expect(200);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-powered-by']).toBeUndefined();
    } finally {
      await t.dispose();
    }
  });
});
