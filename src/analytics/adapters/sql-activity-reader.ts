import { Injectable } from '@nestjs/common';
import { Sql } from '../../database/sql';
import { hourOf, toDbTime } from '../../database/db-time';
import { Scope } from '../../sessions/domain/session';
import { ActivityReader, ActivitySince, ActivityTotals } from '../domain/activity-reader';

/** Reads the counters that the session store keeps in `chat_totals` and `chat_activity`. */
@Injectable()
export class SqlActivityReader extends ActivityReader {
  constructor(private readonly sql: Sql) {
    super();
  }

  async totals(_scope: Scope, activeSince: Date): Promise<ActivityTotals> {
    const [totals, recent] = await Promise.all([
      this.sql.get<{ sessions: number; messages: number }>(
        'SELECT CAST(SUM(sessions) AS INTEGER) AS sessions, CAST(SUM(messages) AS INTEGER) AS messages FROM chat_totals',
      ),
      this.sql.get<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM chat_sessions WHERE last_activity >= ?', [toDbTime(activeSince)]),
    ]);
    return {
      sessions: Number(totals?.sessions ?? 0),
      messages: Number(totals?.messages ?? 0),
      sessionsActiveSince: Number(recent?.n ?? 0),
    };
  }

  /** Folded in SQL, so at most 24 + 31 rows come back however much activity there was. */
  async activitySince(_scope: Scope, since: Date): Promise<ActivitySince> {
    const from = hourOf(since);
    const [hours, days] = await Promise.all([
      this.sql.all<{ h: number; messages: number }>(
        'SELECT hour % 24 AS h, CAST(SUM(messages) AS INTEGER) AS messages FROM chat_activity WHERE hour >= ? GROUP BY hour % 24',
        [from],
      ),
      this.sql.all<{ d: number; sessions: number; messages: number }>(
        `SELECT hour / 24 AS d, CAST(SUM(sessions) AS INTEGER) AS sessions, CAST(SUM(messages) AS INTEGER) AS messages
         FROM chat_activity WHERE hour >= ? GROUP BY hour / 24 ORDER BY hour / 24`,
        [from],
      ),
    ]);
    const messagesByHourOfDay = new Array<number>(24).fill(0);
    for (const row of hours) messagesByHourOfDay[Number(row.h)] = Number(row.messages);
    return {
      messagesByHourOfDay,
      byDay: days.map((row) => ({ day: Number(row.d), sessions: Number(row.sessions), messages: Number(row.messages) })),
    };
  }
}
