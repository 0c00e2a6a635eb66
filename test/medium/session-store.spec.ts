import { DataSource } from 'typeorm';
import { SqlActivityReader } from '../../src/analytics/adapters/sql-activity-reader';
import { openDataSource } from '../../src/database/open-data-source';
import { Sql } from '../../src/database/sql';
import { sqlFor } from '../../src/database/sql-for';
import { SqlSessionOrganiser } from '../../src/sessions/adapters/sql-session-organiser';
import { SqlSessionStore } from '../../src/sessions/adapters/sql-session-store';
import { SqlSessionSettingsStore } from '../../src/settings/adapters/sql-session-settings-store';
import { AfinnSentimentScorer } from '../../src/sentiment/adapters/afinn-sentiment-scorer';
import { EVERYONE, ownedBy } from '../../src/sessions/domain/session';
import { externalServices, ScratchDatabase, scratchPostgres, scratchSqlite } from '../support/databases';
import { INJECTED_FAILURE, refuseWrites } from '../support/failing-writes';

const { postgres } = externalServices();
if (!postgres) console.warn('TEST_POSTGRES_URL is not set: the PostgreSQL half of the store tests is skipped.');

const dialects: [string, () => Promise<ScratchDatabase>][] = [['sqlite', async () => scratchSqlite()]];
if (postgres) dialects.push(['postgres', () => scratchPostgres(postgres)]);

const at = (iso: string) => new Date(iso);

describe.each(dialects)('%s: SqlSessionStore and SqlActivityReader', (_dialect, scratch) => {
  let db: ScratchDatabase;
  let dataSource: DataSource;
  let sql: Sql;
  let store: SqlSessionStore;
  let activity: SqlActivityReader;

  beforeEach(async () => {
    db = await scratch();
    dataSource = await openDataSource(db.settings);
    sql = sqlFor(dataSource);
    store = new SqlSessionStore(sql, new AfinnSentimentScorer());
    activity = new SqlActivityReader(sql);
  });
  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await db.drop();
  });

  it('should create the tables and indexes by migration', async () => {
    const names =
      sql.dialect === 'postgres'
        ? await sql.all<{ name: string }>("SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public'")
        : await sql.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index'");
    expect(names.map((n) => n.name)).toEqual(expect.arrayContaining(['idx_chat_sessions_last_activity', 'idx_chat_messages_session_id']));
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('should store a turn, keep counters equal to the rows and read it back', async () => {
    const started = (await store.startTurn(EVERYONE, 's1', 'Hello ✨ \'quoted\' "double" <b>', 'Hello', at('2026-11-24T10:00:00.000Z')))!;
    expect(started.session).toEqual({ sessionId: 's1', chatName: 'Hello', createdAt: at('2026-11-24T10:00:00.000Z'), lastActivity: at('2026-11-24T10:00:00.000Z'), messageCount: 1 });
    const answer = await store.appendMessage(EVERYONE, 's1', 'AI', 'Hi', at('2026-11-24T10:00:01.000Z'));
    expect(answer!.id).toBeGreaterThan(started.message.id);
    expect(await store.appendMessage(EVERYONE, 'missing', 'AI', 'x', at('2026-11-24T10:00:01.000Z'))).toBeNull();
    const session = await store.findSession(EVERYONE, 's1');
    expect(session).toMatchObject({ messageCount: 2, lastActivity: at('2026-11-24T10:00:01.000Z') });
    const page = await store.messagePage(EVERYONE, 's1', {});
    expect(page.messages.map((m) => [m.sender, m.content])).toEqual([['Human', 'Hello ✨ \'quoted\' "double" <b>'], ['AI', 'Hi']]);
    expect(page.messages[0].timestamp).toEqual(at('2026-11-24T10:00:00.000Z'));
    expect(await activity.totals(EVERYONE, at('2026-11-24T00:00:00.000Z'))).toEqual({ sessions: 1, messages: 2, sessionsActiveSince: 1 });
    const since = await activity.activitySince(EVERYONE, at('2026-11-01T00:00:00.000Z'));
    expect(since.messagesByHourOfDay[10]).toBe(2);
    expect(since.messagesByHourOfDay.reduce((a, b) => a + b, 0)).toBe(2);
    expect(since.byDay).toEqual([{ day: Date.parse('2026-11-24') / 86_400_000, sessions: 1, messages: 2 }]);
  });

  it('should page messages newest first by keyset and say whether more remain', async () => {
    for (let i = 1; i <= 5; i++) await store.startTurn(EVERYONE, 's', `m${i}`, 'n', at(`2026-11-24T10:00:0${i}.000Z`));
    const last2 = await store.messagePage(EVERYONE, 's', { limit: 2 });
    expect(last2.messages.map((m) => m.content)).toEqual(['m4', 'm5']);
    expect(last2.hasMore).toBe(true);
    const before = await store.messagePage(EVERYONE, 's', { limit: 5, beforeId: last2.messages[0].id });
    expect(before.messages.map((m) => m.content)).toEqual(['m1', 'm2', 'm3']);
    expect(before.hasMore).toBe(false);
    expect((await store.recentMessages(EVERYONE, 's', 2)).map((m) => m.content)).toEqual(['m4', 'm5']);
  });

  it('should page messages by cursor both ways, find one by id and delete one with its counters, within the owner', async () => {
    await store.startTurn(ownedBy('ann'), 's1', 'one', 'one', at('2026-11-24T10:00:00.000Z'));
    const ids: number[] = [];
    for (const [i, text] of ['two', 'three', 'four', 'five'].entries()) {
      ids.push((await store.appendMessage(ownedBy('ann'), 's1', i % 2 === 0 ? 'AI' : 'Human', text, at(`2026-11-24T1${i + 1}:00:00.000Z`)))!.id);
    }
    const asc = await store.messagesFrom(ownedBy('ann'), 's1', { limit: 2, order: 'asc' });
    expect(asc.messages.map((m) => m.content)).toEqual(['one', 'two']);
    expect(asc.hasMore).toBe(true);
    const next = await store.messagesFrom(ownedBy('ann'), 's1', { limit: 5, order: 'asc', after: asc.messages[1].id });
    expect(next).toEqual({ messages: expect.any(Array), hasMore: false });
    expect(next.messages.map((m) => m.content)).toEqual(['three', 'four', 'five']);
    const desc = await store.messagesFrom(ownedBy('ann'), 's1', { limit: 2, order: 'desc', after: ids[3] });
    expect(desc.messages.map((m) => m.content)).toEqual(['four', 'three']);
    expect(await store.messagesFrom(ownedBy('bob'), 's1', { limit: 5, order: 'asc' })).toEqual({ messages: [], hasMore: false });

    expect(await store.findMessage(ownedBy('ann'), ids[1])).toMatchObject({ sessionId: 's1', sender: 'Human', content: 'three' });
    expect(await store.findMessage(ownedBy('bob'), ids[1])).toBeNull();
    expect(await store.deleteMessage(ownedBy('bob'), 's1', ids[1])).toBe(false);
    expect(await store.deleteMessage(ownedBy('ann'), 'other', ids[1])).toBe(false);
    expect(await store.deleteMessage(ownedBy('ann'), 's1', ids[1])).toBe(true);
    expect(await store.deleteMessage(ownedBy('ann'), 's1', ids[1])).toBe(false);
    expect(await store.findSession(EVERYONE, 's1')).toMatchObject({ messageCount: 4 });
    expect(await activity.totals(EVERYONE, at('2026-11-24T00:00:00.000Z'))).toMatchObject({ sessions: 1, messages: 4 });
    const since = await activity.activitySince(EVERYONE, at('2026-11-01T00:00:00.000Z'));
    // 'three' was written at 12:00: its hour loses it.
    expect(since.messagesByHourOfDay[12]).toBe(0);
    expect(since.messagesByHourOfDay[11]).toBe(1);
  });

  it('should list by last activity, search names and contents without case, and count matches', async () => {
    await store.startTurn(EVERYONE, 'a', 'Grüße aus Köln', 'Grüße aus Köln', at('2026-11-20T10:00:00.000Z'));
    await store.startTurn(EVERYONE, 'b', 'plain', 'plain', at('2026-11-22T10:00:00.000Z'));
    await store.appendMessage(EVERYONE, 'b', 'AI', 'mentions KÖLN too', at('2026-11-22T10:00:01.000Z'));
    await store.startTurn(EVERYONE, 'c', '100%_done', '100%_done', at('2026-11-21T10:00:00.000Z'));
    const all = await store.listSessions(EVERYONE, { limit: 10, offset: 0 });
    expect(all.sessions.map((s) => s.sessionId)).toEqual(['b', 'c', 'a']);
    expect(all.total).toBe(3);
    const köln = await store.listSessions(EVERYONE, { limit: 10, offset: 0, text: 'köln' });
    expect(köln.sessions.map((s) => s.sessionId)).toEqual(['b', 'a']);
    expect(köln.total).toBe(2);
    expect((await store.listSessions(EVERYONE, { limit: 10, offset: 0, text: '%_' })).sessions.map((s) => s.sessionId)).toEqual(['c']);
    const ranged = await store.listSessions(EVERYONE, { limit: 1, offset: 0, since: at('2026-11-21T00:00:00.000Z'), until: at('2026-11-23T00:00:00.000Z') });
    expect(ranged).toMatchObject({ total: 2, sessions: [expect.objectContaining({ sessionId: 'b' })] });
  });

  it('should list every session without a limit, and skip an offset with or without one', async () => {
    for (let i = 0; i < 5; i++) await store.startTurn(EVERYONE, `s${i}`, 'x', 'x', at(`2026-11-2${i}T10:00:00.000Z`));
    const ids = async (query: { limit?: number; offset: number }) => (await store.listSessions(EVERYONE, query)).sessions.map((s) => s.sessionId);
    expect(await ids({ offset: 0 })).toEqual(['s4', 's3', 's2', 's1', 's0']);
    expect(await ids({ offset: 3 })).toEqual(['s1', 's0']);
    expect(await ids({ limit: 2, offset: 1 })).toEqual(['s3', 's2']);
    expect(await ids({ limit: 1000, offset: 2_147_483_647 })).toEqual([]);
  });

  it('should clear, delete and prune with their messages and take them off the counters', async () => {
    await store.startTurn(EVERYONE, 'keep', 'k', 'k', at('2026-11-24T10:00:00.000Z'));
    await store.startTurn(EVERYONE, 'clear', 'c', 'c', at('2026-11-24T10:00:00.000Z'));
    await store.appendMessage(EVERYONE, 'clear', 'AI', 'c2', at('2026-11-24T11:00:00.000Z'));
    for (let i = 0; i < 4; i++) await store.startTurn(EVERYONE, `old${i}`, 'o', 'o', at('2026-10-01T10:00:00.000Z'));
    expect(await store.clearMessages(EVERYONE, 'clear')).toBe(2);
    expect(await store.clearMessages(EVERYONE, 'nope')).toBeNull();
    expect(await store.findSession(EVERYONE, 'clear')).toMatchObject({ messageCount: 0, chatName: 'c' });
    expect(await store.deleteSession(EVERYONE, 'keep')).toBe(true);
    expect(await store.deleteSession(EVERYONE, 'keep')).toBe(false);
    expect(await store.countIdleSince(EVERYONE, at('2026-11-01T00:00:00.000Z'))).toBe(4);
    expect(await store.pruneIdleSince(EVERYONE, at('2026-11-01T00:00:00.000Z'), 3)).toHaveLength(3);
    expect(await store.pruneIdleSince(EVERYONE, at('2026-11-01T00:00:00.000Z'), 3)).toHaveLength(1);
    expect(await store.pruneIdleSince(EVERYONE, at('2026-11-01T00:00:00.000Z'), 3)).toHaveLength(0);
    expect(await activity.totals(EVERYONE, at('2026-01-01T00:00:00.000Z'))).toEqual({ sessions: 1, messages: 0, sessionsActiveSince: 1 });
    const left = await activity.activitySince(EVERYONE, at('2026-09-01T00:00:00.000Z'));
    expect(left.messagesByHourOfDay).toEqual(new Array(24).fill(0));
    expect(left.byDay.filter((d) => d.messages !== 0 || d.sessions !== 0)).toEqual([{ day: Date.parse('2026-11-24') / 86_400_000, sessions: 1, messages: 0 }]);
    const rows = await sql.get<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM chat_messages');
    expect(Number(rows!.n)).toBe(0);
  });

  it('should import a session with its own times, counting its messages in the hours they were written', async () => {
    const messages = [
      { sender: 'Human' as const, content: 'Bonjour, 東京', timestamp: at('2025-02-01T08:30:00.000Z') },
      { sender: 'AI' as const, content: 'Salut', timestamp: at('2025-02-01T09:15:00.000Z') },
    ];
    const session = await store.importSession(EVERYONE, { sessionId: 'imp', chatName: 'Imported', createdAt: at('2025-02-01T08:00:00.000Z'), messages });
    expect(session).toEqual({ sessionId: 'imp', chatName: 'Imported', createdAt: at('2025-02-01T08:00:00.000Z'), lastActivity: at('2025-02-01T09:15:00.000Z'), messageCount: 2 });
    expect(await store.findSession(EVERYONE, 'imp')).toEqual(session);
    expect((await store.messagePage(EVERYONE, 'imp', {})).messages.map((m) => [m.sender, m.content, m.timestamp])).toEqual(messages.map((m) => [m.sender, m.content, m.timestamp]));
    expect(await activity.totals(EVERYONE, at('2025-01-01T00:00:00.000Z'))).toEqual({ sessions: 1, messages: 2, sessionsActiveSince: 1 });
    const since = await activity.activitySince(EVERYONE, at('2025-02-01T00:00:00.000Z'));
    expect([since.messagesByHourOfDay[8], since.messagesByHourOfDay[9]]).toEqual([1, 1]);
    // Deleting it takes back exactly what the import counted.
    await store.deleteSession(EVERYONE, 'imp');
    expect(await activity.totals(EVERYONE, at('2025-01-01T00:00:00.000Z'))).toEqual({ sessions: 0, messages: 0, sessionsActiveSince: 0 });
  });

  it('should leave nothing behind when an import fails halfway, nor when its id is taken', async () => {
    const bad = [
      { sender: 'Human' as const, content: 'first', timestamp: at('2025-02-01T08:30:00.000Z') },
      { sender: 'AI' as const, content: 'second', timestamp: new Date(NaN) },
    ];
    await expect(store.importSession(EVERYONE, { sessionId: 'half', chatName: 'Half', createdAt: at('2025-02-01T08:00:00.000Z'), messages: bad })).rejects.toThrow();
    expect(await store.findSession(EVERYONE, 'half')).toBeNull();
    expect(await sql.get('SELECT 1 AS found FROM chat_messages WHERE session_id = ?', ['half'])).toBeUndefined();
    expect(await activity.totals(EVERYONE, at('2025-01-01T00:00:00.000Z'))).toEqual({ sessions: 0, messages: 0, sessionsActiveSince: 0 });
    await store.startTurn(EVERYONE, 'taken', 'mine', 'Mine', at('2025-02-01T08:00:00.000Z'));
    // Matched by message, not with toThrow: better-sqlite3's native part keeps the error class of the
    // first test file a Jest worker loaded it in, so in later files its errors fail `instanceof Error`.
    await expect(store.importSession(EVERYONE, { sessionId: 'taken', chatName: 'Theirs', createdAt: at('2025-02-01T08:00:00.000Z'), messages: [] })).rejects.toHaveProperty(
      'message',
      expect.stringMatching(/UNIQUE|duplicate key/i),
    );
    expect(await store.findSession(EVERYONE, 'taken')).toMatchObject({ chatName: 'Mine', messageCount: 1 });
  });

  it('should import a session with its settings, pins and tags in its one transaction, and leave nothing when that fails halfway', async () => {
    const settings = { systemPrompt: 'Be brief.', model: null, temperature: 0.25, memory: { strategy: 'tokens', maxHistory: 4, maxTokens: 2000 }, setAt: at('2026-12-01T12:00:00.000Z') };
    const organisation = { pinned: true, archived: true, tags: ['q3', 'work'] };
    const imported = (sessionId: string) => ({
      sessionId,
      chatName: sessionId,
      createdAt: at('2025-02-01T08:00:00.000Z'),
      messages: [{ sender: 'Human' as const, content: `first of ${sessionId}`, timestamp: at('2025-02-01T08:30:00.000Z') }],
      settings,
      organisation,
    });
    await store.importSession(ownedBy('ann'), imported('whole'));
    const { setAt: _setAt, ...own } = settings;
    expect(await new SqlSessionSettingsStore(sql).find('whole')).toEqual(own);
    expect(await new SqlSessionOrganiser(sql).find(ownedBy('ann'), 'whole')).toMatchObject(organisation);

    // The tags are written after the row, the messages and the settings: refused there, none of those may stay.
    await refuseWrites(sql, 'session_tags', 'INSERT');
    await expect(store.importSession(ownedBy('ann'), imported('half'))).rejects.toHaveProperty('message', expect.stringContaining(INJECTED_FAILURE));
    expect(await store.findSession(EVERYONE, 'half')).toBeNull();
    for (const table of ['chat_messages', 'session_settings', 'session_tags']) {
      expect(await sql.get(`SELECT 1 AS found FROM ${table} WHERE session_id = ?`, ['half'])).toBeUndefined();
    }
    expect(await activity.totals(EVERYONE, at('2025-01-01T00:00:00.000Z'))).toEqual({ sessions: 1, messages: 1, sessionsActiveSince: 1 });
  });

  it('should walk the sessions of one owner in id order, a page at a time', async () => {
    for (const id of ['c', 'a', 'd', 'b']) await store.importSession(ownedBy(id === 'd' ? 'other' : 'me'), { sessionId: id, chatName: id, createdAt: at('2025-02-01T08:00:00.000Z'), messages: [] });
    await new SqlSessionOrganiser(sql).change(ownedBy('me'), 'b', { pinned: true, tags: ['work', 'q3'] }, null);
    const ids = async (after: string | null) => (await store.sessionsAfter(ownedBy('me'), after, 2)).map((s) => s.sessionId);
    expect([await ids(null), await ids('b'), await ids('c')]).toEqual([['a', 'b'], ['c'], []]);
    expect((await store.sessionsAfter(EVERYONE, 'c', 10)).map((s) => s.sessionId)).toEqual(['d']);
    // Each with its organisation.
    expect(await store.sessionsAfter(ownedBy('me'), null, 2)).toEqual([
      expect.objectContaining({ sessionId: 'a', pinned: false, archived: false, tags: [] }),
      expect.objectContaining({ sessionId: 'b', pinned: true, archived: false, tags: ['q3', 'work'] }),
    ]);
  });

  it('should roll a failed transaction back whole', async () => {
    await store.startTurn(EVERYONE, 's', 'first', 'n', at('2026-11-24T10:00:00.000Z'));
    await expect(
      sql.transaction(async (tx) => {
        await tx.run('UPDATE chat_sessions SET message_count = 99 WHERE session_id = ?', ['s']);
        throw new Error('halfway');
      }),
    ).rejects.toThrow('halfway');
    expect(await store.findSession(EVERYONE, 's')).toMatchObject({ messageCount: 1 });
  });

  it('should commit concurrent transactions together yet roll back only the one that fails', async () => {
    await store.startTurn(EVERYONE, 's', 'first', 'n', at('2026-11-24T10:00:00.000Z'));
    const results = await Promise.allSettled([
      store.appendMessage(EVERYONE, 's', 'AI', 'before', at('2026-11-24T10:00:01.000Z')),
      sql.transaction(async (tx) => {
        await tx.run('UPDATE chat_sessions SET message_count = 99 WHERE session_id = ?', ['s']);
        await tx.run('INSERT INTO chat_messages (session_id, sender, content, "timestamp") VALUES (?, ?, ?, ?)', ['s', 'AI', 'lost', '2026-11-24T10:00:02.000Z']);
        throw new Error('halfway');
      }),
      store.appendMessage(EVERYONE, 's', 'AI', 'after', at('2026-11-24T10:00:03.000Z')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const page = await store.messagePage(EVERYONE, 's', {});
    expect(page.messages.map((m) => m.content)).toEqual(['first', 'before', 'after']);
    expect(await store.findSession(EVERYONE, 's')).toMatchObject({ messageCount: 3 });
  });

  it('should reject, not hang, every call once the connection is gone', async () => {
    await dataSource.destroy();
    await expect(store.startTurn(EVERYONE, 'x', 'hi', 'hi', at('2026-11-24T10:00:00.000Z'))).rejects.toThrow();
    await expect(sql.get('SELECT 1 AS ok')).rejects.toThrow();
    await expect(store.findSession(EVERYONE, 'x')).rejects.toThrow();
  });

  it('should keep 50 concurrent new sessions and 100 concurrent turns on one session consistent', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.startTurn(EVERYONE, `new${i}`, 'hi', 'hi', at('2026-11-24T10:00:00.000Z'))));
    await Promise.all(Array.from({ length: 100 }, (_, i) => store.appendMessage(EVERYONE, 'new0', i % 2 ? 'AI' : 'Human', `m${i}`, at('2026-11-24T10:00:01.000Z'))));
    expect((await store.listSessions(EVERYONE, { limit: 100, offset: 0 })).total).toBe(50);
    const counts = await sql.all<{ c: number; n: number }>(
      'SELECT message_count AS c, (SELECT CAST(COUNT(*) AS INTEGER) FROM chat_messages m WHERE m.session_id = s.session_id) AS n FROM chat_sessions s',
    );
    for (const { c, n } of counts) expect(Number(c)).toBe(Number(n));
    expect(await activity.totals(EVERYONE, at('2026-01-01T00:00:00.000Z'))).toMatchObject({ sessions: 50, messages: 150 });
    const hour = await activity.activitySince(EVERYONE, at('2026-11-24T00:00:00.000Z'));
    expect(hour.messagesByHourOfDay[10]).toBe(150);
    // PostgreSQL spreads concurrent writes over counter shards (no single hot row); SQLite keeps one.
    const shards = await sql.get<{ n: number }>('SELECT CAST(COUNT(DISTINCT shard) AS INTEGER) AS n FROM chat_activity');
    if (sql.dialect === 'postgres') expect(Number(shards!.n)).toBeGreaterThan(1);
    else expect(Number(shards!.n)).toBe(1);
  });

  it("should write concurrent turns of many sessions together, each with its own owner check, hour and result", async () => {
    const alice = ownedBy('alice');
    const bob = ownedBy('bob');
    await store.startTurn(bob, 'bobs', 'mine', 'mine', at('2026-11-24T09:00:00.000Z'));
    const statements = jest.spyOn(sql, 'all');
    // 30 new sessions across an hour boundary, plus Alice trying to write into Bob's session.
    const starts = await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => store.startTurn(alice, `a${i}`, `q${i}`, `q${i}`, at(i % 2 ? '2026-11-24T10:59:59.999Z' : '2026-11-24T11:00:00.000Z'))),
      store.startTurn(alice, 'bobs', 'not yours', 'x', at('2026-11-24T11:00:00.000Z')),
    ]);
    const answers = await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => store.appendMessage(alice, `a${i}`, 'AI', `r${i}`, at('2026-11-24T11:00:01.000Z'))),
      store.appendMessage(alice, 'bobs', 'AI', 'not yours', at('2026-11-24T11:00:01.000Z')),
    ]);
    expect(starts[30]).toBeNull();
    expect(answers[30]).toBeNull();
    starts.slice(0, 30).forEach((started, i) => {
      expect(started!.session).toMatchObject({ sessionId: `a${i}`, messageCount: 1 });
      expect(started!.message).toMatchObject({ sessionId: `a${i}`, sender: 'Human', content: `q${i}` });
      expect(answers[i]).toMatchObject({ sessionId: `a${i}`, sender: 'AI', content: `r${i}` });
      expect(answers[i]!.id).toBeGreaterThan(started!.message.id);
    });
    // PostgreSQL coalesces concurrent writes into a few statements; SQLite writes in-process, one by one.
    if (sql.dialect === 'postgres') expect(statements.mock.calls.length).toBeLessThan(30);
    statements.mockRestore();
    const history = await store.messagePage(alice, 'a7', {});
    expect(history.messages.map((m) => [m.sender, m.content])).toEqual([['Human', 'q7'], ['AI', 'r7']]);
    expect((await store.messagePage(bob, 'bobs', {})).messages.map((m) => m.content)).toEqual(['mine']);
    expect(await activity.totals(EVERYONE, at('2026-01-01T00:00:00.000Z'))).toMatchObject({ sessions: 31, messages: 61 });
    const byHour = (await activity.activitySince(EVERYONE, at('2026-11-24T00:00:00.000Z'))).messagesByHourOfDay;
    expect([byHour[9], byHour[10], byHour[11]]).toEqual([1, 15, 45]);
  });

  it('should fail only the write that cannot be stored when it shares a batch with others', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.startTurn(EVERYONE, `s${i}`, 'hi', 'hi', at('2026-11-24T10:00:00.000Z'))));
    // A NUL byte is refused at the HTTP edge; here it stands for any one write the database rejects.
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => store.appendMessage(EVERYONE, `s${i}`, 'AI', i === 4 ? 'bad \u0000 byte' : `ok${i}`, at('2026-11-24T10:00:01.000Z'))),
    );
    expect(results.map((r) => r.status)).toEqual(results.map((_, i) => (i === 4 && sql.dialect === 'postgres' ? 'rejected' : 'fulfilled')));
    const counts = await sql.all<{ c: number; n: number }>(
      'SELECT message_count AS c, (SELECT CAST(COUNT(*) AS INTEGER) FROM chat_messages m WHERE m.session_id = s.session_id) AS n FROM chat_sessions s',
    );
    for (const { c, n } of counts) expect(Number(c)).toBe(Number(n));
    const stored = results.filter((r) => r.status === 'fulfilled').length;
    expect(await activity.totals(EVERYONE, at('2026-01-01T00:00:00.000Z'))).toMatchObject({ sessions: 10, messages: 10 + stored });
  });
});
