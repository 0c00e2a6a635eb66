import { historyOf, say } from '../support/http-helpers';
import { createTestApp, TestApp } from '../support/test-app';

describe('history routes', () => {
  let t: TestApp;
  let sessionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    sessionId = (await say(t, 'message 1')).session_id;
    for (let i = 2; i <= 5; i++) await say(t, `message ${i}`, sessionId);
  });
  afterAll(() => t.dispose());

  describe('POST /api/get_history', () => {
    it('should return the whole conversation oldest first in both shapes', async () => {
      const body = await historyOf(t, sessionId);
      expect(Object.keys(body).sort()).toEqual(['has_more', 'history', 'messages', 'session_id', 'status']);
      expect(body.status).toBe('success');
      expect(body.session_id).toBe(sessionId);
      expect(body.has_more).toBe(false);
      expect(body.history).toHaveLength(10);
      expect(body.history[0]).toBe('Human: message 1');
      expect(body.history[1]).toMatch(/^AI: This is the offline model/);
      expect(body.messages).toHaveLength(10);
      expect(Object.keys(body.messages[0]).sort()).toEqual(['content', 'id', 'sender', 'timestamp']);
      expect(body.messages[0]).toMatchObject({ sender: 'Human', content: 'message 1' });
      expect(body.messages[0].timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      const ids = body.messages.map((m: { id: number }) => m.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    });

    it('should page backwards with limit and before_id, oldest first within a page', async () => {
      const newest = await historyOf(t, sessionId, { limit: 4 });
      expect(newest.messages.map((m: { content: string }) => m.content)[0]).toBe('message 4');
      expect(newest.messages).toHaveLength(4);
      expect(newest.has_more).toBe(true);
      const older = await historyOf(t, sessionId, { limit: 4, before_id: newest.messages[0].id });
      expect(older.messages[0].content).toBe('message 2');
      expect(older.has_more).toBe(true);
      const oldest = await historyOf(t, sessionId, { limit: 4, before_id: older.messages[0].id });
      expect(oldest.messages.map((m: { content: string }) => m.content)).toEqual(['message 1', expect.stringContaining('offline')]);
      expect(oldest.has_more).toBe(false);
      const all = await historyOf(t, sessionId);
      expect([...oldest.messages, ...older.messages, ...newest.messages]).toEqual(all.messages);
    });

    it('should give every message older than before_id when there is no limit', async () => {
      const all = await historyOf(t, sessionId);
      const body = await historyOf(t, sessionId, { before_id: all.messages[3].id });
      expect(body.messages).toEqual(all.messages.slice(0, 3));
      expect(body.has_more).toBe(false);
    });

    it('should answer 404 with a detail for an unknown session', async () => {
      const res = await t.http().post('/api/get_history').send({ session_id: '00000000-0000-4000-8000-000000000000' }).expect(404);
      expect(res.body).toMatchObject({ status: 404, code: 'session_not_found' });
      expect(res.body.detail).toContain('00000000-0000-4000-8000-000000000000');
    });

    it.each([{}, { session_id: 'abc' }, { session_id: sessionIdPlaceholder(), limit: 0 }, { session_id: sessionIdPlaceholder(), limit: 501 }, { session_id: sessionIdPlaceholder(), before_id: 'x' }])(
      'should refuse %j with 400',
      async (body) => {
        const res = await t.http().post('/api/get_history/').send(body).expect(400);
        expect(res.body.code).toBe('validation_failed');
      },
    );
  });

  describe('POST /api/clear_history', () => {
    it('should delete the messages, keep the session and start the window afresh', async () => {
      const id = (await say(t, 'keep my name')).session_id;
      await say(t, 'second', id);
      const listed = async () => (await t.http().get('/api/session_names/').expect(200)).body.find((s: { session_id: string }) => s.session_id === id);
      const before = await listed();
      const res = await t.http().post('/api/clear_history/').send({ session_id: id }).expect(200);
      expect(res.body).toEqual({ status: 'success', session_id: id, deleted_messages: 4 });
      const after = await listed();
      expect(after).toMatchObject({ chat_name: 'keep my name', created_at: before.created_at, message_count: 0 });
      expect((await historyOf(t, id)).history).toEqual([]);
      const active = (await t.http().get('/api/sessions/').expect(200)).body.active_sessions;
      expect(active).not.toContain(id);
      const next = await say(t, 'after clearing', id);
      expect(next.response).toContain('first turn I can see');
      expect(next.chat_name).toBe('keep my name');
    });

    it('should answer 404 for an unknown session', async () => {
      const res = await t.http().post('/api/clear_history').send({ session_id: '00000000-0000-4000-8000-000000000001' }).expect(404);
      expect(res.body.code).toBe('session_not_found');
    });
  });
});

function sessionIdPlaceholder(): string {
  return '5a3b1c2d-0e4f-4a6b-8c7d-9e0f1a2b3c4d';
}
