import { Injectable } from '@nestjs/common';
import { toDbTime } from '../../database/db-time';
import { Sql } from '../../database/sql';
import { SessionSummary, SessionSummaryStore } from '../domain/session-summary';

/** One row per summarized session, in portable SQL (SQLite or PostgreSQL). */
@Injectable()
export class SqlSessionSummaryStore extends SessionSummaryStore {
  constructor(private readonly sql: Sql) {
    super();
  }

  async find(sessionId: string): Promise<SessionSummary | null> {
    const row = await this.sql.get<{ summary: string; covers_until_message_id: number | string }>(
      'SELECT summary, covers_until_message_id FROM session_summaries WHERE session_id = ?',
      [sessionId],
    );
    return row ? { summary: row.summary, coversUntil: Number(row.covers_until_message_id) } : null;
  }

  async save(sessionId: string, { summary, coversUntil }: SessionSummary, at: Date): Promise<void> {
    // Only forward: a slower writer holding an older fold never undoes a newer one.
    await this.sql.run(
      `INSERT INTO session_summaries (session_id, summary, covers_until_message_id, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE SET summary = excluded.summary, covers_until_message_id = excluded.covers_until_message_id,
         updated_at = excluded.updated_at
       WHERE session_summaries.covers_until_message_id < excluded.covers_until_message_id`,
      [sessionId, summary, coversUntil, toDbTime(at)],
    );
  }
}
