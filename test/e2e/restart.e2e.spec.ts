import { historyOf, say } from '../support/http-helpers';
import { createTestApp } from '../support/test-app';

describe('a restart', () => {
  it('should keep every session and rebuild the memory window from the store', async () => {
    const first = await createTestApp();
    const id = (await say(first, 'before the restart')).session_id;
    await say(first, 'second turn', id);
    await first.close();

    const second = await createTestApp({ dir: first.dir });
    try {
      expect((await second.http().get('/api/sessions/').expect(200)).body).toEqual({ active_sessions: [], total_sessions: 0 });
      const reply = await say(second, 'after the restart', id);
      expect(reply.chat_name).toBe('before the restart');
      expect(reply.response).toContain('I can see 2 earlier turns');
      expect((await historyOf(second, id)).history).toHaveLength(6);
      const stats = (await second.http().get('/api/session_stats/').expect(200)).body.stats;
      expect(stats).toMatchObject({ total_sessions: 1, total_messages: 6, active_sessions: 1 });
    } finally {
      await second.dispose();
    }
  });
});
