import { SqlValue } from './sql';

export interface SqlFragment {
  readonly sql: string;
  readonly params: SqlValue[];
}

/**
 * The one place a query is narrowed to the sessions a scope may see: a condition on the
 * `chat_sessions` row aliased `alias`. Today a session has one owner (`owner_id`); when sessions
 * get several members this becomes an EXISTS over the membership table, and no query changes.
 * A null owner (admin routes, AUTH_MODE=off) sees every session. The scope is taken structurally
 * (a sessions `Scope`) so that every module's adapters can use it.
 */
export function visibleTo(scope: { readonly ownerId: string | null }, alias: string): SqlFragment {
  return scope.ownerId === null ? { sql: '1 = 1', params: [] } : { sql: `${alias}.owner_id = ?`, params: [scope.ownerId] };
}
