import { DataSource } from 'typeorm';
import { openDataSource } from '../../src/database/open-data-source';
import { Sql } from '../../src/database/sql';
import { sqlFor } from '../../src/database/sql-for';
import { SqlSessionOrganiser } from '../../src/sessions/adapters/sql-session-organiser';
import { SqlSessionStore } from '../../src/sessions/adapters/sql-session-store';
import { AfinnSentimentScorer } from '../../src/sentiment/adapters/afinn-sentiment-scorer';
import { EVERYONE, ownedBy } from '../../src/sessions/domain/session';
import { externalServices, ScratchDatabase, scratchPostgres, scratchSqlite } from '../support/databases';

const { postgres } = externalServices();
if (!postgres) console.warn('TEST_POSTGRES_URL is not set: the PostgreSQL half of the organiser tests is skipped.');

const dialects: [string, () => Promise<ScratchDatabase>][] = [['sqlite', async () => scratchSqlite()]];
if (postgres) dialects.push(['postgres', () => scratchPostgres(postgres)]);

const at = (minute: number) => new Date(Date.UTC(2026, 10, 24, 10, minute));
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe.each(dialects)('%s: SqlSessionOrganiser and the organised listing', (_dialect, scratch) => {
  let db: ScratchDatabase;
  let dataSource: DataSource;
  let sql: Sql;
  let store: SqlSessionStore;
  let organiser: SqlSessionOrganiser;
  const ann = ownedBy(uuid(100));

  beforeAll(async () => {
    db = await scratch();
    dataSource = await openDataSource(db.settings);
    sql = sqlFor(dataSource);
    store = new SqlSessionStore(sql, new AfinnSentimentScorer());
    organiser = new SqlSessionOrganiser(sql);
  });
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });
  beforeEach(async () => {
    await sql.run('DELETE FROM session_tags');
    await sql.run('DELETE FROM chat_sessions');
    for (let n = 1; n <= 4; n++) await sql.run('INSERT INTO chat_sessions (session_id, chat_name, created_at, last_activity, message_count, owner_id) VALUES (?, ?, ?, ?, 0, ?)', [uuid(n), `chat ${n}`, at(0).toISOString(), at(n).toISOString(), n <= 2 ? ann.ownerId : null]);
    await sql.run('UPDATE chat_totals SET sessions = 4 WHERE id = 1');
  });

  const changed = async (...args: Parameters<SqlSessionOrganiser['change']>) => {
    const result = await organiser.change(...args);
    if (result.kind !== 'changed') throw new Error(`expected a change, got ${result.kind}`);
    return result.session;
  };

  it('should change the fields, replace the tags and bump the version in one step', async () => {
    const first = await changed(EVERYONE, uuid(1), { chatName: 'Renamed', pinned: true, tags: ['b', 'a'] }, null);
    expect(first).toMatchObject({ chatName: 'Renamed', pinned: true, archived: false, tags: ['a', 'b'], version: 1 });
    const second = await changed(EVERYONE, uuid(1), { archived: true, tags: ['c'] }, null);
    expect(second).toMatchObject({ chatName: 'Renamed', pinned: true, archived: true, tags: ['c'], version: 2 });
    expect(await organiser.find(EVERYONE, uuid(1))).toEqual(second);
  });

  it('should let exactly one of two concurrent changes made from the same version win', async () => {
    const { version, createdAt } = (await organiser.find(EVERYONE, uuid(1)))!;
    const results = await Promise.all(
      ['one', 'two', 'three'].map((name) => organiser.change(EVERYONE, uuid(1), { chatName: name, tags: [name] }, [{ version, createdAt }])),
    );
    expect(results.map((r) => r.kind).sort()).toEqual(['changed', 'stale', 'stale']);
    const winner = results.find((r) => r.kind === 'changed')!;
    const now = (await organiser.find(EVERYONE, uuid(1)))!;
    expect(winner).toEqual({ kind: 'changed', session: now });
    expect(now.tags).toEqual([now.chatName]);
  });

  it('should refuse a version of an earlier session with the same id', async () => {
    const { version } = (await organiser.find(EVERYONE, uuid(1)))!;
    expect(await organiser.change(EVERYONE, uuid(1), { pinned: true }, [{ version, createdAt: at(59) }])).toEqual({ kind: 'stale' });
  });

  it("should treat another owner's session as missing and change nothing", async () => {
    expect(await organiser.change(ann, uuid(3), { pinned: true, tags: ['x'] }, null)).toEqual({ kind: 'missing' });
    expect(await organiser.change(ann, uuid(3), { pinned: true }, [{ version: 0, createdAt: at(0) }])).toEqual({ kind: 'missing' });
    expect(await organiser.find(ann, uuid(3))).toBeNull();
    expect(await organiser.find(EVERYONE, uuid(3))).toMatchObject({ pinned: false, tags: [], version: 0 });
  });

  it('should list pinned first, hide archived ones, filter by tag and count without scanning when it can', async () => {
    await changed(EVERYONE, uuid(1), { pinned: true, tags: ['work'] }, null);
    await changed(EVERYONE, uuid(4), { archived: true, tags: ['work', 'old'] }, null);
    const ids = async (query: Parameters<SqlSessionStore['listSessions']>[1], scope = EVERYONE) => {
      const { sessions, total } = await store.listSessions(scope, query);
      return { ids: sessions.map((s) => Number(s.sessionId.slice(-3))), total };
    };
    expect(await ids({ offset: 0 })).toEqual({ ids: [1, 3, 2], total: 3 });
    expect(await ids({ offset: 0, archived: 'only' })).toEqual({ ids: [4], total: 1 });
    expect(await ids({ offset: 0, archived: 'include' })).toEqual({ ids: [1, 4, 3, 2], total: 4 });
    expect(await ids({ offset: 0, archived: 'include', tag: 'work' })).toEqual({ ids: [1, 4], total: 2 });
    expect(await ids({ offset: 0, pinned: false })).toEqual({ ids: [3, 2], total: 2 });
    expect(await ids({ offset: 0 }, ann)).toEqual({ ids: [1, 2], total: 2 });
    const listed = (await store.listSessions(EVERYONE, { offset: 0, archived: 'include' })).sessions;
    expect(listed.map((s) => s.tags)).toEqual([['work'], ['old', 'work'], [], []]);
  });

  it('should drop the tags with the session', async () => {
    await changed(EVERYONE, uuid(1), { tags: ['gone'] }, null);
    await store.deleteSession(EVERYONE, uuid(1));
    expect(await sql.all('SELECT tag FROM session_tags')).toEqual([]);
  });

  it('should read the default listing in index order, with and without an owner (SQLite plan)', async () => {
    if (sql.dialect !== 'sqlite') return;
    const plan = async (where: string, params: string[]) =>
      (await sql.all<{ detail: string }>(`EXPLAIN QUERY PLAN SELECT session_id FROM chat_sessions s WHERE ${where} ORDER BY pinned DESC, last_activity DESC, session_id DESC LIMIT 20`, params))
        .map((p) => p.detail)
        .join(' | ');
    const everyone = await plan('s.archived = 0', []);
    expect(everyone).toMatch(/INDEX idx_chat_sessions_listing/);
    expect(everyone).not.toContain('TEMP B-TREE');
    const owned = await plan('s.archived = 0 AND s.owner_id = ?', [ann.ownerId!]);
    expect(owned).toMatch(/INDEX idx_chat_sessions_owner_listing/);
    expect(owned).not.toContain('TEMP B-TREE');
  });
});
