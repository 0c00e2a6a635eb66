import { SqlValue } from '../../database/sql';
import { Scope } from '../domain/session';

export interface SqlFragment {
  readonly sql: string;
  readonly params: SqlValue[];
}

/**
 * The one place a query is narrowed to the sessions a scope may see: a condition on the
 * `chat_sessions` row aliased `alias`. Today a session has one owner (`owner_id`); when sessions
 * get several members this becomes an EXISTS over the membership table, and no query changes.
 * EVERYONE (admin routes, AUTH_MODE=off) sees every session.
 */
export function visibleTo(scope: Scope, alias: string): SqlFragment {
  return scope.ownerId === null ? { sql: '1 = 1', params: [] } : { sql: `${alias}.owner_id = ?`, params: [scope.ownerId] };
}
