import { DataSource } from 'typeorm';
import { openDataSource } from '../../src/database/open-data-source';
import { sqlFor } from '../../src/database/sql-for';
import { SqlSessionStore } from '../../src/sessions/adapters/sql-session-store';
import { EVERYONE } from '../../src/sessions/domain/session';
import { SqlSessionSettingsStore } from '../../src/settings/adapters/sql-session-settings-store';
import { SessionSettings } from '../../src/settings/domain/session-settings';
import { SqlSessionSummaryStore } from '../../src/settings/adapters/sql-session-summary-store';
import { externalServices, ScratchDatabase, scratchPostgres, scratchSqlite } from '../support/databases';

const { postgres } = externalServices();
const dialects: [string, () => Promise<ScratchDatabase>][] = [['sqlite', async () => scratchSqlite()]];
if (postgres) dialects.push(['postgres', () => scratchPostgres(postgres)]);

const at = new Date('2026-12-01T10:00:00.000Z');
const settings: SessionSettings = {
  systemPrompt: 'Be brief. «Ünïcödé» 🙂',
  model: 'gpt-4o',
  temperature: 0.7,
  memory: { strategy: 'tokens', maxHistory: 42, maxTokens: 4096 },
};

describe.each(dialects)('%s: SqlSessionSettingsStore', (_dialect, scratch) => {
  let db: ScratchDatabase;
  let dataSource: DataSource;
  let sessions: SqlSessionStore;
  let store: SqlSessionSettingsStore;

  beforeEach(async () => {
    db = await scratch();
    dataSource = await openDataSource(db.settings);
    const sql = sqlFor(dataSource);
    sessions = new SqlSessionStore(sql);
    store = new SqlSessionSettingsStore(sql);
    await sessions.startTurn(EVERYONE, 's1', 'hi', 'hi', at);
  });
  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await db.drop();
  });

  it('should answer null for a session without settings, and what was saved after a save', async () => {
    expect(await store.find('s1')).toBeNull();
    await store.save('s1', settings, at);
    expect(await store.find('s1')).toEqual(settings);
  });

  it('should replace the row on a second save, nulls included', async () => {
    await store.save('s1', settings, at);
    const reset: SessionSettings = { systemPrompt: null, model: null, temperature: null, memory: { strategy: 'window', maxHistory: 10, maxTokens: null } };
    await store.save('s1', reset, at);
    expect(await store.find('s1')).toEqual(reset);
  });

  it('should drop the settings with their session, so a recreated id starts from the defaults', async () => {
    await store.save('s1', settings, at);
    await sessions.deleteSession(EVERYONE, 's1');
    expect(await store.find('s1')).toBeNull();
  });

  it('should refuse settings for a session that does not exist (PostgreSQL enforces the foreign key)', async () => {
    if (dataSource.options.type !== 'postgres') return;
    await expect(store.save('nope', settings, at)).rejects.toThrow();
  });
});

describe.each(dialects)('%s: SqlSessionSummaryStore', (_dialect, scratch) => {
  let db: ScratchDatabase;
  let dataSource: DataSource;
  let sessions: SqlSessionStore;
  let store: SqlSessionSummaryStore;

  beforeEach(async () => {
    db = await scratch();
    dataSource = await openDataSource(db.settings);
    const sql = sqlFor(dataSource);
    sessions = new SqlSessionStore(sql);
    store = new SqlSessionSummaryStore(sql);
    await sessions.startTurn(EVERYONE, 's1', 'hi', 'hi', at);
  });
  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await db.drop();
  });

  it('should keep the summary with the id of the last message it covers, and only ever move it forward', async () => {
    expect(await store.find('s1')).toBeNull();
    await store.save('s1', { summary: 'first 🙂', coversUntil: 4 }, at);
    await store.save('s1', { summary: 'second', coversUntil: 8 }, at);
    await store.save('s1', { summary: 'stale', coversUntil: 6 }, at);
    expect(await store.find('s1')).toEqual({ summary: 'second', coversUntil: 8 });
  });

  it('should go when the history is cleared or the session deleted', async () => {
    await store.save('s1', { summary: 'x', coversUntil: 1 }, at);
    await sessions.clearMessages(EVERYONE, 's1');
    expect(await store.find('s1')).toBeNull();
    await store.save('s1', { summary: 'y', coversUntil: 2 }, at);
    await sessions.deleteSession(EVERYONE, 's1');
    expect(await store.find('s1')).toBeNull();
  });
});
