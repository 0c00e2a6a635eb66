import { SqlActivityReader } from '../../src/analytics/adapters/sql-activity-reader';
import { MIGRATIONS } from '../../src/database/data-source-options';
import { openDataSource } from '../../src/database/open-data-source';
import { sqlFor } from '../../src/database/sql-for';
import { EVERYONE } from '../../src/sessions/domain/session';
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
      await current.undoLastMigration(); // accounts
      await current.undoLastMigration(); // sharded counters
      const [totals] = await current.query('SELECT sessions, messages FROM chat_totals');
      expect({ sessions: Number(totals.sessions), messages: Number(totals.messages) }).toEqual({ sessions: 3, messages: 14 });
    } finally {
      await current.destroy();
    }
  });
});
