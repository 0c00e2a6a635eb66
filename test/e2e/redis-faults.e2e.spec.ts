import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import { historyOf } from '../support/http-helpers';
import { hasRedisServer, startRedis, ThrowawayRedis } from '../support/redis-server';
import { startServer } from '../support/server-process';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const available = hasRedisServer();
if (!available) console.warn('redis-server is not on PATH: the Redis fault tests are skipped.');

/** Polls every 100 ms, not 5: each failed readiness check logs a report. */
const pause = (ms: number) => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms));

/** A turn must answer within this, whatever Redis does. */
const TURN_LIMIT_MS = 2000;

(available ? describe : describe.skip)('Redis cut, blackholed and restored under turns', () => {
  let redis: ThrowawayRedis;
  let proxy: TcpProxy;
  let t: TestApp;
  /** What each session was told, in order: every acknowledged turn must be stored exactly once. */
  const said = new Map<string, string[]>();
  let sessions: string[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    proxy = await TcpProxy.start({ port: redis.port });
    t = await createTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_TIMEOUT_MS: '300' } });
  });
  afterAll(async () => {
    await t?.dispose();
    await proxy?.close();
    await redis?.stop();
  });

  /** One turn: 200 within TURN_LIMIT_MS, and the model saw every earlier turn of the session (up to 10). */
  async function turn(sessionId: string | undefined, prompt: string): Promise<string> {
    const started = Date.now();
    const res = await t.http().post('/api/generate/').send({ prompt, session_id: sessionId });
    expect({ status: res.status, slow: Date.now() - started > TURN_LIMIT_MS }).toEqual({ status: 200, slow: false });
    const id: string = res.body.session_id;
    const earlier = said.get(id) ?? [];
    const seen = Math.min(earlier.length, 10);
    expect(res.body.response).toContain(seen === 0 ? 'first turn I can see' : `I can see ${seen} earlier turn`);
    said.set(id, [...earlier, prompt]);
    return id;
  }

  const load = (phase: string) => Promise.all(sessions.map((id, i) => turn(id, `${phase} ${i}`)));

  async function readiness(): Promise<{ status: number; cache: { status: string } }> {
    const res = await t.http().get('/api/health/ready');
    return { status: res.status, cache: (res.body.details ?? res.body.error ?? res.body.info).cache };
  }

  it('should hold windows in Redis while it answers', async () => {
    sessions = await Promise.all([0, 1, 2, 3].map((i) => turn(undefined, `first ${i}`)));
    await load('second');
    expect(await readiness()).toMatchObject({ status: 200, cache: { status: 'up', store: 'redis' } });
    expect((await t.http().get('/api/sessions/').expect(200)).body.total_sessions).toBe(4);
  });

  it.each([
    ['cut', false],
    ['blackhole', false],
    ['blackhole', true],
  ] as const)('should keep answering turns within bounded time while Redis is %s (dead connections kept: %s), readiness 503 naming the cache', async (fault, keepHeld) => {
    proxy[fault]();
    await load(`${fault} a`);
    await load(`${fault} b`);
    await t.http().post('/api/clear_history/').send({ session_id: sessions[3] }).expect(200);
    said.set(sessions[3], []);
    const ready = await readiness();
    expect(ready.status).toBe(503);
    expect(ready.cache.status).toBe('down');
    proxy.restore({ keepHeld });
    await waitFor(async () => (await readiness()).status === 200 || (await pause(100)), 'readiness to recover', 5000);
  }, 15_000);

  it('should use Redis windows again once it is back, never one that went stale meanwhile', async () => {
    await load('after a');
    await load('after b');
    const direct = createClient({ url: `redis://127.0.0.1:${redis.port}` });
    await direct.connect();
    const keys = await direct.keys('*window:*');
    const ttls = await Promise.all(keys.map((k) => direct.pTTL(k)));
    await direct.quit();
    expect(keys.length).toBeGreaterThanOrEqual(sessions.length);
    for (const ttl of ttls) expect(ttl > 0 && ttl <= t.config.sessionTimeoutSeconds * 1000).toBe(true);
  }, 10_000);

  it('should have stored every acknowledged turn exactly once, each Human followed by its AI, counters equal to rows', async () => {
    for (const [id, prompts] of said) {
      const { messages } = await historyOf(t, id, { limit: 500 });
      expect(messages.map((m: { sender: string; content: string }) => (m.sender === 'Human' ? m.content : 'AI'))).toEqual(prompts.flatMap((p) => [p, 'AI']));
    }
    const db = new Database(join(t.dir, 'chat.db'), { readonly: true });
    const mismatched = db
      .prepare('SELECT session_id FROM chat_sessions s WHERE message_count <> (SELECT COUNT(*) FROM chat_messages m WHERE m.session_id = s.session_id)')
      .all();
    db.close();
    expect(mismatched).toEqual([]);
  });
});

(available ? describe : describe.skip)('the built service with Redis unreachable at boot', () => {
  it('should start, answer turns and report the cache down, then use Redis once it answers', async () => {
    const redis = await startRedis();
    const proxy = await TcpProxy.start({ port: redis.port });
    proxy.cut();
    const dir = mkdtempSync(join(tmpdir(), 'chat-redis-boot-'));
    const server = await startServer({ DATABASE_URL: `sqlite:${join(dir, 'chat.db')}`, REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_TIMEOUT_MS: '300' });
    try {
      const post = (body: object) => fetch(`${server.url}/api/generate/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const first = await post({ prompt: 'hello' });
      expect(first.status).toBe(200);
      const { session_id } = (await first.json()) as { session_id: string };
      expect((await fetch(`${server.url}/api/health/ready`)).status).toBe(503);
      proxy.restore();
      await waitFor(async () => (await fetch(`${server.url}/api/health/ready`)).status === 200 || (await pause(100)), 'readiness once Redis answers', 5000);
      expect(((await (await post({ prompt: 'again', session_id })).json()) as { response: string }).response).toContain('I can see 1 earlier turn');
      expect(server.output()).not.toMatch(/Unhandled|uncaught/i);
      expect(server.output().match(/The cache is unreachable/g)).toHaveLength(1);
    } finally {
      server.kill();
      await server.exited;
      await proxy.close();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 15_000);
});
