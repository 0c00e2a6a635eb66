import { randomUUID } from 'node:crypto';
import { CacheConversationMemory } from '../../src/memory/adapters/cache-conversation-memory';
import { ConversationMemory } from '../../src/memory/domain/conversation-memory';
import { externalServices, ScratchDatabase, scratchPostgres } from '../support/databases';
import { say } from '../support/http-helpers';
import { createTestApp, TestApp } from '../support/test-app';

const { postgres, redis } = externalServices();
if (!postgres || !redis) console.warn('TEST_POSTGRES_URL or TEST_REDIS_URL is not set: the shared-windows suite is skipped.');

(postgres && redis ? describe : describe.skip)('two instances on one PostgreSQL and one Redis: one list of held windows', () => {
  let db: ScratchDatabase;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    db = await scratchPostgres(postgres!);
    const env = { DATABASE_URL: db.url, REDIS_URL: redis!, REDIS_PREFIX: `test-${randomUUID()}` };
    a = await createTestApp({ env, store: 'sqlite' });
    b = await createTestApp({ env, store: 'sqlite' });
  });
  afterAll(async () => {
    // The prefix was named here, so the test apps leave its keys: take them away.
    if (a) await (a.app.get(ConversationMemory) as CacheConversationMemory).clear();
    await a?.dispose();
    await b?.dispose();
    await db?.drop();
  });

  it('should list and count on one instance a window only the other touched, and forget it on both', async () => {
    const { session_id } = await say(a, 'hello from A');
    const listed = await b.http().get('/api/sessions/').expect(200);
    expect(listed.body).toEqual({ active_sessions: [session_id], total_sessions: 1 });
    const stats = await b.http().get('/api/session_stats/').expect(200);
    expect(stats.body.stats.active_sessions).toBe(1);
    await b.http().delete(`/api/sessions/${session_id}`).expect(204);
    expect((await a.http().get('/api/sessions/').expect(200)).body).toEqual({ active_sessions: [], total_sessions: 0 });
  });

  it('should page the shared list', async () => {
    const first = (await say(a, 'first')).session_id;
    const second = (await say(b, 'second')).session_id;
    const page = await a.http().get('/api/sessions/').query({ limit: 1, offset: 1 }).expect(200);
    expect(page.body).toEqual({ active_sessions: [first], total_sessions: 2 });
    expect((await b.http().get('/api/sessions/').query({ limit: 1 }).expect(200)).body.active_sessions).toEqual([second]);
  });
});
