import { Sql, SqlRunner } from '../sql';

/** The UTC hour of a time column as hours since the epoch, as `hourOf` computes it in JavaScript. */
function hourOf(dialect: Sql['dialect'], column: string): string {
  return dialect === 'postgres'
    ? `CAST(FLOOR(EXTRACT(EPOCH FROM ${column}) / 3600) AS INTEGER)`
    : `CAST(strftime('%s', ${column}) AS INTEGER) / 3600`;
}

/**
 * Sets every counter (`message_count`, `chat_activity`, `chat_totals`, `session_last_activity`) to what the rows say, so a
 * copy carries no drift from its source. The counters are sharded (summed on read); the recount puts
 * everything in the first shard: activity shard 0, totals row 1.
 */
export async function recountCounters(tx: SqlRunner, dialect: Sql['dialect']): Promise<void> {
  await tx.run('UPDATE chat_sessions SET message_count = (SELECT COUNT(*) FROM chat_messages m WHERE m.session_id = chat_sessions.session_id)');
  await tx.run('DELETE FROM chat_activity');
  await tx.run(
    `INSERT INTO chat_activity (hour, shard, sessions, messages)
     SELECT hour, 0, SUM(s), SUM(m) FROM (
       SELECT ${hourOf(dialect, 'created_at')} AS hour, 1 AS s, 0 AS m FROM chat_sessions
       UNION ALL SELECT ${hourOf(dialect, '"timestamp"')} AS hour, 0 AS s, 1 AS m FROM chat_messages
     ) AS rows_by_hour GROUP BY hour`,
  );
  await tx.run('DELETE FROM session_last_activity');
  await tx.run(
    `INSERT INTO session_last_activity (hour, shard, sessions) SELECT ${hourOf(dialect, 'last_activity')}, 0, COUNT(*) FROM chat_sessions GROUP BY ${hourOf(dialect, 'last_activity')}`,
  );
  await tx.run('DELETE FROM chat_totals');
  await tx.run('INSERT INTO chat_totals (id, sessions, messages) SELECT 1, (SELECT COUNT(*) FROM chat_sessions), (SELECT COUNT(*) FROM chat_messages)');
}
