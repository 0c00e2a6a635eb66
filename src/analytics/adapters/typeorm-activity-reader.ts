import { Injectable } from '@nestjs/common';
import { Sql } from '../../database/sql';
import { hourOf, hourStart, toDbTime } from '../../sessions/adapters/rows';
import { Scope } from '../../sessions/domain/session';
import { ActivityBucket, ActivityReader, ActivityTotals } from '../domain/activity-reader';

/** Reads the counters that the session store keeps in `chat_totals` and `chat_activity`. */
@Injectable()
export class TypeOrmActivityReader extends ActivityReader {
  constructor(private readonly sql: Sql) {
    super();
  }

  async totals(_scope: Scope, activeSince: Date): Promise<ActivityTotals> {
    const [totals, recent] = await Promise.all([
      this.sql.get<{ sessions: number; messages: number }>('SELECT sessions, messages FROM chat_totals WHERE id = 1'),
      this.sql.get<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM chat_sessions WHERE last_activity >= ?', [toDbTime(activeSince)]),
    ]);
    return {
      sessions: Number(totals?.sessions ?? 0),
      messages: Number(totals?.messages ?? 0),
      sessionsActiveSince: Number(recent?.n ?? 0),
    };
  }

  async hourlyActivity(_scope: Scope, since: Date): Promise<ActivityBucket[]> {
    const rows = await this.sql.all<{ hour: number; sessions: number; messages: number }>(
      'SELECT hour, sessions, messages FROM chat_activity WHERE hour >= ? ORDER BY hour',
      [hourOf(since)],
    );
    return rows.map((row) => ({ hour: hourStart(Number(row.hour)), sessions: Number(row.sessions), messages: Number(row.messages) }));
  }
}
