import { randomUUID } from 'node:crypto';
import { toDbTime } from '../../src/database/db-time';
import { Sql } from '../../src/database/sql';
import { ConversationMemory } from '../../src/memory/domain/conversation-memory';
import { ActivityCounters } from '../../src/sessions/adapters/activity-counters';
import { JWT_ENV, register, sayAs } from '../support/auth-helpers';
import { say } from '../support/http-helpers';
import { ManualClock } from '../support/manual-clock';
import { createTestApp, TestApp } from '../support/test-app';

interface BulkReply {
  matched: number;
  affected: number;
  sample: { session_id: string; chat_name: string }[];
}

const DAY = 86_400_000;

/** POST /api/sessions/bulk (issue 13, "Bulk actions with a dry run"). */
describe('POST /api/sessions/bulk', () => {
  const clock = new ManualClock(new Date('2026-11-01T10:00:00.000Z'));
  let t: TestApp;
  const ids: Record<string, string> = {};

  const bulk = (body: object) => t.http().post('/api/sessions/bulk').send(body);
  const ok = async (body: object) => (await bulk(body).expect(200)).body as BulkReply;
  const names = async (query = '?archived=all') =>
    ((await t.http().get(`/api/session_names/${query}`).expect(200)).body as { chat_name: string }[]).map((s) => s.chat_name).sort();
  const session = async (id: string) => (await t.http().get(`/api/sessions/${id}`).expect(200)).body as { archived: boolean; tags: string[] };

  beforeAll(async () => {
    t = await createTestApp({ clock });
    // Two old chats (created 2026-11-01), three recent ones (ten days later).
    for (const name of ['old apple pie', 'old garden']) ids[name] = (await say(t, name)).session_id;
    clock.advance(10 * DAY);
    for (const name of ['work report', 'work budget', 'holiday plans']) ids[name] = (await say(t, name)).session_id;
    await say(t, 'and bake an apple crumble for the team', ids['work budget']);
    for (const name of ['work report', 'work budget']) await t.http().patch(`/api/sessions/${ids[name]}`).send({ tags: ['Work'] }).expect(200);
  }, 30_000);
  afterAll(() => t.dispose());

  it('should archive what a filter matches, the dry run first counting exactly what the real run then changes', async () => {
    const dry = await ok({ filter: { tag: ' WORK ' }, action: 'archive', dry_run: true });
    expect(dry.matched).toBe(2);
    expect(dry.affected).toBe(2);
    expect(dry.sample.map((s) => s.chat_name).sort()).toEqual(['work budget', 'work report']);
    expect(dry.sample[0]).toEqual({ session_id: expect.any(String), chat_name: expect.any(String) });
    expect(await names('')).toContain('work report');

    const real = await ok({ filter: { tag: 'work' }, action: 'archive' });
    expect(real).toEqual(dry);
    expect(await names('')).not.toContain('work report');
    expect(await names('?archived=true')).toEqual(['work budget', 'work report']);
    // Already archived: matched, not affected.
    expect(await ok({ filter: { tag: 'work' }, action: 'archive' })).toEqual({ matched: 2, affected: 0, sample: [] });
  });

  it('should unarchive, and filter by archived and pinned', async () => {
    await t.http().patch(`/api/sessions/${ids['work report']}`).send({ pinned: true }).expect(200);
    const dry = await ok({ filter: { archived: true, pinned: true }, action: 'unarchive', dry_run: true });
    expect(dry).toEqual({ matched: 1, affected: 1, sample: [{ session_id: ids['work report'], chat_name: 'work report' }] });
    expect(await ok({ filter: { archived: true, pinned: true }, action: 'unarchive' })).toEqual(dry);
    expect((await session(ids['work report'])).archived).toBe(false);
    expect((await session(ids['work budget'])).archived).toBe(true);
    expect(await ok({ filter: { archived: true }, action: 'unarchive' })).toMatchObject({ matched: 1, affected: 1 });
    expect(await names('?archived=true')).toEqual([]);
  });

  it('should tag the sessions q finds, as q finds them on /api/session_names (names and message words)', async () => {
    const listed = ((await t.http().get('/api/session_names/?q=apple&archived=all').expect(200)).body as { session_id: string }[]).map((s) => s.session_id).sort();
    expect(listed).toEqual([ids['old apple pie'], ids['work budget']].sort());
    const dry = await ok({ filter: { q: 'apple' }, action: 'tag', tag: ' Baking ', dry_run: true });
    expect(dry.sample.map((s) => s.session_id).sort()).toEqual(listed);
    expect(await ok({ filter: { q: 'apple' }, action: 'tag', tag: 'baking' })).toEqual(dry);
    expect((await session(ids['work budget'])).tags).toEqual(['baking', 'work']);
    expect((await session(ids['old apple pie'])).tags).toEqual(['baking']);
    // Tagged already: matched, not affected.
    expect(await ok({ filter: { q: 'apple' }, action: 'tag', tag: 'baking' })).toMatchObject({ matched: 2, affected: 0 });
  });

  it('should act on the sessions a person selected, by id, within the filter', async () => {
    const chosen = [ids['holiday plans'], ids['work report'].toUpperCase(), randomUUID()];
    const dry = await ok({ filter: { session_ids: chosen }, action: 'tag', tag: 'picked', dry_run: true });
    expect(dry).toMatchObject({ matched: 2, affected: 2 });
    expect(await ok({ filter: { session_ids: chosen, pinned: true }, action: 'tag', tag: 'picked', dry_run: true })).toMatchObject({ matched: 1, affected: 1 });
    expect(await ok({ filter: { session_ids: chosen }, action: 'tag', tag: 'picked' })).toEqual(dry);
    expect(await ok({ filter: { session_ids: chosen }, action: 'untag', tag: 'picked' })).toMatchObject({ matched: 2, affected: 2 });
  });

  it('should make an ETag read before a bulk change stale', async () => {
    const before = await t.http().get(`/api/sessions/${ids['holiday plans']}`).expect(200);
    await ok({ filter: { q: 'holiday' }, action: 'tag', tag: 'travel' });
    await t.http().patch(`/api/sessions/${ids['holiday plans']}`).set('If-Match', before.headers.etag).send({ pinned: true }).expect(412);
  });

  it('should untag, and leave a session at the 20-tag limit out of a tag action', async () => {
    const full = Array.from({ length: 20 }, (_, i) => `t${i}`);
    await t.http().patch(`/api/sessions/${ids['old garden']}`).send({ tags: full }).expect(200);
    expect(await ok({ filter: { created_before: '2026-11-02' }, action: 'tag', tag: 'old', dry_run: true })).toMatchObject({ matched: 2, affected: 1 });
    expect(await ok({ filter: { created_before: '2026-11-02' }, action: 'tag', tag: 'old' })).toMatchObject({ matched: 2, affected: 1 });
    expect((await session(ids['old garden'])).tags).toEqual([...full].sort());

    expect(await ok({ filter: { tag: 'baking' }, action: 'untag', tag: 'baking', dry_run: true })).toMatchObject({ matched: 2, affected: 2 });
    expect(await ok({ filter: { tag: 'baking' }, action: 'untag', tag: 'baking' })).toMatchObject({ matched: 2, affected: 2 });
    expect((await session(ids['work budget'])).tags).toEqual(['work']);
    expect(await ok({ filter: { tag: 'baking' }, action: 'untag', tag: 'baking' })).toEqual({ matched: 0, affected: 0, sample: [] });
  });

  it('should refuse bad input with 400 and a detail, changing nothing', async () => {
    const before = await names();
    const bad: object[] = [
      {},
      { action: 'archive' },
      { filter: 'work', action: 'archive' },
      { filter: { tag: 'work' } },
      { filter: { tag: 'work' }, action: 'explode' },
      { filter: { tag: 'work' }, action: 'tag' },
      { filter: { tag: 'work' }, action: 'untag' },
      { filter: { tag: 'work' }, action: 'archive', tag: 'x' },
      { filter: { tag: 'work' }, action: 'tag', tag: 'no,commas' },
      { filter: { tag: 'work' }, action: 'tag', tag: 'x'.repeat(33) },
      { filter: { tag: '' }, action: 'archive' },
      { filter: { tag: 'work' }, action: 'archive', dry_run: 'yes' },
      { filter: { archived: 'true' }, action: 'archive' },
      { filter: { pinned: 1 }, action: 'archive' },
      { filter: { idle_days: -1 }, action: 'delete' },
      { filter: { idle_days: 1.5 }, action: 'delete' },
      { filter: { idle_days: '3' }, action: 'delete' },
      { filter: { created_before: 'yesterday' }, action: 'delete' },
      { filter: { tag: null }, action: 'archive' },
      { filter: { owner_id: 'x' }, action: 'delete' },
      { filter: { tag: 'work' }, action: 'archive', limit: 5 },
      { filter: { session_ids: [] }, action: 'archive' },
      { filter: { session_ids: ['not-a-uuid'] }, action: 'archive' },
      { filter: { session_ids: Array.from({ length: 1001 }, () => randomUUID()) }, action: 'archive' },
      // An empty filter means every session: only with match_all, which a filter excludes.
      { filter: {}, action: 'delete' },
      { filter: { q: '   ' }, action: 'delete' },
      { filter: {}, action: 'archive', dry_run: true },
      { filter: { tag: 'work' }, action: 'delete', match_all: true },
    ];
    for (const body of bad) {
      const res = await bulk(body);
      expect({ body, status: res.status, detail: typeof res.body.detail }).toEqual({ body, status: 400, detail: 'string' });
    }
    expect(await names()).toEqual(before);
  });

  it('should act on every session with match_all and an empty filter', async () => {
    const all = await ok({ filter: {}, match_all: true, action: 'archive', dry_run: true });
    expect(all.matched).toBe(5);
    expect(await ok({ filter: {}, match_all: true, action: 'archive' })).toEqual(all);
    expect(await names('')).toEqual([]);
    expect(await ok({ filter: {}, match_all: true, action: 'unarchive' })).toMatchObject({ matched: 5, affected: 5 });
  });

  it('should delete idle sessions with all they own: messages, shares, tags, window and counters', async () => {
    const old = ids['old apple pie'];
    // A turn back then, so that its memory window is held now.
    const now = clock.now();
    clock.set('2026-11-01T10:05:00.000Z');
    await say(t, 'one more old question', old);
    clock.set(now);
    const share = (await t.http().post(`/api/sessions/${old}/share`).expect(201)).body as { url: string };
    const stats = async () => (await t.http().get('/api/session_stats/').expect(200)).body.stats as { total_sessions: number; total_messages: number };
    const before = await stats();
    const memory = t.app.get(ConversationMemory, { strict: false });
    expect(await memory.recentTurns(old, 10)).toBeDefined();

    const dry = await ok({ filter: { idle_days: 5 }, action: 'delete', dry_run: true });
    expect(dry).toMatchObject({ matched: 2, affected: 2 });
    expect(dry.sample.map((s) => s.session_id).sort()).toEqual([old, ids['old garden']].sort());
    expect(await ok({ filter: { idle_days: 5 }, action: 'delete' })).toEqual(dry);

    await t.http().get(`/api/sessions/${old}`).expect(404);
    await t.http().post('/api/get_history/').send({ session_id: old }).expect(404);
    await t.http().get(share.url).expect(404);
    expect(await memory.recentTurns(old, 10)).toBeUndefined();
    expect((await t.http().get('/api/search?q=apple').expect(200)).body.map((r: { session_id: string }) => r.session_id)).not.toContain(old);
    const after = await stats();
    expect(after.total_sessions).toBe(before.total_sessions - 2);
    expect(after.total_messages).toBe(before.total_messages - 6);
    // The id is free again, with no tags left behind.
    await say(t, 'a new chat with an old id', ids['old garden']);
    expect((await session(ids['old garden'])).tags).toEqual([]);
    expect(await ok({ filter: { idle_days: 5 }, action: 'delete', dry_run: true })).toEqual({ matched: 0, affected: 0, sample: [] });
  });
});

describe('POST /api/sessions/bulk with accounts', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: JWT_ENV });
  });
  afterAll(() => t.dispose());

  it('should act on the caller\'s sessions only, and on everyone\'s for an admin with all_users', async () => {
    const admin = await register(t, 'boss');
    const a = await register(t, 'alice');
    const b = await register(t, 'bob');
    const aIds = [await sayAs(t, a, 'alice one'), await sayAs(t, a, 'alice two')];
    const bIds = [await sayAs(t, b, 'bob one')];
    await sayAs(t, admin, 'boss one');
    const as = (who: { auth: string }, body: object) => t.http().post('/api/sessions/bulk').set('Authorization', who.auth).send(body);

    const bDry = await as(b, { filter: {}, match_all: true, action: 'delete', dry_run: true }).expect(200);
    expect(bDry.body).toEqual({ matched: 1, affected: 1, sample: [{ session_id: bIds[0], chat_name: 'bob one' }] });
    expect((await as(b, { filter: {}, match_all: true, action: 'delete' }).expect(200)).body).toEqual(bDry.body);
    for (const id of aIds) await t.http().get(`/api/sessions/${id}`).set('Authorization', a.auth).expect(200);

    const refused = await as(a, { filter: {}, match_all: true, action: 'archive', all_users: true }).expect(403);
    expect(refused.body.detail).toEqual(expect.any(String));
    expect((await as(admin, { filter: {}, match_all: true, action: 'archive', dry_run: true }).expect(200)).body.matched).toBe(1);
    const everyone = await as(admin, { filter: { q: 'one' }, action: 'archive', all_users: true }).expect(200);
    expect(everyone.body).toMatchObject({ matched: 2, affected: 2 });
    expect((await t.http().get(`/api/sessions/${aIds[0]}`).set('Authorization', a.auth).expect(200)).body.archived).toBe(true);
    expect((await as(b, { filter: { session_ids: aIds }, action: 'delete', dry_run: true }).expect(200)).body).toEqual({ matched: 0, affected: 0, sample: [] });
    await t.http().post('/api/sessions/bulk').send({ filter: {}, match_all: true, action: 'delete' }).expect(401);
  });
});

describe('POST /api/sessions/bulk on 10,000 sessions', () => {
  const COUNT = 10_000;
  let t: TestApp;

  /** Writes `count` sessions of two messages each straight into the tables (and their counters), owned by `ownerId`. */
  async function seed(count: number, ownerId: string | null, at: Date): Promise<void> {
    const sql = t.app.get(Sql);
    const when = toDbTime(at);
    for (let done = 0; done < count; done += 250) {
      const n = Math.min(250, count - done);
      const rows = Array.from({ length: n }, (_, i) => ({ id: randomUUID(), name: `bulk chat ${done + i}` }));
      await sql.transaction(async (tx) => {
        await tx.run(
          `INSERT INTO chat_sessions (session_id, chat_name, created_at, last_activity, message_count, owner_id) VALUES ${rows.map(() => '(?, ?, ?, ?, 2, ?)').join(', ')}`,
          rows.flatMap((r) => [r.id, r.name, when, when, ownerId]),
        );
        await tx.run(
          `INSERT INTO chat_messages (session_id, sender, content, "timestamp") VALUES ${rows.map(() => "(?, 'Human', ?, ?), (?, 'AI', 'noted', ?)").join(', ')}`,
          rows.flatMap((r) => [r.id, `remember ${r.name}`, when, r.id, when]),
        );
        const counters = new ActivityCounters();
        for (let i = 0; i < n; i++) counters.sessionCreated(at).messageWritten(at, 2);
        await counters.apply(tx, 0);
      });
    }
  }

  beforeAll(async () => {
    t = await createTestApp();
    const keep = await say(t, 'a chat that stays');
    const owner = await t.app.get(Sql).get<{ owner_id: string | null }>('SELECT owner_id FROM chat_sessions WHERE session_id = ?', [keep.session_id]);
    await seed(COUNT, owner?.owner_id ?? null, new Date(Date.now() - 40 * DAY));
  }, 120_000);
  afterAll(() => t.dispose());

  it('should delete them in batches, as many as the dry run said, while the service keeps answering', async () => {
    const dry = (await t.http().post('/api/sessions/bulk').send({ filter: { idle_days: 30 }, action: 'delete', dry_run: true }).expect(200)).body as BulkReply;
    expect(dry).toMatchObject({ matched: COUNT, affected: COUNT });
    expect(dry.sample).toHaveLength(20);

    let finished = false;
    const probes: { status: number; ms: number; during: boolean }[] = [];
    const probe = async () => {
      while (!finished) {
        const started = Date.now();
        const res = await t.http().get('/api/health/live');
        probes.push({ status: res.status, ms: Date.now() - started, during: !finished });
      }
    };
    const running = probe();
    const real = await t.http().post('/api/sessions/bulk').send({ filter: { idle_days: 30 }, action: 'delete' }).timeout(60_000);
    finished = true;
    await running;

    expect(real.status).toBe(200);
    expect(real.body).toEqual(dry);
    const during = probes.filter((p) => p.during);
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(during.every((p) => p.status === 200)).toBe(true);
    expect(Math.max(...during.map((p) => p.ms))).toBeLessThan(1_500);

    const left = await t.http().get('/api/session_names/?archived=all').expect(200);
    expect(left.body.map((s: { chat_name: string }) => s.chat_name)).toEqual(['a chat that stays']);
    const stats = (await t.http().get('/api/session_stats/').expect(200)).body.stats;
    expect(stats).toMatchObject({ total_sessions: 1, total_messages: 2 });
  }, 120_000);
});
