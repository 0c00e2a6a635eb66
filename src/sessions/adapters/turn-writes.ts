import { fromDbTime, hourOf, toDbTime } from '../../database/db-time';
import { Sql, SqlRunner } from '../../database/sql';
import { Sender, Session, StoredMessage } from '../domain/session';
import { StartedTurn } from '../domain/session-store';
import { ActivityCounters } from './activity-counters';
import { SESSION_COLUMNS, SessionRow, toSession } from './rows';

/**
 * The two writes of every turn, each atomic with its counters. They are the hot path, so each
 * dialect gets the cheapest form that keeps them atomic.
 */
export interface TurnWrites {
  startTurn(sessionId: string, content: string, chatName: string, at: Date, shard: number): Promise<StartedTurn>;
  /** null when the session no longer exists. */
  appendMessage(sessionId: string, sender: Sender, content: string, at: Date, shard: number): Promise<StoredMessage | null>;
}

export function turnWritesFor(sql: Sql): TurnWrites {
  return sql.dialect === 'postgres' ? new SingleStatementTurnWrites(sql) : new TransactionTurnWrites(sql);
}

/** Portable statements in one transaction: on SQLite they run in-process, so round trips cost nothing. */
class TransactionTurnWrites implements TurnWrites {
  constructor(private readonly sql: Sql) {}

  startTurn(sessionId: string, content: string, chatName: string, at: Date, shard: number): Promise<StartedTurn> {
    return this.sql.transaction(async (tx) => {
      const row = await tx.get<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM chat_sessions WHERE session_id = ?`, [sessionId]);
      const counters = new ActivityCounters().messageWritten(at);
      let session: Session;
      if (row) {
        await tx.run('UPDATE chat_sessions SET last_activity = ?, message_count = message_count + 1 WHERE session_id = ?', [toDbTime(at), sessionId]);
        session = { ...toSession(row), lastActivity: at, messageCount: Number(row.message_count) + 1 };
      } else {
        await tx.run(`INSERT INTO chat_sessions (${SESSION_COLUMNS}) VALUES (?, ?, ?, ?, 1)`, [sessionId, chatName, toDbTime(at), toDbTime(at)]);
        counters.sessionCreated(at);
        session = { sessionId, chatName, createdAt: at, lastActivity: at, messageCount: 1 };
      }
      const message = await insertMessage(tx, sessionId, 'Human', content, at);
      await counters.apply(tx, shard);
      return { session, message };
    });
  }

  appendMessage(sessionId: string, sender: Sender, content: string, at: Date, shard: number): Promise<StoredMessage | null> {
    return this.sql.transaction(async (tx) => {
      const updated = await tx.run('UPDATE chat_sessions SET last_activity = ?, message_count = message_count + 1 WHERE session_id = ?', [
        toDbTime(at),
        sessionId,
      ]);
      if (updated === 0) return null;
      const message = await insertMessage(tx, sessionId, sender, content, at);
      await new ActivityCounters().messageWritten(at).apply(tx, shard);
      return message;
    });
  }
}

const COUNT_MESSAGE = (created: string) => `
  a AS (INSERT INTO chat_activity (hour, shard, sessions, messages) SELECT ?, ?, ${created}, 1 FROM m
        ON CONFLICT (hour, shard) DO UPDATE SET sessions = chat_activity.sessions + excluded.sessions,
          messages = chat_activity.messages + excluded.messages),
  t AS (INSERT INTO chat_totals (id, sessions, messages) SELECT ?, ${created}, 1 FROM m
        ON CONFLICT (id) DO UPDATE SET sessions = chat_totals.sessions + excluded.sessions,
          messages = chat_totals.messages + excluded.messages)`;

/**
 * PostgreSQL: each write is ONE statement (data-modifying CTEs), atomic by itself, so a turn costs
 * two round trips instead of a dozen (BEGIN, five statements, COMMIT, twice). The counters are the
 * same ones ActivityCounters keeps, in the same shards.
 */
class SingleStatementTurnWrites implements TurnWrites {
  constructor(private readonly sql: Sql) {}

  async startTurn(sessionId: string, content: string, chatName: string, at: Date, shard: number): Promise<StartedTurn> {
    const time = toDbTime(at);
    // xmax = 0 on the returned row means the upsert inserted it: the session is new.
    const row = await this.sql.get<SessionRow & { created: boolean; message_id: number }>(
      `WITH s AS (INSERT INTO chat_sessions (${SESSION_COLUMNS}) VALUES (?, ?, ?, ?, 1)
          ON CONFLICT (session_id) DO UPDATE SET last_activity = excluded.last_activity, message_count = chat_sessions.message_count + 1
          RETURNING ${SESSION_COLUMNS}, (xmax = 0) AS created),
        m AS (INSERT INTO chat_messages (session_id, sender, content, "timestamp") SELECT session_id, 'Human', ?, ? FROM s RETURNING id),
        ${COUNT_MESSAGE('(SELECT CASE WHEN created THEN 1 ELSE 0 END FROM s)')}
       SELECT s.*, m.id AS message_id FROM s, m`,
      [sessionId, chatName, time, time, content, time, hourOf(at), shard, shard + 1],
    );
    const session = toSession(row!);
    return { session, message: { id: Number(row!.message_id), sessionId, sender: 'Human', content, timestamp: fromDbTime(time) } };
  }

  async appendMessage(sessionId: string, sender: Sender, content: string, at: Date, shard: number): Promise<StoredMessage | null> {
    const time = toDbTime(at);
    const row = await this.sql.get<{ id: number }>(
      `WITH s AS (UPDATE chat_sessions SET last_activity = ?, message_count = message_count + 1 WHERE session_id = ? RETURNING session_id),
        m AS (INSERT INTO chat_messages (session_id, sender, content, "timestamp") SELECT session_id, ?, ?, ? FROM s RETURNING id),
        ${COUNT_MESSAGE('0')}
       SELECT id FROM m`,
      [time, sessionId, sender, content, time, hourOf(at), shard, shard + 1],
    );
    return row ? { id: Number(row.id), sessionId, sender, content, timestamp: at } : null;
  }
}

export async function insertMessage(tx: SqlRunner, sessionId: string, sender: Sender, content: string, at: Date): Promise<StoredMessage> {
  const inserted = await tx.get<{ id: number }>(
    'INSERT INTO chat_messages (session_id, sender, content, "timestamp") VALUES (?, ?, ?, ?) RETURNING id',
    [sessionId, sender, content, toDbTime(at)],
  );
  return { id: Number(inserted!.id), sessionId, sender, content, timestamp: at };
}
