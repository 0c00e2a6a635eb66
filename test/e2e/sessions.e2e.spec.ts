import { say } from '../support/http-helpers';
import { ManualClock } from '../support/manual-clock';
import { createTestApp, TestApp } from '../support/test-app';

describe('session routes', () => {
  const clock = new ManualClock(new Date('2026-11-20T10:00:00.000Z'));
  let t: TestApp;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({ clock });
    ids.apple = (await say(t, 'Apple pie recipe')).session_id;
    clock.set('2026-11-21T10:00:00.000Z');
    ids.banana = (await say(t, 'Banana bread')).session_id;
    await say(t, 'Tell me about ÉCLAIRS please', ids.banana);
    clock.set('2026-11-22T10:00:00.000Z');
    ids.cherry = (await say(t, 'Cherry tart 50% off_sale')).session_id;
    clock.set('2026-11-23T10:00:00.000Z');
    await say(t, 'more about apples', ids.apple);
  });
  afterAll(() => t.dispose());

  const names = (body: { chat_name: string }[]) => body.map((s) => s.chat_name);

  describe('GET /api/session_names', () => {
    it('should list every session, most recent activity first, with the contract fields and the total', async () => {
      const res = await t.http().get('/api/session_names/').expect(200);
      expect(res.headers['x-total-count']).toBe('3');
      expect(names(res.body)).toEqual(['Apple pie recipe', 'Cherry tart 50% off_sale', 'Banana bread']);
      // The original client's fields, plus the organising ones of issue 13.
      expect(Object.keys(res.body[0]).sort()).toEqual(['archived', 'chat_name', 'created_at', 'last_activity', 'message_count', 'pinned', 'session_id', 'tags']);
      expect(res.body[0]).toEqual({
        pinned: false,
        archived: false,
        tags: [],
        session_id: ids.apple,
        chat_name: 'Apple pie recipe',
        created_at: '2026-11-20T10:00:00.000Z',
        last_activity: '2026-11-23T10:00:00.000Z',
        message_count: 4,
      });
      await t.http().get('/api/session_names').expect(200);
    });

    it('should page with limit and offset and keep the total of all matches', async () => {
      const res = await t.http().get('/api/session_names/?limit=1&offset=1').expect(200);
      expect(names(res.body)).toEqual(['Cherry tart 50% off_sale']);
      expect(res.headers['x-total-count']).toBe('3');
    });

    it('should search chat names and message contents case-insensitively, beyond ASCII', async () => {
      expect(names((await t.http().get('/api/session_names/?q=APPLE').expect(200)).body)).toEqual(['Apple pie recipe']);
      const byContent = await t.http().get('/api/session_names/').query({ q: 'éclairs' }).expect(200);
      expect(names(byContent.body)).toEqual(['Banana bread']);
      expect(byContent.headers['x-total-count']).toBe('1');
      expect(names((await t.http().get('/api/session_names/').query({ q: '50%' }).expect(200)).body)).toEqual(['Cherry tart 50% off_sale']);
      expect((await t.http().get('/api/session_names/').query({ q: '%' }).expect(200)).body).toHaveLength(1);
      expect((await t.http().get('/api/session_names/').query({ q: 'o_f' }).expect(200)).body).toHaveLength(0);
    });

    it('should filter on last activity with since and until', async () => {
      const since = await t.http().get('/api/session_names/?since=2026-11-22').expect(200);
      expect(names(since.body)).toEqual(['Apple pie recipe', 'Cherry tart 50% off_sale']);
      const until = await t.http().get('/api/session_names/?until=2026-11-22').expect(200);
      expect(names(until.body)).toEqual(['Cherry tart 50% off_sale', 'Banana bread']);
      const window = await t.http().get('/api/session_names/?since=2026-11-21T00:00:00Z&until=2026-11-21T10:00:00.000Z').expect(200);
      expect(names(window.body)).toEqual(['Banana bread']);
      expect(window.headers['x-total-count']).toBe('1');
    });

    it.each(['limit=0', 'limit=1001', 'limit=abc', 'offset=-1', 'since=yesterday', 'until=2026-13-45', 'unknown=1'])(
      'should refuse ?%s with 400',
      async (query) => {
        const res = await t.http().get(`/api/session_names/?${query}`).expect(400);
        expect(res.body).toMatchObject({ status: 400, code: 'validation_failed' });
      },
    );
  });

  describe('GET /api/sessions', () => {
    it('should list the sessions whose memory is held, leaving out those idle past SESSION_TIMEOUT', async () => {
      const res = await t.http().get('/api/sessions/').expect(200);
      expect(res.body).toEqual({ active_sessions: [ids.apple], total_sessions: 1 });
      clock.advance(30 * 60_000);
      await say(t, 'back to bread', ids.banana);
      const both = await t.http().get('/api/sessions').expect(200);
      expect(both.body).toEqual({ active_sessions: [ids.banana, ids.apple], total_sessions: 2 });
    });
  });

  describe('paging past the hundredth session', () => {
    let many: TestApp;
    const COUNT = 130;

    beforeAll(async () => {
      many = await createTestApp();
      for (let i = 0; i < COUNT; i += 26) {
        await Promise.all(Array.from({ length: 26 }, (_, j) => say(many, `session ${i + j}`)));
      }
    });
    afterAll(() => many.dispose());

    it('should list every session when no limit is given, as the original client expects', async () => {
      const res = await many.http().get('/api/session_names/').expect(200);
      expect(res.body).toHaveLength(COUNT);
      expect(res.headers['x-total-count']).toBe(String(COUNT));
      expect(new Set(res.body.map((s: { session_id: string }) => s.session_id)).size).toBe(COUNT);
      expect((await many.http().get('/api/session_names/?offset=120').expect(200)).body).toHaveLength(10);
      const page = await many.http().get('/api/session_names/?limit=1000&offset=5').expect(200);
      expect(page.body).toEqual(res.body.slice(5));
    });

    it('should page the held sessions with limit and offset and keep their total', async () => {
      const all = (await many.http().get('/api/sessions/').expect(200)).body;
      expect(all.active_sessions).toHaveLength(COUNT);
      expect(all.total_sessions).toBe(COUNT);
      const page = (await many.http().get('/api/sessions/?limit=10&offset=120').expect(200)).body;
      expect(page).toEqual({ active_sessions: all.active_sessions.slice(120), total_sessions: COUNT });
      expect((await many.http().get('/api/sessions?offset=3').expect(200)).body.active_sessions).toEqual(all.active_sessions.slice(3));
    });

    it.each(['limit=0', 'limit=1001', 'limit=x', 'offset=-1', 'offset=1.5', 'other=1'])('should refuse /api/sessions/?%s with 400', async (query) => {
      const res = await many.http().get(`/api/sessions/?${query}`).expect(400);
      expect(res.body).toMatchObject({ status: 400, code: 'validation_failed' });
    });
  });

  describe('DELETE /api/sessions/:id', () => {
    it('should delete the session, its messages and its memory, then answer 404', async () => {
      const id = (await say(t, 'to be deleted')).session_id;
      await t.http().delete(`/api/sessions/${id}`).expect(204);
      await t.http().post('/api/get_history/').send({ session_id: id }).expect(404);
      expect((await t.http().get('/api/sessions/').expect(200)).body.active_sessions).not.toContain(id);
      expect((await t.http().get('/api/session_names/').expect(200)).headers['x-total-count']).toBe('3');
      const again = await t.http().delete(`/api/sessions/${id}/`).expect(404);
      expect(again.body).toMatchObject({ status: 404, code: 'session_not_found' });
    });

    it('should refuse a malformed id with 400', async () => {
      const res = await t.http().delete('/api/sessions/not-a-uuid').expect(400);
      expect(res.body.code).toBe('validation_failed');
    });
  });

  it('should answer an unknown route with a JSON 404', async () => {
    const res = await t.http().get('/api/nothing-here').expect(404);
    expect(res.body).toMatchObject({ status: 404, code: 'not_found' });
    expect(res.body.detail).toEqual(expect.any(String));
  });
});
