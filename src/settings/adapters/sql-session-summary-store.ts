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

  save(sessionId: string, { summary, coversUntil }: SessionSummary, foldedFrom: number | null, at: Date): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      // On PostgreSQL the covered message is locked: a clear that deleted it first makes it missing
      // here, one that comes later waits for this write and then deletes the summary with it.
      const lock = this.sql.dialect === 'postgres' ? ' FOR SHARE' : '';
      const covered = await tx.get('SELECT id FROM chat_messages WHERE id = ? AND session_id = ?' + lock, [coversUntil, sessionId]);
      if (!covered) return false;
      const saved = await tx.run(
        `INSERT INTO session_summaries (session_id, summary, covers_until_message_id, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (session_id) DO UPDATE SET summary = excluded.summary, covers_until_message_id = excluded.covers_until_message_id,
           updated_at = excluded.updated_at
         WHERE session_summaries.covers_until_message_id = ?`,
        [sessionId, summary, coversUntil, toDbTime(at), foldedFrom ?? NO_MESSAGE],
      );
      return saved > 0;
    });
  }
}

/** No message has this id: a fold of no summary replaces no stored row. */
const NO_MESSAGE = -1;
