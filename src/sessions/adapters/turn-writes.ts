import { fromDbTime, hourOf, toDbTime } from '../../database/db-time';
import { Sql, SqlRunner } from '../../database/sql';
import { Scope, Sender, Session, StoredMessage } from '../domain/session';
import { StartedTurn } from '../domain/session-store';
import { ActivityCounters } from './activity-counters';
import { visibleTo } from './ownership';
import { SESSION_COLUMNS, SessionRow, toSession } from './rows';

/**
 * The two writes of every turn, each atomic with its counters. They are the hot path, so each
 * dialect gets the cheapest form that keeps them atomic.
 */
export interface TurnWrites {
  /** null when the id is taken by a session the scope may not see. */
  startTurn(scope: Scope, sessionId: string, content: string, chatName: string, at: Date, shard: number): Promise<StartedTurn | null>;
  /** null when the session no longer exists (or the scope may not see it). */
  appendMessage(scope: Scope, sessionId: string, sender: Sender, content: string, at: Date, shard: number): Promise<StoredMessage | null>;
}

export function turnWritesFor(sql: Sql): TurnWrites {
  return sql.dialect === 'postgres' ? new SingleStatementTurnWrites(sql) : new TransactionTurnWrites(sql);
}

/** Portable statements in one transaction: on SQLite they run in-process, so round trips cost nothing. */
class TransactionTurnWrites implements TurnWrites {
  constructor(private readonly sql: Sql) {}

  startTurn(scope: Scope, sessionId: string, content: string, chatName: string, at: Date, shard: number): Promise<StartedTurn | null> {
    return this.sql.transaction(async (tx) => {
      const owner = visibleTo(scope, 's');
      const row = await tx.get<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM chat_sessions s WHERE s.session_id = ? AND ${owner.sql}`, [sessionId, ...owner.params]);
      if (!row && (await tx.get('SELECT 1 AS taken FROM chat_sessions WHERE session_id = ?', [sessionId]))) return null;
      const counters = new ActivityCounters().messageWritten(at);
      let session: Session;
      if (row) {
        await tx.run('UPDATE chat_sessions SET last_activity = ?, message_count = message_count + 1 WHERE session_id = ?', [toDbTime(at), sessionId]);
        session = { ...toSession(row), lastActivity: at, messageCount: Number(row.message_count) + 1 };
      } else {
        await tx.run(`INSERT INTO chat_sessions (${SESSION_COLUMNS}, owner_id) VALUES (?, ?, ?, ?, 1, ?)`, [
          sessionId,
          chatName,
          toDbTime(at),
          toDbTime(at),
          scope.ownerId,
        ]);
        counters.sessionCreated(at);
        session = { sessionId, chatName, createdAt: at, lastActivity: at, messageCount: 1 };
      }
      const message = await insertMessage(tx, sessionId, 'Human', content, at);
      await counters.apply(tx, shard);
      return { session, message };
    });
  }

  appendMessage(scope: Scope, sessionId: string, sender: Sender, content: string, at: Date, shard: number): Promise<StoredMessage | null> {
    return this.sql.transaction(async (tx) => {
      const owner = visibleTo(scope, 'chat_sessions');
      const updated = await tx.run(
        `UPDATE chat_sessions SET last_activity = ?, message_count = message_count + 1 WHERE session_id = ? AND ${owner.sql}`,
        [toDbTime(at), sessionId, ...owner.params],
      );
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

  async startTurn(scope: Scope, sessionId: string, content: string, chatName: string, at: Date, shard: number): Promise<StartedTurn | null> {
    const time = toDbTime(at);
    const owner = visibleTo(scope, 'chat_sessions');
    // xmax = 0 on the returned row means the upsert inserted it: the session is new. A session the
    // scope may not see fails the update's WHERE: no row, no message, no counters — null.
    const row = await this.sql.get<SessionRow & { created: boolean; message_id: number }>(
      `WITH s AS (INSERT INTO chat_sessions (${SESSION_COLUMNS}, owner_id) VALUES (?, ?, ?, ?, 1, ?)
          ON CONFLICT (session_id) DO UPDATE SET last_activity = excluded.last_activity, message_count = chat_sessions.message_count + 1
          WHERE ${owner.sql}
          RETURNING ${SESSION_COLUMNS}, (xmax = 0) AS created),
        m AS (INSERT INTO chat_messages (session_id, sender, content, "timestamp") SELECT session_id, 'Human', ?, ? FROM s RETURNING id),
        ${COUNT_MESSAGE('(SELECT CASE WHEN created THEN 1 ELSE 0 END FROM s)')}
       SELECT s.*, m.id AS message_id FROM s, m`,
      [sessionId, chatName, time, time, scope.ownerId, ...owner.params, content, time, hourOf(at), shard, shard + 1],
    );
    if (!row) return null;
    const session = toSession(row);
    return { session, message: { id: Number(row.message_id), sessionId, sender: 'Human', content, timestamp: fromDbTime(time) } };
  }

  async appendMessage(scope: Scope, sessionId: string, sender: Sender, content: string, at: Date, shard: number): Promise<StoredMessage | null> {
    const time = toDbTime(at);
    const owner = visibleTo(scope, 'chat_sessions');
    const row = await this.sql.get<{ id: number }>(
      `WITH s AS (UPDATE chat_sessions SET last_activity = ?, message_count = message_count + 1 WHERE session_id = ? AND ${owner.sql} RETURNING session_id),
        m AS (INSERT INTO chat_messages (session_id, sender, content, "timestamp") SELECT session_id, ?, ?, ? FROM s RETURNING id),
        ${COUNT_MESSAGE('0')}
       SELECT id FROM m`,
      [time, sessionId, ...owner.params, sender, content, time, hourOf(at), shard, shard + 1],
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
