import { fromDbTime } from '../../database/db-time';
import { SqlRunner } from '../../database/sql';
import { ActivityCounters } from './activity-counters';
import { SessionRow } from './rows';
import { UsageCounters } from './usage-counters';

/** Messages deleted in one transaction of a prune or bulk delete, at most (a single larger session still goes whole). */
const MESSAGE_BUDGET = 5_000;

/** The leading candidates whose messages fit the budget of one transaction (always at least one). */
export function withinMessageBudget<T extends Pick<SessionRow, 'message_count'>>(candidates: readonly T[]): T[] {
  const batch: T[] = [];
  let messages = 0;
  for (const row of candidates) {
    messages += Number(row.message_count);
    if (batch.length > 0 && messages > MESSAGE_BUDGET) break;
    batch.push(row);
  }
  return batch;
}

/**
 * Deletes these sessions with everything they own (messages and their full-text rows, settings,
 * summaries, tags; shares go by their foreign key) and takes them out of the counters, inside the
 * caller's transaction. The one delete path of single deletes, prunes and bulk deletes.
 */
export async function removeSessions(tx: SqlRunner, rows: readonly SessionRow[], shard: number): Promise<void> {
  if (rows.length === 0) return;
  const ids = rows.map((row) => row.session_id);
  const counters = await countMessagesOf(tx, ids);
  for (const row of rows) counters.sessionCreated(fromDbTime(row.created_at), -1);
  // Usage is history and stays; the sessions leave the hours of their last activity.
  const usage = new UsageCounters();
  for (const row of rows) usage.activityMoved(fromDbTime(row.last_activity), null);
  const inList = placeholders(ids.length);
  await tx.run(`DELETE FROM chat_messages WHERE session_id IN (${inList})`, ids);
  // SQLite runs without foreign-key enforcement: a recreated id must not inherit old settings.
  await tx.run(`DELETE FROM session_settings WHERE session_id IN (${inList})`, ids);
  await tx.run(`DELETE FROM session_summaries WHERE session_id IN (${inList})`, ids);
  await tx.run(`DELETE FROM session_tags WHERE session_id IN (${inList})`, ids);
  await tx.run(`DELETE FROM chat_sessions WHERE session_id IN (${inList})`, ids);
  await counters.apply(tx, shard);
  await usage.apply(tx, shard);
}

/** Counter changes that take away the messages of these sessions. */
export async function countMessagesOf(tx: SqlRunner, sessionIds: readonly string[]): Promise<ActivityCounters> {
  const counters = new ActivityCounters();
  const times = await tx.all<{ timestamp: string | Date }>(
    `SELECT "timestamp" FROM chat_messages WHERE session_id IN (${placeholders(sessionIds.length)})`,
    sessionIds,
  );
  for (const { timestamp } of times) counters.messageWritten(fromDbTime(timestamp), -1);
  return counters;
}

export function placeholders(count: number): string {
  return new Array<string>(count).fill('?').join(', ');
}
