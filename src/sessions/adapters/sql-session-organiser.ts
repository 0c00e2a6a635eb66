import { Injectable } from '@nestjs/common';
import { toDbTime } from '../../database/db-time';
import { Sql, SqlRunner, SqlValue } from '../../database/sql';
import { OrganiseChange, OrganisedSession, OrganiseResult, SessionOrganiser, VersionTag } from '../domain/organise';
import { Scope } from '../domain/session';
import { visibleTo } from './ownership';
import { ORGANISED_COLUMNS, OrganisedRow, toOrganised } from './rows';
import { replaceTags, tagsOf } from './session-tags';

/**
 * Rename, pin, archive and tag in portable SQL. The If-Match check is the UPDATE's own WHERE (no
 * read-then-write): of two changes made with the same version, exactly one matches the row.
 */
@Injectable()
export class SqlSessionOrganiser extends SessionOrganiser {
  constructor(private readonly sql: Sql) {
    super();
  }

  find(scope: Scope, sessionId: string): Promise<OrganisedSession | null> {
    return this.read(this.sql, scope, sessionId);
  }

  change(scope: Scope, sessionId: string, change: OrganiseChange, expected: readonly VersionTag[] | null): Promise<OrganiseResult> {
    return this.sql.transaction(async (tx) => {
      const sets = ['version = version + 1'];
      const params: SqlValue[] = [];
      const fields: [string, SqlValue | undefined][] = [['chat_name', change.chatName], ['pinned', flag(change.pinned)], ['archived', flag(change.archived)]];
      for (const [column, value] of fields) {
        if (value === undefined) continue;
        sets.push(`${column} = ?`);
        params.push(value);
      }
      const owner = visibleTo(scope, 'chat_sessions');
      const match = versionMatch(expected);
      const updated = await tx.run(`UPDATE chat_sessions SET ${sets.join(', ')} WHERE session_id = ? AND ${owner.sql} AND ${match.sql}`, [
        ...params,
        sessionId,
        ...owner.params,
        ...match.params,
      ]);
      if (updated === 0) return { kind: (await this.read(tx, scope, sessionId)) ? 'stale' : 'missing' };
      if (change.tags !== undefined) await replaceTags(tx, sessionId, change.tags);
      const session = await this.read(tx, scope, sessionId);
      return session ? { kind: 'changed', session } : { kind: 'missing' };
    });
  }

  private async read(runner: SqlRunner, scope: Scope, sessionId: string): Promise<OrganisedSession | null> {
    const owner = visibleTo(scope, 's');
    const row = await runner.get<OrganisedRow>(`SELECT ${ORGANISED_COLUMNS} FROM chat_sessions s WHERE s.session_id = ? AND ${owner.sql}`, [sessionId, ...owner.params]);
    if (!row) return null;
    return toOrganised(row, (await tagsOf(runner, [sessionId])).get(sessionId) ?? []);
  }
}

function flag(value: boolean | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

/** The row still has one of the expected versions (and the creation time: a recreated id starts over at 0). */
function versionMatch(expected: readonly VersionTag[] | null): { sql: string; params: SqlValue[] } {
  if (expected === null) return { sql: '1 = 1', params: [] };
  if (expected.length === 0) return { sql: '1 = 0', params: [] };
  return {
    sql: `(${expected.map(() => '(version = ? AND created_at = ?)').join(' OR ')})`,
    params: expected.flatMap((e) => [e.version, toDbTime(e.createdAt)]),
  };
}
