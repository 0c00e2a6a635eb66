import { SqlActivityReader } from '../../src/analytics/adapters/sql-activity-reader';
import { MIGRATIONS } from '../../src/database/data-source-options';
import { openDataSource } from '../../src/database/open-data-source';
import { sqlFor } from '../../src/database/sql-for';
import { EVERYONE } from '../../src/sessions/domain/session';
import { parseSearchQuery } from '../../src/common/search-query';
import { SqlMessageSearch } from '../../src/search/adapters/sql-message-search';
import { externalServices, ScratchDatabase, scratchPostgres, scratchSqlite } from '../support/databases';

const { postgres } = externalServices();
const dialects: [string, () => Promise<ScratchDatabase>][] = [['sqlite', async () => scratchSqlite()]];
if (postgres) dialects.push(['postgres', () => scratchPostgres(postgres)]);

describe.each(dialects)('%s: migrations', (_dialect, scratch) => {
  let db: ScratchDatabase;

  beforeEach(async () => {
    db = await scratch();
  });
  afterEach(() => db.drop());

  it('should carry the counters of a store made by the first migration into the sharded counters, and back down', async () => {
    const old = await openDataSource(db.settings, { migrations: [MIGRATIONS[0]] });
    const hour = Math.floor(Date.parse('2026-11-24T10:00:00.000Z') / 3_600_000);
    await old.query(`INSERT INTO chat_activity (hour, sessions, messages) VALUES (${hour}, 2, 7), (${hour + 1}, 0, 3)`);
    await old.query('UPDATE chat_totals SET sessions = 2, messages = 10 WHERE id = 1');
    await old.destroy();

    const current = await openDataSource(db.settings);
    try {
      const reader = new SqlActivityReader(sqlFor(current));
      expect(await reader.totals(EVERYONE, new Date(0))).toMatchObject({ sessions: 2, messages: 10 });
      const since = await reader.activitySince(EVERYONE, new Date('2026-11-24T00:00:00.000Z'));
      expect(since.messagesByHourOfDay.slice(10, 12)).toEqual([7, 3]);
      await current.query(`INSERT INTO chat_totals (id, sessions, messages) VALUES (5, 1, 4)`);
      // Back down to the first migration, through any added after the sharded counters.
      for (let i = 1; i < MIGRATIONS.length; i++) await current.undoLastMigration();
      const [totals] = await current.query('SELECT sessions, messages FROM chat_totals');
      expect({ sessions: Number(totals.sessions), messages: Number(totals.messages) }).toEqual({ sessions: 3, messages: 14 });
    } finally {
      await current.destroy();
    }
  });

  it('should index the messages and chat names stored before full-text search, follow later edits, and go back down', async () => {
    const before = MIGRATIONS.findIndex((m) => m.name === 'FullTextSearch1765300000000');
    const old = await openDataSource(db.settings, { migrations: MIGRATIONS.slice(0, before) });
    const at = "'2026-11-24T10:00:00.000Z'";
    await old.query(`INSERT INTO chat_sessions (session_id, chat_name, created_at, last_activity, message_count) VALUES ('s1', 'Quarterly taxes', ${at}, ${at}, 1)`);
    await old.query(`INSERT INTO chat_messages (session_id, sender, content, "timestamp") VALUES ('s1', 'Human', 'When are estimated payments due?', ${at})`);
    await old.destroy();

    const current = await openDataSource(db.settings);
    try {
      const search = new SqlMessageSearch(sqlFor(current));
      const find = async (q: string) => (await search.search(EVERYONE, parseSearchQuery(q), { limit: 10, offset: 0 })).hits.map((h) => h.text);
      expect(await find('taxes')).toEqual(['Quarterly taxes']);
      expect(await find('estimated payments')).toEqual(['When are estimated payments due?']);
      await current.query("UPDATE chat_messages SET content = 'Rewritten entirely'");
      await current.query("UPDATE chat_sessions SET chat_name = 'Renamed chat'");
      expect({ old: await find('payments'), now: await find('rewritten'), oldName: await find('taxes'), name: await find('renamed') }).toEqual({
        old: [],
        now: ['Rewritten entirely'],
        oldName: [],
        name: ['Renamed chat'],
      });
      await current.undoLastMigration();
      await current.query(`INSERT INTO chat_messages (session_id, sender, content, "timestamp") VALUES ('s1', 'AI', 'still writable', ${at})`);
    } finally {
      await current.destroy();
    }
  });
});
