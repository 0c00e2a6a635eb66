import { DataSource } from 'typeorm';
import { SqlActivityReader } from '../../src/analytics/adapters/sql-activity-reader';
import { SqlApiKeyStore } from '../../src/auth/adapters/sql-api-key-store';
import { SqlUserStore } from '../../src/auth/adapters/sql-user-store';
import { openDataSource } from '../../src/database/open-data-source';
import { Sql } from '../../src/database/sql';
import { sqlFor } from '../../src/database/sql-for';
import { SqlSessionStore } from '../../src/sessions/adapters/sql-session-store';
import { AfinnSentimentScorer } from '../../src/sentiment/adapters/afinn-sentiment-scorer';
import { EVERYONE, ownedBy } from '../../src/sessions/domain/session';
import { externalServices, ScratchDatabase, scratchPostgres, scratchSqlite } from '../support/databases';

const { postgres } = externalServices();
const dialects: [string, () => Promise<ScratchDatabase>][] = [['sqlite', async () => scratchSqlite()]];
if (postgres) dialects.push(['postgres', () => scratchPostgres(postgres)]);

const at = (iso: string) => new Date(iso);
const T0 = at('2026-11-24T10:00:00.000Z');
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe.each(dialects)('%s: accounts and ownership in SQL', (_dialect, scratch) => {
  let db: ScratchDatabase;
  let dataSource: DataSource;
  let sql: Sql;
  let users: SqlUserStore;
  let keys: SqlApiKeyStore;
  let sessions: SqlSessionStore;

  beforeEach(async () => {
    db = await scratch();
    dataSource = await openDataSource(db.settings);
    sql = sqlFor(dataSource);
    users = new SqlUserStore(sql);
    keys = new SqlApiKeyStore(sql);
    sessions = new SqlSessionStore(sql, new AfinnSentimentScorer());
  });
  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await db.drop();
  });

  it('should make the first user admin, refuse a taken name, page users and keep the last admin', async () => {
    const first = await users.create({ id: uuid(1), username: 'ann', passwordHash: 'h1', at: T0 });
    const second = await users.create({ id: uuid(2), username: 'ben', passwordHash: null, at: at('2026-11-24T10:00:01.000Z') });
    expect([first?.role, second?.role]).toEqual(['admin', 'user']);
    expect(await users.create({ id: uuid(3), username: 'ann', passwordHash: 'h', at: T0 })).toBeNull();
    expect(await users.findByUsername('ann')).toMatchObject({ id: uuid(1), passwordHash: 'h1', createdAt: T0 });
    expect(await users.findByUsername('nobody')).toBeNull();
    expect(await users.list(1, 1)).toEqual({ users: [expect.objectContaining({ username: 'ben' })], total: 2 });
    expect(await users.setRole(uuid(1), 'user')).toBe('last_admin');
    expect(await users.delete(uuid(1))).toBe('last_admin');
    expect(await users.setRole(uuid(2), 'admin')).toMatchObject({ role: 'admin' });
    expect(await users.setRole(uuid(1), 'user')).toMatchObject({ role: 'user' });
    expect(await users.firstAdmin()).toMatchObject({ id: uuid(2) });
    expect(await users.setRole(uuid(9), 'user')).toBeNull();
  });

  it('should make exactly one admin of 20 first registrations that race, and give every name once', async () => {
    const racing = Array.from({ length: 20 }, (_, i) => users.create({ id: uuid(100 + i), username: i % 10 === 0 ? 'twin' : `racer${i}`, passwordHash: 'h', at: T0 }));
    const created = (await Promise.all(racing)).filter((u) => u !== null);
    expect(created.filter((u) => u.role === 'admin')).toHaveLength(1);
    expect(created).toHaveLength(19);
    expect((await users.list(100, 0)).total).toBe(19);
  });

  it('should never leave no admin when two admins demote or delete each other at once', async () => {
    await users.create({ id: uuid(1), username: 'ann', passwordHash: 'h', at: T0 });
    await users.create({ id: uuid(2), username: 'ben', passwordHash: 'h', at: T0 });
    await users.setRole(uuid(2), 'admin');
    const outcomes = await Promise.all([users.setRole(uuid(1), 'user'), users.delete(uuid(2))]);
    expect(outcomes).toContain('last_admin');
    expect(await users.firstAdmin()).not.toBeNull();
  });

  it('should link an account to its single sign-on identity, one account per (issuer, subject)', async () => {
    const identity = { issuer: 'https://id.example.com', subject: 'abc' };
    const ann = await users.create({ id: uuid(1), username: 'ann', passwordHash: null, identity, at: T0 });
    expect(await users.findByIdentity(identity)).toEqual(ann);
    expect(await users.findByIdentity({ ...identity, issuer: 'https://other.example.com' })).toBeNull();
    expect(await users.findByIdentity({ ...identity, subject: 'abd' })).toBeNull();
    // The same identity again (a racing first sign-in) creates nothing, under any name.
    expect(await users.create({ id: uuid(2), username: 'ann-2', passwordHash: null, identity, at: T0 })).toBeNull();
    expect((await users.list(10, 0)).total).toBe(1);
    expect(await users.findByUsername('ann')).toMatchObject({ passwordHash: null });
    // Subjects are unique on their own too (the accounts migration's index): another issuer's same subject gets no account.
    expect(await users.create({ id: uuid(3), username: 'ann-3', passwordHash: null, identity: { ...identity, issuer: 'https://other.example.com' }, at: T0 })).toBeNull();
  });

  it('should find a key by its hash, touch its last use at most once per interval, and lose it with revocation or its user', async () => {
    await users.create({ id: uuid(1), username: 'ann', passwordHash: 'h', at: T0 });
    await users.create({ id: uuid(2), username: 'ben', passwordHash: 'h', at: T0 });
    await keys.create({ id: uuid(11), userId: uuid(2), name: 'ci', keyHash: 'a'.repeat(64), prefix: 'csk_abcd', at: T0 });
    expect(await keys.ownerOf('a'.repeat(64), at('2026-11-24T10:01:00.000Z'), 60_000)).toMatchObject({ id: uuid(2), username: 'ben' });
    await keys.ownerOf('a'.repeat(64), at('2026-11-24T10:01:30.000Z'), 60_000);
    expect((await keys.list(uuid(2)))[0].lastUsedAt).toEqual(at('2026-11-24T10:01:00.000Z'));
    await keys.ownerOf('a'.repeat(64), at('2026-11-24T10:02:00.000Z'), 60_000);
    expect((await keys.list(uuid(2)))[0].lastUsedAt).toEqual(at('2026-11-24T10:02:00.000Z'));
    expect(await keys.ownerOf('b'.repeat(64), T0, 60_000)).toBeNull();
    expect(await keys.revoke(uuid(1), uuid(11))).toBe(false);
    expect(await keys.list(uuid(1))).toEqual([]);
    await keys.create({ id: uuid(12), userId: uuid(2), name: 'laptop', keyHash: 'c'.repeat(64), prefix: 'csk_cdef', at: T0 });
    expect(await keys.revoke(uuid(2), uuid(11))).toBe(true);
    expect(await keys.ownerOf('a'.repeat(64), T0, 60_000)).toBeNull();
    expect(await users.delete(uuid(2))).toBe(true);
    expect(await keys.ownerOf('c'.repeat(64), T0, 60_000)).toBeNull();
  });

  it('should narrow every session query to the owner in SQL, and let EVERYONE see all', async () => {
    const ann = ownedBy(uuid(1));
    const ben = ownedBy(uuid(2));
    expect(await sessions.startTurn(ann, 's-ann', 'secret of ann', 'secret', T0)).not.toBeNull();
    await sessions.appendMessage(ann, 's-ann', 'AI', 'reply', T0);
    await sessions.startTurn(ben, 's-ben', 'hello from ben', 'hello', at('2026-11-24T11:00:00.000Z'));

    expect(await sessions.startTurn(ben, 's-ann', 'let me in', 'x', T0)).toBeNull();
    expect(await sessions.appendMessage(ben, 's-ann', 'AI', 'x', T0)).toBeNull();
    expect(await sessions.findSession(ben, 's-ann')).toBeNull();
    expect(await sessions.recentMessages(ben, 's-ann', 10)).toEqual([]);
    expect(await sessions.messagePage(ben, 's-ann', {})).toEqual({ messages: [], hasMore: false });
    expect(await sessions.messagePage(ben, 's-ann', { limit: 1 })).toEqual({ messages: [], hasMore: false });
    expect(await sessions.clearMessages(ben, 's-ann')).toBeNull();
    expect(await sessions.deleteSession(ben, 's-ann')).toBe(false);
    expect(await sessions.listSessions(ben, { limit: 10, offset: 0 })).toEqual({ sessions: [expect.objectContaining({ sessionId: 's-ben' })], total: 1 });
    expect((await sessions.listSessions(ben, { limit: 10, offset: 0, text: 'secret' })).total).toBe(0);
    const future = at('2027-01-01T00:00:00.000Z');
    expect(await sessions.countIdleSince(ben, future)).toBe(1);
    expect(await sessions.pruneIdleSince(ben, future, 10)).toEqual(['s-ben']);

    expect((await sessions.messagePage(ann, 's-ann', {})).messages.map((m) => m.content)).toEqual(['secret of ann', 'reply']);
    expect(await sessions.findSession(EVERYONE, 's-ann')).toMatchObject({ messageCount: 2 });
    expect((await sessions.listSessions(EVERYONE, { limit: 10, offset: 0 })).total).toBe(1);
    expect(await new SqlActivityReader(sql).totals(EVERYONE, T0)).toMatchObject({ sessions: 1, messages: 2 });
  });

  it('should give sessions without an owner to the adopter, and only those', async () => {
    await sessions.startTurn(EVERYONE, 'before-accounts', 'old', 'old', T0);
    await sessions.startTurn(ownedBy(uuid(2)), 'bens', 'b', 'b', T0);
    expect(await sessions.adoptUnowned(uuid(1))).toBe(1);
    expect(await sessions.findSession(ownedBy(uuid(1)), 'before-accounts')).not.toBeNull();
    expect(await sessions.findSession(ownedBy(uuid(1)), 'bens')).toBeNull();
    expect(await sessions.adoptUnowned(uuid(1))).toBe(0);
  });

  it("should list one owner's sessions through the index led by owner", async () => {
    const names =
      sql.dialect === 'postgres'
        ? await sql.all<{ name: string }>("SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public'")
        : await sql.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index'");
    expect(names.map((n) => n.name)).toContain('idx_chat_sessions_owner');
    if (sql.dialect !== 'sqlite') return;
    const plan = await sql.all<{ detail: string }>(
      'EXPLAIN QUERY PLAN SELECT session_id FROM chat_sessions s WHERE s.owner_id = ? ORDER BY last_activity DESC, session_id DESC LIMIT 20',
      [uuid(1)],
    );
    expect(plan.map((p) => p.detail).join(' | ')).toMatch(/USING (COVERING )?INDEX idx_chat_sessions_owner/);
    expect(plan.map((p) => p.detail).join(' | ')).not.toContain('TEMP B-TREE');
  });
});
