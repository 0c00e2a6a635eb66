import { DataSource } from 'typeorm';
import { openDataSource } from '../../src/database/open-data-source';
import { sqlFor } from '../../src/database/sql-for';
import { SqlSessionStore } from '../../src/sessions/adapters/sql-session-store';
import { AfinnSentimentScorer } from '../../src/sentiment/adapters/afinn-sentiment-scorer';
import { EVERYONE } from '../../src/sessions/domain/session';
import { SqlShareStore } from '../../src/sharing/adapters/sql-share-store';
import { SharedConversation } from '../../src/sharing/domain/shared-conversation';
import { externalServices, ScratchDatabase, scratchPostgres, scratchSqlite } from '../support/databases';

const { postgres } = externalServices();
const dialects: [string, () => Promise<ScratchDatabase>][] = [['sqlite', async () => scratchSqlite()]];
if (postgres) dialects.push(['postgres', () => scratchPostgres(postgres)]);

const at = new Date('2026-12-01T10:00:00.000Z');
const snapshot = (shareId: string): SharedConversation => ({
  shareId,
  chatName: 'Grüße ✨ 👩‍👩‍👧',
  createdAt: new Date('2026-12-01T11:00:00.123Z'),
  messages: [
    { sender: 'Human', content: 'hi "there" \\ \u2028', timestamp: new Date('2026-12-01T10:00:00.001Z') },
    { sender: 'AI', content: '日本語', timestamp: new Date('2026-12-01T10:00:01.002Z') },
  ],
});

describe.each(dialects)('%s: SqlShareStore', (_dialect, scratch) => {
  let db: ScratchDatabase;
  let dataSource: DataSource;
  let sessions: SqlSessionStore;
  let store: SqlShareStore;

  beforeEach(async () => {
    db = await scratch();
    dataSource = await openDataSource(db.settings);
    const sql = sqlFor(dataSource);
    sessions = new SqlSessionStore(sql, new AfinnSentimentScorer());
    store = new SqlShareStore(sql);
    for (const id of ['s1', 's2']) await sessions.startTurn(EVERYONE, id, 'hi', 'hi', at);
  });
  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await db.drop();
  });

  it('should give back the snapshot exactly, and null for an unknown id', async () => {
    await store.create('s1', snapshot('share-one-aaaaaaaaaaaaa'));
    expect(await store.find('share-one-aaaaaaaaaaaaa')).toEqual(snapshot('share-one-aaaaaaaaaaaaa'));
    expect(await store.find('share-two-aaaaaaaaaaaaa')).toBeNull();
  });

  it('should revoke a share only through its own session', async () => {
    await store.create('s1', snapshot('share-one-aaaaaaaaaaaaa'));
    expect(await store.delete('s2', 'share-one-aaaaaaaaaaaaa')).toBe(false);
    expect(await store.delete('s1', 'share-one-aaaaaaaaaaaaa')).toBe(true);
    expect(await store.find('share-one-aaaaaaaaaaaaa')).toBeNull();
  });

  it('should drop the shares of a deleted or pruned session, and keep the others', async () => {
    await store.create('s1', snapshot('share-one-aaaaaaaaaaaaa'));
    await store.create('s2', snapshot('share-two-aaaaaaaaaaaaa'));
    await sessions.deleteSession(EVERYONE, 's1');
    expect(await store.find('share-one-aaaaaaaaaaaaa')).toBeNull();
    await sessions.pruneIdleSince(EVERYONE, new Date('2026-12-02T00:00:00.000Z'), 10);
    expect(await store.find('share-two-aaaaaaaaaaaaa')).toBeNull();
  });
});
