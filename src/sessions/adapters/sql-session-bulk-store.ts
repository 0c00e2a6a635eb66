import { Injectable } from '@nestjs/common';
import { fullTextSql, FullTextSql } from '../../database/full-text';
import { Sql, SqlRunner, SqlValue } from '../../database/sql';
import { BulkAction, BulkFilter, SessionBulkStore, SessionRef } from '../domain/bulk';
import { MAX_TAGS } from '../domain/organise';
import { Scope } from '../domain/session';
import { randomShard } from './activity-counters';
import { SqlFragment } from './ownership';
import { SESSION_COLUMNS, SessionRow } from './rows';
import { sessionFilter } from './session-filter';
import { placeholders, removeSessions, withinMessageBudget } from './session-removal';

/**
 * Bulk actions in portable SQL. The filter is the listing's (`sessionFilter`), so `q` matches as on
 * /api/session_names; a batch reads and changes its sessions in one transaction, so what it changes
 * is exactly what still matches then.
 */
@Injectable()
export class SqlSessionBulkStore extends SessionBulkStore {
  private readonly fts: FullTextSql;

  constructor(private readonly sql: Sql) {
    super();
    this.fts = fullTextSql(sql.dialect);
  }

  async count(scope: Scope, filter: BulkFilter, action: BulkAction): Promise<{ matched: number; affected: number }> {
    const { where, params } = this.where(scope, filter);
    const changes = changesIn(action);
    const row = await this.sql.get<{ matched: number; affected: number | null }>(
      `SELECT CAST(COUNT(*) AS INTEGER) AS matched, CAST(SUM(CASE WHEN ${changes.sql} THEN 1 ELSE 0 END) AS INTEGER) AS affected
       FROM chat_sessions s ${where}`,
      [...changes.params, ...params],
    );
    return { matched: Number(row?.matched ?? 0), affected: Number(row?.affected ?? 0) };
  }

  async sample(scope: Scope, filter: BulkFilter, action: BulkAction, limit: number): Promise<SessionRef[]> {
    const { where, params } = this.where(scope, filter, changesIn(action));
    const rows = await this.sql.all<{ session_id: string; chat_name: string }>(
      `SELECT s.session_id, s.chat_name FROM chat_sessions s ${where} ORDER BY s.pinned DESC, s.last_activity DESC, s.session_id DESC LIMIT ?`,
      [...params, limit],
    );
    return rows.map((row) => ({ sessionId: row.session_id, chatName: row.chat_name }));
  }

  applyBatch(scope: Scope, filter: BulkFilter, action: BulkAction, afterId: string | null, batchSize: number): Promise<string[]> {
    return this.sql.transaction(async (tx) => {
      const after: SqlFragment = afterId === null ? { sql: '1 = 1', params: [] } : { sql: 's.session_id > ?', params: [afterId] };
      const { where, params } = this.where(scope, filter, changesIn(action), after);
      const rows = await tx.all<SessionRow>(`SELECT ${prefixed(SESSION_COLUMNS)} FROM chat_sessions s ${where} ORDER BY s.session_id LIMIT ?`, [
        ...params,
        batchSize,
      ]);
      if (action.kind === 'delete') {
        const batch = withinMessageBudget(rows);
        await removeSessions(tx, batch, randomShard(this.sql.dialect));
        return batch.map((row) => row.session_id);
      }
      const ids = rows.map((row) => row.session_id);
      if (ids.length > 0) await change(tx, action, ids);
      return ids;
    });
  }

  private where(scope: Scope, filter: BulkFilter, ...more: SqlFragment[]): { where: string; params: SqlValue[] } {
    const base = sessionFilter(this.fts, scope, {
      tag: filter.tag,
      pinned: filter.pinned,
      text: filter.text,
      until: filter.idleBefore,
      createdBefore: filter.createdBefore,
      archived: filter.archived === undefined ? 'include' : filter.archived ? 'only' : 'hide',
    });
    const chosen: SqlFragment[] = filter.sessionIds ? [{ sql: `s.session_id IN (${placeholders(filter.sessionIds.length)})`, params: [...filter.sessionIds] }] : [];
    const parts = [{ sql: base.where.replace(/^WHERE /, ''), params: base.params }, ...chosen, ...more].filter((part) => part.sql !== '');
    if (parts.length === 0) return { where: '', params: [] };
    return { where: `WHERE ${parts.map((part) => `(${part.sql})`).join(' AND ')}`, params: parts.flatMap((part) => part.params) };
  }
}

const HAS_TAG = 'EXISTS (SELECT 1 FROM session_tags t WHERE t.session_id = s.session_id AND t.tag = ?)';

/** The sessions (of those matched) that the action changes. */
function changesIn(action: BulkAction): SqlFragment {
  switch (action.kind) {
    case 'delete':
      return { sql: '1 = 1', params: [] };
    case 'archive':
      return { sql: 's.archived = 0', params: [] };
    case 'unarchive':
      return { sql: 's.archived = 1', params: [] };
    case 'tag':
      // A session that has MAX_TAGS tags already cannot take another: it is matched, not affected.
      return { sql: `NOT ${HAS_TAG} AND (SELECT COUNT(*) FROM session_tags t WHERE t.session_id = s.session_id) < ${MAX_TAGS}`, params: [action.tag] };
    case 'untag':
      return { sql: HAS_TAG, params: [action.tag] };
  }
}

/** Applies an organising action to these sessions; each gets a new version, so ETags read before it go stale. */
async function change(tx: SqlRunner, action: Exclude<BulkAction, { kind: 'delete' }>, ids: readonly string[]): Promise<void> {
  const inList = placeholders(ids.length);
  switch (action.kind) {
    case 'archive':
    case 'unarchive':
      await tx.run(`UPDATE chat_sessions SET archived = ?, version = version + 1 WHERE session_id IN (${inList})`, [action.kind === 'archive' ? 1 : 0, ...ids]);
      return;
    case 'tag':
      // ON CONFLICT: a PATCH may have given one of them the tag since the read (PostgreSQL, READ COMMITTED).
      await tx.run(`INSERT INTO session_tags (session_id, tag) VALUES ${ids.map(() => '(?, ?)').join(', ')} ON CONFLICT DO NOTHING`, ids.flatMap((id) => [id, action.tag]));
      break;
    case 'untag':
      await tx.run(`DELETE FROM session_tags WHERE tag = ? AND session_id IN (${inList})`, [action.tag, ...ids]);
      break;
  }
  await tx.run(`UPDATE chat_sessions SET version = version + 1 WHERE session_id IN (${inList})`, ids);
}

function prefixed(columns: string): string {
  return columns
    .split(', ')
    .map((c) => `s.${c}`)
    .join(', ');
}
