import { MAX_SEARCH_TERMS, parseSearchQuery } from '../../common/search-query';
import { toDbTime } from '../../database/db-time';
import { FullTextSql } from '../../database/full-text';
import { SqlValue } from '../../database/sql';
import { Scope } from '../domain/session';
import { SessionListQuery } from '../domain/session-store';
import { SqlFragment, visibleTo } from './ownership';

/** What the listing and bulk actions filter sessions by. */
export type SessionCriteria = Pick<SessionListQuery, 'text' | 'since' | 'until' | 'tag' | 'pinned' | 'archived'> & {
  /** Exclusive: sessions created before it. */
  readonly createdBefore?: Date;
};

/** The WHERE clause (on `chat_sessions s`) of sessions the scope may see that meet the criteria. */
export function sessionFilter(
  fts: FullTextSql,
  scope: Scope,
  { text, since, until, tag, pinned, archived = 'hide', createdBefore }: SessionCriteria,
): { where: string; params: SqlValue[] } {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  if (archived !== 'include') clauses.push(`s.archived = ${archived === 'only' ? 1 : 0}`);
  if (pinned !== undefined) clauses.push(`s.pinned = ${pinned ? 1 : 0}`);
  if (tag !== undefined) {
    clauses.push('EXISTS (SELECT 1 FROM session_tags t WHERE t.session_id = s.session_id AND t.tag = ?)');
    params.push(tag);
  }
  if (scope.ownerId !== null) {
    const owner = visibleTo(scope, 's');
    clauses.push(owner.sql);
    params.push(...owner.params);
  }
  if (since) {
    clauses.push('s.last_activity >= ?');
    params.push(toDbTime(since));
  }
  if (until) {
    clauses.push('s.last_activity < ?');
    params.push(toDbTime(until));
  }
  if (createdBefore) {
    clauses.push('s.created_at < ?');
    params.push(toDbTime(createdBefore));
  }
  if (text) {
    const matching = textFilter(fts, text);
    clauses.push(matching.sql);
    params.push(...matching.params);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/**
 * A chat name that holds `text` (a substring, as the contract has always matched names), or a
 * message that the full-text index finds for the words of `text`. Names keep substring matching
 * because there are few of them (one row per session) and clients search them by fragments (`50%`);
 * messages, millions of rows, are matched through the index. The index holds words only, so a
 * `text` without a letter or digit (emoji, `%`) is still looked for in messages by a scan.
 */
function textFilter(fts: FullTextSql, text: string): SqlFragment {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const name = "LOWER(s.chat_name) LIKE ? ESCAPE '\\'";
  const terms = parseSearchQuery(text).slice(0, MAX_SEARCH_TERMS);
  if (terms.length === 0) {
    return {
      sql: `(${name} OR EXISTS (SELECT 1 FROM chat_messages m WHERE m.session_id = s.session_id AND LOWER(m.content) LIKE ? ESCAPE '\\'))`,
      params: [pattern, pattern],
    };
  }
  const match = fts.messagesMatch(terms);
  return {
    sql: `(${name} OR s.session_id IN (SELECT m.session_id FROM ${fts.messageIndex} ${fts.toMessages} WHERE ${match.sql}))`,
    params: [pattern, ...match.params],
  };
}
