import { randomUUID } from 'node:crypto';
import { say } from '../support/http-helpers';
import { ManualClock } from '../support/manual-clock';
import { createTestApp, TestApp } from '../support/test-app';

/** Rename, pin, archive and tag a session (issue 13, "Organise"), and the listing filters that go with them. */
describe('organising sessions', () => {
  const clock = new ManualClock(new Date('2026-11-20T10:00:00.000Z'));
  let t: TestApp;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({ clock });
    for (const name of ['oldest', 'middle', 'newest']) {
      ids[name] = (await say(t, `the ${name} chat`)).session_id;
      clock.advance(60_000);
    }
  });
  afterAll(() => t.dispose());

  const patch = (id: string, body: object, ifMatch?: string) => {
    const req = t.http().patch(`/api/sessions/${id}`);
    return (ifMatch === undefined ? req : req.set('If-Match', ifMatch)).send(body);
  };
  const list = async (query = '') => {
    const res = await t.http().get(`/api/session_names/${query}`).expect(200);
    return { names: (res.body as { chat_name: string }[]).map((s) => s.chat_name), body: res.body, total: res.headers['x-total-count'] };
  };

  describe('PATCH /api/sessions/:id', () => {
    it('should rename a session and answer the session with an ETag', async () => {
      const res = await patch(ids.oldest, { chat_name: '  Renamed chat  ' }).expect(200);
      expect(res.body).toEqual({
        session_id: ids.oldest,
        chat_name: 'Renamed chat',
        pinned: false,
        archived: false,
        tags: [],
        created_at: '2026-11-20T10:00:00.000Z',
        last_activity: '2026-11-20T10:00:00.000Z',
        message_count: 2,
      });
      expect(res.headers.etag).toMatch(/^"[^"]+"$/);
      await patch(ids.oldest, { chat_name: 'the oldest chat' }).expect(200);
    });

    it('should pin, archive and tag, normalizing and merging tags, and serve the same on GET', async () => {
      const res = await patch(ids.middle, { pinned: true, tags: ['  Work ', 'work', 'Ünïcode-Tag', 'q4.2026'] }).expect(200);
      expect(res.body).toMatchObject({ pinned: true, archived: false, tags: ['q4.2026', 'work', 'ünïcode-tag'] });
      const got = await t.http().get(`/api/sessions/${ids.middle}`).expect(200);
      expect(got.body).toEqual(res.body);
      expect(got.headers.etag).toBe(res.headers.etag);
      const archived = await patch(ids.middle, { archived: true }).expect(200);
      expect(archived.body).toMatchObject({ pinned: true, archived: true, tags: ['q4.2026', 'work', 'ünïcode-tag'] });
      const cleared = await patch(ids.middle, { pinned: false, archived: false, tags: [] }).expect(200);
      expect(cleared.body).toMatchObject({ pinned: false, archived: false, tags: [] });
    });

    it('should refuse bad input with 400 and a detail, changing nothing', async () => {
      const before = await t.http().get(`/api/sessions/${ids.newest}`).expect(200);
      const bad: object[] = [
        { chat_name: '   ' },
        { chat_name: 'x'.repeat(201) },
        { pinned: 'yes' },
        { archived: 1 },
        { tags: 'work' },
        { tags: [''] },
        { tags: ['x'.repeat(33)] },
        { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
        { tags: ['no,commas'] },
        { tags: [42] },
        { owner_id: 'me' },
      ];
      for (const body of bad) {
        const res = await patch(ids.newest, body);
        expect({ body, status: res.status, detail: typeof res.body.detail }).toEqual({ body, status: 400, detail: 'string' });
      }
      // 21 spellings of 20 tags merge to 20: allowed.
      const twenty = Array.from({ length: 20 }, (_, i) => `t${i}`);
      await patch(ids.newest, { tags: [...twenty, 'T0'] }).expect(200);
      await patch(ids.newest, { tags: [] }).expect(200);
      const after = await t.http().get(`/api/sessions/${ids.newest}`).expect(200);
      expect(after.body).toEqual(before.body);
    });

    it('should apply a PATCH with the current If-Match and refuse a stale one with 412', async () => {
      const current = (await t.http().get(`/api/sessions/${ids.newest}`).expect(200)).headers.etag as string;
      const first = await patch(ids.newest, { chat_name: 'tab one' }, current).expect(200);
      expect(first.headers.etag).not.toBe(current);
      const stale = await patch(ids.newest, { chat_name: 'tab two' }, current).expect(412);
      expect(stale.body).toEqual({ status: 412, code: 'precondition_failed', detail: expect.stringContaining('changed') });
      expect((await t.http().get(`/api/sessions/${ids.newest}`).expect(200)).body.chat_name).toBe('tab one');
      await patch(ids.newest, { chat_name: 'the newest chat' }, first.headers.etag as string).expect(200);
      await patch(ids.newest, { pinned: false }, '*').expect(200);
      await patch(ids.newest, { pinned: false }, 'W/"nonsense"').expect(412);
    });

    it('should keep the ETag across turns, which change no organised field', async () => {
      const before = (await t.http().get(`/api/sessions/${ids.newest}`).expect(200)).headers.etag as string;
      await say(t, 'one more turn', ids.newest);
      const after = await t.http().get(`/api/sessions/${ids.newest}`).expect(200);
      expect(after.headers.etag).toBe(before);
      expect(after.body.message_count).toBe(4);
      await patch(ids.newest, { pinned: false }, before).expect(200);
    });

    it('should answer 404 for an unknown session and 400 for a malformed id', async () => {
      const res = await patch(randomUUID(), { pinned: true }).expect(404);
      expect(res.body.code).toBe('session_not_found');
      await patch(randomUUID(), { pinned: true }, '"1"').expect(404);
      await t.http().get(`/api/sessions/${randomUUID()}`).expect(404);
      await patch('not-a-uuid', { pinned: true }).expect(400);
    });
  });

  describe('GET /api/session_names with organised sessions', () => {
    beforeAll(async () => {
      // Activity order: newest, middle, oldest (newest had one more turn).
      await patch(ids.oldest, { pinned: true, tags: ['work'] }).expect(200);
      await patch(ids.middle, { archived: true, tags: ['work', 'old'] }).expect(200);
      await patch(ids.newest, { tags: ['home'] }).expect(200);
    });
    afterAll(async () => {
      for (const id of Object.values(ids)) await patch(id, { pinned: false, archived: false, tags: [] }).expect(200);
    });

    it('should put pinned sessions first, hide archived ones, and carry pinned, archived and tags', async () => {
      const { names, body, total } = await list();
      expect(names).toEqual(['the oldest chat', 'the newest chat']);
      expect(total).toBe('2');
      expect(body[0]).toMatchObject({ session_id: ids.oldest, pinned: true, archived: false, tags: ['work'] });
      expect(Object.keys(body[1]).sort()).toEqual(['archived', 'chat_name', 'created_at', 'last_activity', 'message_count', 'pinned', 'session_id', 'tags']);
    });

    it('should show only archived sessions with archived=true, and all with archived=all', async () => {
      expect((await list('?archived=true')).names).toEqual(['the middle chat']);
      const all = await list('?archived=all');
      expect(all.names).toEqual(['the oldest chat', 'the newest chat', 'the middle chat']);
      expect(all.total).toBe('3');
      expect((await list('?archived=false')).names).toEqual(['the oldest chat', 'the newest chat']);
    });

    it('should filter on a tag (normalized like the stored ones) and on pinned', async () => {
      expect((await list('?tag=WORK')).names).toEqual(['the oldest chat']);
      expect((await list('?tag=work&archived=all')).names).toEqual(['the oldest chat', 'the middle chat']);
      expect((await list('?tag=nothing')).total).toBe('0');
      expect((await list('?pinned=true')).names).toEqual(['the oldest chat']);
      expect((await list('?pinned=false&archived=all')).names).toEqual(['the newest chat', 'the middle chat']);
    });

    it('should page over the pinned-first order', async () => {
      expect((await list('?limit=1&offset=1')).names).toEqual(['the newest chat']);
      expect((await list('?limit=1&offset=0&archived=all')).names).toEqual(['the oldest chat']);
    });

    it('should refuse bad filter values with 400', async () => {
      for (const query of ['?archived=maybe', '?pinned=1', `?tag=${'x'.repeat(33)}`, '?tag=']) {
        const res = await t.http().get(`/api/session_names/${query}`);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
      }
    });
  });

  it('should list exactly as before for a client that organises nothing', async () => {
    const { names, body } = await list();
    expect(names).toEqual(['the newest chat', 'the middle chat', 'the oldest chat']);
    expect(body.every((s: { pinned: boolean; archived: boolean; tags: string[] }) => !s.pinned && !s.archived && s.tags.length === 0)).toBe(true);
  });

  it('should drop the tags of a deleted session', async () => {
    const id = (await say(t, 'to be deleted')).session_id;
    await patch(id, { tags: ['gone'] }).expect(200);
    await t.http().delete(`/api/sessions/${id}`).expect(204);
    expect((await list('?tag=gone')).total).toBe('0');
  });
});
