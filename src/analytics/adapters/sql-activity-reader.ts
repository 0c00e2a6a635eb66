import { Injectable } from '@nestjs/common';
import { Sql } from '../../database/sql';
import { hourOf, toDbTime } from '../../database/db-time';
import { Scope } from '../../sessions/domain/session';
import { ActivityReader, ActivitySince, ActivityTotals } from '../domain/activity-reader';

const HOUR_MS = 3_600_000;

/** Reads the counters that the session store keeps in `chat_totals`, `chat_activity` and `session_last_activity`. */
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
      this.activeSince(activeSince),
    ]);
    return {
      sessions: Number(totals?.sessions ?? 0),
      messages: Number(totals?.messages ?? 0),
      sessionsActiveSince: recent,
    };
  }

  /**
   * Sessions last active at or after `since`: the whole hours after the one holding `since` are
   * summed from `session_last_activity` (24 hours of shards), and only that first, partial hour is
   * counted in `chat_sessions` through its last-activity index — one hour's sessions at most.
   */
  private async activeSince(since: Date): Promise<number> {
    const hour = hourOf(since);
    const [later, partial] = await Promise.all([
      this.sql.get<{ n: number }>('SELECT CAST(SUM(sessions) AS INTEGER) AS n FROM session_last_activity WHERE hour > ?', [hour]),
      this.sql.get<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM chat_sessions WHERE last_activity >= ? AND last_activity < ?', [
        toDbTime(since),
        toDbTime(new Date((hour + 1) * HOUR_MS)),
      ]),
    ]);
    return Number(later?.n ?? 0) + Number(partial?.n ?? 0);
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
