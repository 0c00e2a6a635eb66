import { Injectable } from '@nestjs/common';
import { SearchTerm } from '../../common/search-query';
import { fromDbTime } from '../../database/db-time';
import { fullTextSql, FullTextSql } from '../../database/full-text';
import { SqlFragment, visibleTo } from '../../database/ownership';
import { Sql, SqlValue } from '../../database/sql';
import { Scope, Sender } from '../../sessions/domain/session';
import { MessageSearch, SearchHit, SearchPage } from '../domain/message-search';

/**
 * Matching messages ranked by relevance, at most: the newest this many. Ranking reads every hit it
 * ranks, so a common word (hundreds of thousands of hits) would take seconds; past the window, older
 * hits follow newest first, which is also what a person scrolling back through a chat expects.
 */
export const RANK_WINDOW = 1_000;

interface MessageRow {
  id: number;
  session_id: string;
  sender: Sender;
  content: string;
  timestamp: string | Date;
  chat_name: string;
}

interface NameRow {
  session_id: string;
  chat_name: string;
  last_activity: string | Date;
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
    const names = this.where(scope, this.fts.namesMatch(terms));
    const nameTotal = await this.count(`SELECT COUNT(*) AS n FROM ${this.fts.namesFrom} WHERE ${names.sql}`, names.params);
    const nameHits = offset < nameTotal ? await this.names(scope, terms, limit, offset) : [];
    const messages = this.messageHits(scope, terms);
    const messageTotal = await this.count(`SELECT COUNT(*) AS n FROM ${messages.from} WHERE ${messages.where.sql}`, messages.where.params);
    const skip = Math.max(0, offset - nameTotal);
    const take = limit - nameHits.length;
    const ids = take > 0 && skip < messageTotal ? await this.rankedIds(messages, messageTotal, take, skip) : [];
    return { hits: [...nameHits, ...(await this.messagesById(ids))], total: nameTotal + messageTotal };
  }

  private async names(scope: Scope, terms: readonly SearchTerm[], limit: number, offset: number): Promise<SearchHit[]> {
    const score = this.fts.nameScore(terms);
    const where = this.where(scope, this.fts.namesMatch(terms));
    const rows = await this.sql.all<NameRow>(
      `SELECT s.session_id, s.chat_name, s.last_activity FROM ${this.fts.namesFrom} WHERE ${where.sql}
       ORDER BY ${score.sql}, s.last_activity DESC LIMIT ? OFFSET ?`,
      [...where.params, ...score.params, limit, offset],
    );
    return rows.map((r) => ({ sessionId: r.session_id, chatName: r.chat_name, messageId: null, sender: null, text: r.chat_name, timestamp: fromDbTime(r.last_activity) }));
  }

  /** The message hits a scope may see: straight from the index for everyone, through the session rows otherwise. */
  private messageHits(scope: Scope, terms: readonly SearchTerm[]): { from: string; where: SqlFragment; score: SqlFragment } {
    const sessions = scope.ownerId === null ? '' : `${this.fts.toMessages} JOIN chat_sessions s ON s.session_id = m.session_id`;
    return { from: `${this.fts.messageIndex} ${sessions}`, where: this.where(scope, this.fts.messagesMatch(terms)), score: this.fts.messageScore(terms) };
  }

  /** Ids of a page of message hits: the newest RANK_WINDOW by relevance, then the older ones newest first. */
  private async rankedIds(hits: { from: string; where: SqlFragment; score: SqlFragment }, total: number, take: number, skip: number): Promise<number[]> {
    const id = this.fts.hitId;
    const byRecency = (extra: string, params: SqlValue[], limit: number, offset: number) =>
      this.sql.all<{ id: number }>(`SELECT ${id} AS id FROM ${hits.from} WHERE ${hits.where.sql} ${extra} ORDER BY ${id} DESC LIMIT ? OFFSET ?`, [
        ...hits.where.params,
        ...params,
        limit,
        offset,
      ]);
    // The oldest hit inside the window: ranking looks at hits from it on.
    const floor = total > RANK_WINDOW ? (await byRecency('', [], 1, RANK_WINDOW - 1))[0]?.id : undefined;
    const window = floor === undefined ? [] : [floor];
    const ranked =
      skip < RANK_WINDOW
        ? await this.sql.all<{ id: number }>(
            `SELECT ${id} AS id FROM ${hits.from} WHERE ${hits.where.sql} ${floor === undefined ? '' : `AND ${id} >= ?`}
             ORDER BY ${hits.score.sql}, ${id} DESC LIMIT ? OFFSET ?`,
            [...hits.where.params, ...window, ...hits.score.params, Math.min(take, RANK_WINDOW - skip), skip],
          )
        : [];
    const rest = take - ranked.length;
    const older = floor !== undefined && rest > 0 ? await byRecency(`AND ${id} < ?`, [floor], rest, Math.max(0, skip - RANK_WINDOW)) : [];
    return [...ranked, ...older].map((r) => Number(r.id));
  }

  /** The messages of these ids, in this order, with their chat names. */
  private async messagesById(ids: number[]): Promise<SearchHit[]> {
    if (ids.length === 0) return [];
    const rows = await this.sql.all<MessageRow>(
      `SELECT m.id, m.session_id, m.sender, m.content, m."timestamp", s.chat_name FROM chat_messages m
       JOIN chat_sessions s ON s.session_id = m.session_id WHERE m.id IN (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      return r ? [{ sessionId: r.session_id, chatName: r.chat_name, messageId: id, sender: r.sender, text: r.content, timestamp: fromDbTime(r.timestamp) }] : [];
    });
  }

  /** The match, narrowed to the sessions (`s`) the scope may see. */
  private where(scope: Scope, match: SqlFragment): SqlFragment {
    const owner = visibleTo(scope, 's');
    return { sql: `${match.sql} AND ${owner.sql}`, params: [...match.params, ...owner.params] };
  }

  private async count(sql: string, params: SqlValue[]): Promise<number> {
    const row = await this.sql.get<{ n: number | string }>(sql, params);
    return Number(row?.n ?? 0);
  }
}
