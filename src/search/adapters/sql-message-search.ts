import { Injectable } from '@nestjs/common';
import { SearchTerm } from '../../common/search-query';
import { fromDbTime } from '../../database/db-time';
import { fullTextSql, FullTextSql } from '../../database/full-text';
import { visibleTo } from '../../database/ownership';
import { Sql, SqlValue } from '../../database/sql';
import { Scope, Sender } from '../../sessions/domain/session';
import { MessageSearch, SearchHit, SearchPage } from '../domain/message-search';

interface HitRow {
  kind: number;
  message_id: number | null;
  session_id: string;
  sender: Sender | null;
  text: string;
  at: string | Date;
  chat_name: string;
}

/** The full-text index of either dialect (see database/full-text), narrowed in SQL by owner. */
@Injectable()
export class SqlMessageSearch extends MessageSearch {
  private readonly fts: FullTextSql;

  constructor(private readonly sql: Sql) {
    super();
    this.fts = fullTextSql(sql.dialect);
  }

  async search(scope: Scope, terms: readonly SearchTerm[], { limit, offset }: SearchPage): Promise<{ hits: SearchHit[]; total: number }> {
    const names = this.names(scope, terms);
    const messages = this.messages(scope, terms);
    const rows = await this.sql.all<HitRow>(
      `SELECT kind, message_id, session_id, sender, text, at, chat_name FROM (${names.sql} UNION ALL ${messages.sql}) hits
       ORDER BY kind, score, message_id DESC LIMIT ? OFFSET ?`,
      [...names.params, ...messages.params, limit, offset],
    );
    return { hits: rows.map(toHit), total: await this.count(scope, terms) };
  }

  private async count(scope: Scope, terms: readonly SearchTerm[]): Promise<number> {
    const names = this.where(scope, this.fts.namesMatch(terms));
    const messages = this.where(scope, this.fts.messagesMatch(terms));
    // Everyone's hits need no session row: counting them straight from the index is cheaper.
    const sessions = scope.ownerId === null ? '' : 'JOIN chat_sessions s ON s.session_id = m.session_id';
    const row = await this.sql.get<{ n: number | string }>(
      `SELECT (SELECT COUNT(*) FROM ${this.fts.namesFrom} WHERE ${names.sql})
            + (SELECT COUNT(*) FROM ${this.fts.messagesFrom} ${sessions} WHERE ${messages.sql}) AS n`,
      [...names.params, ...messages.params],
    );
    return Number(row?.n ?? 0);
  }

  private names(scope: Scope, terms: readonly SearchTerm[]): { sql: string; params: SqlValue[] } {
    const score = this.fts.nameScore(terms);
    const where = this.where(scope, this.fts.namesMatch(terms));
    return {
      sql: `SELECT 0 AS kind, ${score.sql} AS score, CAST(NULL AS INTEGER) AS message_id, s.session_id, CAST(NULL AS VARCHAR(5)) AS sender,
              s.chat_name AS text, s.last_activity AS at, s.chat_name FROM ${this.fts.namesFrom} WHERE ${where.sql}`,
      params: [...score.params, ...where.params],
    };
  }

  private messages(scope: Scope, terms: readonly SearchTerm[]): { sql: string; params: SqlValue[] } {
    const score = this.fts.messageScore(terms);
    const where = this.where(scope, this.fts.messagesMatch(terms));
    return {
      sql: `SELECT 1 AS kind, ${score.sql} AS score, m.id AS message_id, m.session_id, m.sender, m.content AS text, m."timestamp" AS at, s.chat_name
            FROM ${this.fts.messagesFrom} JOIN chat_sessions s ON s.session_id = m.session_id WHERE ${where.sql}`,
      params: [...score.params, ...where.params],
    };
  }

  /** The match, narrowed to the sessions (`s`) the scope may see. */
  private where(scope: Scope, match: { sql: string; params: SqlValue[] }): { sql: string; params: SqlValue[] } {
    const owner = visibleTo(scope, 's');
    return { sql: `${match.sql} AND ${owner.sql}`, params: [...match.params, ...owner.params] };
  }
}

function toHit(row: HitRow): SearchHit {
  return {
    sessionId: row.session_id,
    chatName: row.chat_name,
    messageId: row.message_id === null ? null : Number(row.message_id),
    sender: row.sender,
    text: row.text,
    timestamp: fromDbTime(row.at),
  };
}
