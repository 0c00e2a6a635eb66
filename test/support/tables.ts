import { DataSource } from 'typeorm';
import type { TestApp } from './test-app';

/** Reads the app's own tables, on whichever store it runs (PostgreSQL gives counts as strings: use Number). */
export function query<T>(t: TestApp, sql: string): Promise<T[]> {
  return t.app.get(DataSource).query(sql);
}

/** The number of rows `sql` (a `SELECT COUNT(*) AS n ...`) counts. */
export async function count(t: TestApp, sql: string): Promise<number> {
  const [row] = await query<{ n: number | string }>(t, sql);
  return Number(row.n);
}

/** Sessions whose message_count differs from their stored messages. */
export function mismatchedCounts(t: TestApp): Promise<{ session_id: string }[]> {
  return query(
    t,
    'SELECT session_id FROM chat_sessions s WHERE message_count <> (SELECT COUNT(*) FROM chat_messages m WHERE m.session_id = s.session_id)',
  );
}
