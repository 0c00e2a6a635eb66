import { api, ApiError, call } from '../../api/client';
import type { BulkReply, BulkRequest } from '../../api/types';
import type { ListFilter } from './hooks';
import { readSession } from './organise';

export type BulkActionName = BulkRequest['action'];

/** What a bulk action takes: the chats a person ticked, or every chat the list's search and filters match. */
export type BulkTarget = { kind: 'selected'; ids: string[] } | { kind: 'matching'; query: string; filter: ListFilter; total: number };

/** The server filter for a target; `archived` is always set, so it is never the empty filter that needs `match_all`. */
export function bulkFilter(target: BulkTarget): BulkRequest['filter'] {
  if (target.kind === 'selected') return { session_ids: target.ids };
  const { query, filter } = target;
  return { archived: filter.archived, ...(query ? { q: query } : {}), ...(filter.tag ? { tag: filter.tag } : {}) };
}

/** Runs (or with `dryRun`, counts) an action on the target. */
export async function runBulk(target: BulkTarget, action: BulkActionName, dryRun = false): Promise<BulkReply> {
  const { data } = await call(api.POST('/api/sessions/bulk', { body: { filter: bulkFilter(target), action, dry_run: dryRun } }));
  return data;
}

export function chatsLabel(count: number): string {
  return `${count.toLocaleString('en')} ${count === 1 ? 'chat' : 'chats'}`;
}

/** Whether the session no longer exists (after a filter-wide delete, whose ids the client does not know). */
export async function isGone(sessionId: string): Promise<boolean> {
  try {
    await readSession(sessionId);
    return false;
  } catch (error) {
    return error instanceof ApiError && error.status === 404;
  }
}
