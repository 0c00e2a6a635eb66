import { DataSource } from 'typeorm';
import { openDataSource } from '../../src/database/open-data-source';
import { sqlFor } from '../../src/database/sql-for';
import { SqlSessionStore } from '../../src/sessions/adapters/sql-session-store';
import { AfinnSentimentScorer } from '../../src/sentiment/adapters/afinn-sentiment-scorer';
import { EVERYONE } from '../../src/sessions/domain/session';
import { SqlSessionSettingsStore } from '../../src/settings/adapters/sql-session-settings-store';
import { defaultSettings, SessionSettings, SettingsChange } from '../../src/settings/domain/session-settings';
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
    sessions = new SqlSessionStore(sql, new AfinnSentimentScorer());
    store = new SqlSessionSettingsStore(sql);
    await sessions.startTurn(EVERYONE, 's1', 'hi', 'hi', at);
  });
  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await db.drop();
  });

  const defaults = defaultSettings('window');
  const everything: SettingsChange = { ...settings, memory: settings.memory };

  it('should answer null for a session without settings, and the settings after a change', async () => {
    expect(await store.find('s1')).toBeNull();
    expect(await store.change('s1', everything, defaults, at)).toEqual(settings);
    expect(await store.find('s1')).toEqual(settings);
  });

  it('should start a first change from the defaults, then change only the fields sent, nulls resetting', async () => {
    expect(await store.change('s1', { temperature: 0.2 }, defaults, at)).toEqual({ ...defaults, temperature: 0.2 });
    await store.change('s1', everything, defaults, at);
    const changed = await store.change('s1', { model: null, memory: { maxTokens: null } }, defaults, at);
    expect(changed).toEqual({ ...settings, model: null, memory: { ...settings.memory, maxTokens: null } });
    expect(await store.find('s1')).toEqual(changed);
  });

  it('should keep every field of concurrent changes to different fields', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.change('s1', i % 2 === 0 ? { systemPrompt: `p${i}` } : { temperature: i / 20 }, defaults, at)),
    );
    const { systemPrompt, temperature } = (await store.find('s1'))!;
    expect(systemPrompt).toMatch(/^p\d+$/);
    expect(temperature).not.toBeNull();
  });

  it('should drop the settings with their session, so a recreated id starts from the defaults', async () => {
    await store.change('s1', everything, defaults, at);
    await sessions.deleteSession(EVERYONE, 's1');
    expect(await store.find('s1')).toBeNull();
  });

  it('should store no settings for a session that does not exist (deleted meanwhile), and say so with null', async () => {
    expect(await store.change('nope', everything, defaults, at)).toBeNull();
    expect(await store.find('nope')).toBeNull();
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
    sessions = new SqlSessionStore(sql, new AfinnSentimentScorer());
    store = new SqlSessionSummaryStore(sql);
    await sessions.startTurn(EVERYONE, 's1', 'hi', 'hi', at);
  });
  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await db.drop();
  });

  /** A turn of s1: the id of its AI message, which a fold of it covers. */
  const turn = async () => (await sessions.appendMessage(EVERYONE, 's1', 'AI', 'answer', at))!.id;

  it('should keep the summary with the id of the last message it covers, and save a fold only of the stored one', async () => {
    const [a, b, c] = [await turn(), await turn(), await turn()];
    expect(await store.find('s1')).toBeNull();
    expect(await store.save('s1', { summary: 'first 🙂', coversUntil: a }, null, at)).toBe(true);
    expect(await store.save('s1', { summary: 'second', coversUntil: c }, a, at)).toBe(true);
    // Folds of summaries that are no longer the stored one: a stale summarizer's, older or not.
    expect(await store.save('s1', { summary: 'stale', coversUntil: b }, a, at)).toBe(false);
    expect(await store.save('s1', { summary: 'late first', coversUntil: c }, null, at)).toBe(false);
    expect(await store.find('s1')).toEqual({ summary: 'second', coversUntil: c });
  });

  it('should go when the history is cleared or the session deleted', async () => {
    await store.save('s1', { summary: 'x', coversUntil: await turn() }, null, at);
    await sessions.clearMessages(EVERYONE, 's1');
    expect(await store.find('s1')).toBeNull();
    await store.save('s1', { summary: 'y', coversUntil: await turn() }, null, at);
    await sessions.deleteSession(EVERYONE, 's1');
    expect(await store.find('s1')).toBeNull();
  });

  it('should save no fold after a clear of the messages it covers, whatever it was folded from', async () => {
    const [a, b] = [await turn(), await turn()];
    await store.save('s1', { summary: 'x', coversUntil: a }, null, at);
    await sessions.clearMessages(EVERYONE, 's1');
    expect(await store.save('s1', { summary: 'stale', coversUntil: b }, a, at)).toBe(false);
    expect(await store.save('s1', { summary: 'stale', coversUntil: b }, null, at)).toBe(false);
    expect(await store.find('s1')).toBeNull();
  });

  it('should let a clear racing a save win: either the fold is refused or the clear removes it', async () => {
    for (let round = 0; round < 10; round++) {
      const covered = await turn();
      await Promise.all([store.save('s1', { summary: 'racing', coversUntil: covered }, null, at), sessions.clearMessages(EVERYONE, 's1')]);
      expect(await store.find('s1')).toBeNull();
    }
  });
});
