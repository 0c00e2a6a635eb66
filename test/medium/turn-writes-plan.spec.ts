// A turn on PostgreSQL finds its session by primary key. Its batched statements join a
// json_to_recordset, which the planner takes for 100 rows: an `UPDATE … FROM` on it became a hash
// join over a sequential scan of chat_sessions, so every turn read the whole table (dead rows
// included) until the table was large enough for the planner to change its mind.
import { SqlSessionStore } from '../../src/sessions/adapters/sql-session-store';
import { AfinnSentimentScorer } from '../../src/sentiment/adapters/afinn-sentiment-scorer';
import { EVERYONE } from '../../src/sessions/domain/session';
import { describeOnScratchPostgres } from '../support/databases';

jest.setTimeout(60_000);

describeOnScratchPostgres('postgres: the writes of a turn', (db) => {
  beforeAll(async () => {
    // Everything here runs one statement at a time, so the pool lends the same connection each time
    // and pg_stat_force_next_flush() flushes the statistics of the backend that ran the turns.
    await db.sql.run(
      `INSERT INTO chat_sessions (session_id, chat_name, created_at, last_activity, message_count)
       SELECT 's' || n, 'chat ' || n, now() - interval '1 day', now() - interval '1 day', 0 FROM generate_series(1, 5000) AS n`,
    );
    await db.sql.run('ANALYZE chat_sessions');
  });

  const sequentialScans = async () => {
    await db.sql.get('SELECT pg_stat_force_next_flush()');
    return Number((await db.sql.get<{ n: string }>("SELECT seq_scan AS n FROM pg_stat_user_tables WHERE relname = 'chat_sessions'"))!.n);
  };

  it('should find the session by its key, never by reading chat_sessions through', async () => {
    const store = new SqlSessionStore(db.sql, new AfinnSentimentScorer());
    const before = await sequentialScans();
    for (let i = 1; i <= 20; i++) {
      const at = new Date();
      expect(await store.startTurn(EVERYONE, `s${i * 7}`, 'a question', 'chat', at)).not.toBeNull();
      expect(await store.appendMessage(EVERYONE, `s${i * 7}`, 'AI', 'an answer', at)).not.toBeNull();
    }
    expect(await sequentialScans()).toBe(before);
    expect(Number((await db.sql.get<{ n: string }>('SELECT SUM(message_count) AS n FROM chat_sessions'))!.n)).toBe(40);
  });
});
