import { CacheConversationMemory } from '../../src/memory/adapters/cache-conversation-memory';
import { ConversationMemory } from '../../src/memory/domain/conversation-memory';
import { say } from '../support/http-helpers';
import { createTestApp, TestApp } from '../support/test-app';

describe('memory within a small budget', () => {
  const MAX_BYTES = 64 * 1024;
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { MEMORY_MAX_WINDOWS: '50', MEMORY_MAX_BYTES: String(MAX_BYTES), MEMORY_MAX_WINDOW_BYTES: '8192' } });
  });
  afterAll(() => t.dispose());

  it('should hold at most 50 windows under the byte budget after 500 sessions, and rebuild an evicted window for the model', async () => {
    const ids: string[] = [];
    for (let batch = 0; batch < 50; batch++) {
      const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => say(t, `session ${batch * 10 + i} ${'x'.repeat(200)}`)));
      ids.push(...replies.map((r) => r.session_id));
    }
    const memory = t.app.get(ConversationMemory) as CacheConversationMemory;
    expect(memory.held.windows).toBeLessThanOrEqual(50);
    expect(memory.held.bytes).toBeLessThanOrEqual(MAX_BYTES);
    const active = (await t.http().get('/api/sessions/').expect(200)).body;
    expect(active.total_sessions).toBe(memory.held.windows);
    expect(active.active_sessions).not.toContain(ids[0]);

    const second = await say(t, 'and again', ids[0]);
    expect(second.response).toContain('I can see 1 earlier turn');
    const third = await say(t, 'once more', ids[0]);
    expect(third.response).toContain('I can see 2 earlier turns');
  }, 15_000);

  it('should show the model every turn when one turn is over the window budget, from the store', async () => {
    const id = (await say(t, 'small start')).session_id;
    await say(t, `big ${'y'.repeat(5000)}`, id);
    expect((await say(t, 'after the big one', id)).response).toContain('I can see 2 earlier turns');
    expect((await say(t, 'and after that', id)).response).toContain('I can see 3 earlier turns');
  });
});
