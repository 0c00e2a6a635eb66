import { Injectable } from '@nestjs/common';
import { Sql, SqlRunner, SqlValue } from '../../database/sql';
import { ModelUsage, Scope, Sender, Session, StoredMessage } from '../domain/session';
import { SentimentScorer } from '../../sentiment/domain/sentiment-scorer';
import { UsageCounters } from './usage-counters';
import { MessageCursorQuery, MessagePage, MessagePageQuery, SessionImport, SessionListQuery, SessionStore, StartedTurn } from '../domain/session-store';
import { ActivityCounters, randomShard } from './activity-counters';
import { TurnWrites, turnWritesFor } from './turn-writes';
import { writeImport } from './session-import';
import { fromDbTime, toDbTime } from '../../database/db-time';
import { MESSAGE_COLUMNS, MessageRow, ORGANISED_COLUMNS, OrganisedRow, SESSION_COLUMNS, SessionRow, toMessage, toOrganised, toSession } from './rows';
import { visibleTo } from './ownership';
import { tagsOf } from './session-tags';
import { ListedSession } from '../domain/organise';
import { FullTextSql, fullTextSql } from '../../database/full-text';
import { sessionFilter } from './session-filter';
import { countMessagesOf, removeSessions, withinMessageBudget } from './session-removal';

/**
 * Sessions and messages in portable SQL on the data source (SQLite or PostgreSQL). Every query is
 * narrowed in SQL to the sessions its scope may see (`visibleTo`): a session of someone else is
 * exactly as absent as one that does not exist.
 */
@Injectable()
export class SqlSessionStore extends SessionStore {
  private readonly turns: TurnWrites;
  private readonly fts: FullTextSql;

  constructor(
    private readonly sql: Sql,
    private readonly scorer: SentimentScorer,
  ) {
    super();
    this.turns = turnWritesFor(sql, scorer);
    this.fts = fullTextSql(sql.dialect);
  }

  /** A counter shard for one transaction. */
  private shard(): number {
    return randomShard(this.sql.dialect);
  }

  startTurn(scope: Scope, sessionId: string, content: string, chatName: string, at: Date): Promise<StartedTurn | null> {
    return this.turns.startTurn(scope, sessionId, content, chatName, at);
  }

  appendMessage(scope: Scope, sessionId: string, sender: Sender, content: string, at: Date, usage?: ModelUsage): Promise<StoredMessage | null> {
    return this.turns.appendMessage(scope, sessionId, sender, content, at, usage);
  }

  async recordModelFailure(at: Date): Promise<void> {
    await new UsageCounters().modelFailed(at).apply(this.sql, this.shard());
  }

  importSession(scope: Scope, session: SessionImport): Promise<Session> {
    return this.sql.transaction((tx) => writeImport(tx, this.scorer, scope, session, this.shard()));
  }

  async sessionsAfter(scope: Scope, afterId: string | null, limit: number): Promise<ListedSession[]> {
    const owner = visibleTo(scope, 's');
    const after = afterId === null ? { sql: '', params: [] } : { sql: 'AND s.session_id > ?', params: [afterId] };
    const rows = await this.sql.all<OrganisedRow>(
      `SELECT ${ORGANISED_COLUMNS} FROM chat_sessions s WHERE ${owner.sql} ${after.sql} ORDER BY s.session_id LIMIT ?`,
      [...owner.params, ...after.params, limit],
    );
    return this.withTags(rows);
  }

  async findSession(scope: Scope, sessionId: string): Promise<Session | null> {
    const row = await this.visibleSession(this.sql, scope, sessionId);
    return row ? toSession(row) : null;
  }

  async recentMessages(scope: Scope, sessionId: string, count: number): Promise<StoredMessage[]> {
    const { where, params } = messagesOf(scope, sessionId);
    const rows = await this.sql.all<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM chat_messages m WHERE ${where} ORDER BY id DESC LIMIT ?`, [...params, count]);
    return rows.reverse().map(toMessage);
  }

  async messagePage(scope: Scope, sessionId: string, { limit, beforeId }: MessagePageQuery): Promise<MessagePage> {
    const mine = messagesOf(scope, sessionId);
    const params: SqlValue[] = [...mine.params];
    let where = mine.where;
    if (beforeId !== undefined) {
      where += ' AND m.id < ?';
      params.push(beforeId);
    }
    if (limit === undefined) {
      const rows = await this.sql.all<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM chat_messages m WHERE ${where} ORDER BY id`, params);
      return { messages: rows.map(toMessage), hasMore: false };
    }
    const rows = await this.sql.all<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM chat_messages m WHERE ${where} ORDER BY id DESC LIMIT ?`,
      [...params, limit + 1],
    );
    const hasMore = rows.length > limit;
    return { messages: rows.slice(0, limit).reverse().map(toMessage), hasMore };
  }

  async messagesFrom(scope: Scope, sessionId: string, { after, limit, order }: MessageCursorQuery): Promise<MessagePage> {
    const mine = messagesOf(scope, sessionId);
    const cursor = after === undefined ? { sql: '', params: [] } : { sql: `AND m.id ${order === 'asc' ? '>' : '<'} ?`, params: [after] };
    const rows = await this.sql.all<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM chat_messages m WHERE ${mine.where} ${cursor.sql} ORDER BY id ${order === 'asc' ? 'ASC' : 'DESC'} LIMIT ?`,
      [...mine.params, ...cursor.params, limit + 1],
    );
    return { messages: rows.slice(0, limit).map(toMessage), hasMore: rows.length > limit };
  }

  async findMessage(scope: Scope, messageId: number): Promise<StoredMessage | null> {
    const owner = visibleTo(scope, 's');
    const row = await this.sql.get<MessageRow>(
      `SELECT m.id, m.session_id, m.sender, m.content, m."timestamp" FROM chat_messages m JOIN chat_sessions s ON s.session_id = m.session_id WHERE m.id = ? AND ${owner.sql}`,
      [messageId, ...owner.params],
    );
    return row ? toMessage(row) : null;
  }

  deleteMessage(scope: Scope, sessionId: string, messageId: number): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      if (!(await this.visibleSession(tx, scope, sessionId))) return false;
      const message = await tx.get<{ timestamp: string | Date }>('SELECT "timestamp" FROM chat_messages WHERE id = ? AND session_id = ?', [messageId, sessionId]);
      if (!message) return false;
      await tx.run('DELETE FROM chat_messages WHERE id = ?', [messageId]);
      await tx.run('UPDATE chat_sessions SET message_count = message_count - 1 WHERE session_id = ?', [sessionId]);
      await new ActivityCounters().messageWritten(fromDbTime(message.timestamp), -1).apply(tx, this.shard());
      return true;
    });
  }

  clearMessages(scope: Scope, sessionId: string): Promise<number | null> {
    return this.sql.transaction(async (tx) => {
      const row = await this.visibleSession(tx, scope, sessionId);
      if (!row) return null;
      const counters = await countMessagesOf(tx, [sessionId]);
      const deleted = await tx.run('DELETE FROM chat_messages WHERE session_id = ?', [sessionId]);
      // The running summary speaks of the cleared messages: it goes with them.
      await tx.run('DELETE FROM session_summaries WHERE session_id = ?', [sessionId]);
      await tx.run('UPDATE chat_sessions SET message_count = 0 WHERE session_id = ?', [sessionId]);
      await counters.apply(tx, this.shard());
      return deleted;
    });
  }

  deleteSession(scope: Scope, sessionId: string): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const row = await this.visibleSession(tx, scope, sessionId);
      if (!row) return false;
      await removeSessions(tx, [row], this.shard());
      return true;
    });
  }

  async listSessions(scope: Scope, query: SessionListQuery): Promise<{ sessions: ListedSession[]; total: number }> {
    const { where, params } = sessionFilter(this.fts, scope, query);
    const page = pageClause(query);
    // Pinned first: with archived hidden this is the order of idx_chat_sessions_listing (and _owner_listing).
    const rows = await this.sql.all<OrganisedRow>(
      `SELECT ${ORGANISED_COLUMNS} FROM chat_sessions s ${where}
       ORDER BY pinned DESC, last_activity DESC, session_id DESC ${page.sql}`,
      [...params, ...page.params],
    );
    return { sessions: await this.withTags(rows), total: await this.total(scope, query, where, params) };
  }

  /** The sessions of these rows with their tags, read in one go. */
  private async withTags(rows: readonly OrganisedRow[]): Promise<ListedSession[]> {
    const tags = await tagsOf(this.sql, rows.map((row) => row.session_id));
    return rows.map((row) => toOrganised(row, tags.get(row.session_id) ?? []));
  }

  /** Everyone's sessions, filtered by nothing but `archived`, are counted from the totals counter and the archived index rather than a scan. */
  private async total(scope: Scope, query: SessionListQuery, where: string, params: SqlValue[]): Promise<number> {
    const onlyArchived = scope.ownerId === null && !query.text && !query.since && !query.until && !query.tag && query.pinned === undefined;
    if (!onlyArchived) return this.count(`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM chat_sessions s ${where}`, params);
    const all = 'SELECT SUM(sessions) FROM chat_totals';
    const archived = 'SELECT COUNT(*) FROM chat_sessions WHERE archived = 1';
    const sql = { include: all, only: archived, hide: `(${all}) - (${archived})` }[query.archived ?? 'hide'];
    return this.count(`SELECT CAST((${sql}) AS INTEGER) AS n`);
  }

  countIdleSince(scope: Scope, cutoff: Date): Promise<number> {
    const owner = visibleTo(scope, 's');
    return this.count(`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM chat_sessions s WHERE s.last_activity < ? AND ${owner.sql}`, [
      toDbTime(cutoff),
      ...owner.params,
    ]);
  }

  pruneIdleSince(scope: Scope, cutoff: Date, batchSize: number): Promise<string[]> {
    return this.sql.transaction(async (tx) => {
      const owner = visibleTo(scope, 's');
      const candidates = await tx.all<SessionRow>(
        `SELECT ${SESSION_COLUMNS} FROM chat_sessions s WHERE s.last_activity < ? AND ${owner.sql} ORDER BY s.last_activity LIMIT ?`,
        [toDbTime(cutoff), ...owner.params, batchSize],
      );
      const batch = withinMessageBudget(candidates);
      await removeSessions(tx, batch, this.shard());
      return batch.map((row) => row.session_id);
    });
  }

  adoptUnowned(ownerId: string): Promise<number> {
    return this.sql.run('UPDATE chat_sessions SET owner_id = ? WHERE owner_id IS NULL', [ownerId]);
  }

  private visibleSession(runner: SqlRunner, scope: Scope, sessionId: string): Promise<SessionRow | undefined> {
    const owner = visibleTo(scope, 's');
    return runner.get<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM chat_sessions s WHERE s.session_id = ? AND ${owner.sql}`, [sessionId, ...owner.params]);
  }

  private async count(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const row = await this.sql.get<{ n: number }>(sql, params);
    return Number(row?.n ?? 0);
  }
}

/** SQLite takes an OFFSET only after a LIMIT, and PostgreSQL no negative LIMIT: "no limit" is the largest safe one. */
function pageClause({ limit, offset }: SessionListQuery): { sql: string; params: SqlValue[] } {
  if (limit === undefined && offset === 0) return { sql: '', params: [] };
  return { sql: 'LIMIT ? OFFSET ?', params: [limit ?? Number.MAX_SAFE_INTEGER, offset] };
}

/** The messages of one session, if the scope may see it (`m` is chat_messages). */
function messagesOf(scope: Scope, sessionId: string): { where: string; params: SqlValue[] } {
  if (scope.ownerId === null) return { where: 'm.session_id = ?', params: [sessionId] };
  const owner = visibleTo(scope, 's');
  return {
    where: `m.session_id = ? AND EXISTS (SELECT 1 FROM chat_sessions s WHERE s.session_id = m.session_id AND ${owner.sql})`,
    params: [sessionId, ...owner.params],
  };
}
