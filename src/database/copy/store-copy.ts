import type { DataSource } from 'typeorm';
import { fromDbTime, toDbTime } from '../db-time';
import { SqlRunner, SqlValue } from '../sql';
import { sqlFor } from '../sql-for';
import { recountCounters } from './counters';
import { messageIdHighWater, continueMessageIdsAfter } from './message-ids';
import { openSnapshot, SnapshotReader } from './snapshot-reader';

export interface CopyProgress {
  readonly sessions: number;
  readonly messages: number;
  readonly totalSessions: number;
  readonly totalMessages: number;
}

export interface CopyOptions {
  /** Replace what the target holds instead of refusing a non-empty target. */
  readonly force?: boolean;
  /** Rows per multi-row INSERT (and per read page). */
  readonly batchSize?: number;
  /** Called after every batch; the copy waits for it, so a slow reporter slows the copy instead of piling up. */
  readonly onProgress?: (progress: CopyProgress) => void | Promise<void>;
}

/** A copy that was refused or failed its own checks; the target was left as it was. */
export class CopyError extends Error {
  override name = 'CopyError';
}

const SESSION_COLUMNS = ['session_id', 'chat_name', 'created_at', 'last_activity', 'message_count'];
const MESSAGE_COLUMNS = ['id', 'session_id', 'sender', 'content', '"timestamp"'];

const ROW_COUNTS = 'SELECT (SELECT COUNT(*) FROM chat_sessions) AS sessions, (SELECT COUNT(*) FROM chat_messages) AS messages';

type RowCounts = { sessions: number | string; messages: number | string };

interface SessionRow {
  session_id: string;
  chat_name: string;
  created_at: string | Date;
  last_activity: string | Date;
  message_count: number;
}

interface MessageRow {
  id: number;
  session_id: string;
  sender: string;
  content: string;
  timestamp: string | Date;
}

/**
 * Copies every session and message, with their ids and times, from one consistent snapshot of the
 * source into the target, then recounts the target's counters from its rows and moves its id sequence
 * past every id the source handed out. The whole write is one transaction on the target: a copy that
 * fails (or is interrupted) leaves the target as it was. Memory stays flat: rows are read in keyset
 * pages and written in multi-row INSERTs.
 */
export async function copyStore(source: DataSource, target: DataSource, options: CopyOptions = {}): Promise<CopyProgress> {
  const batchSize = options.batchSize ?? 500;
  const reader = await openSnapshot(source);
  try {
    const totals = await sourceTotals(reader);
    const highWater = await messageIdHighWater(reader, source.options.type === 'postgres' ? 'postgres' : 'sqlite');
    const sql = sqlFor(target);
    return await sql.transaction(async (tx) => {
      await emptyTarget(tx, options.force ?? false);
      let progress: CopyProgress = { sessions: 0, messages: 0, ...totals };
      const report = async (change: Partial<CopyProgress>) => {
        progress = { ...progress, ...change };
        await options.onProgress?.(progress);
      };
      const pass: Pass = { reader, tx, batchSize, text: sql.dialect === 'postgres' ? postgresText : (value) => value };
      await copySessions(pass, (sessions) => report({ sessions }));
      await copyMessages(pass, (messages) => report({ messages }));
      await recountCounters(tx, sql.dialect);
      await continueMessageIdsAfter(tx, sql.dialect, highWater);
      await checkCopied(tx, totals);
      return progress;
    });
  } finally {
    await reader.close();
  }
}

async function sourceTotals(reader: SnapshotReader): Promise<{ totalSessions: number; totalMessages: number }> {
  const [row] = await reader.all<RowCounts>(ROW_COUNTS);
  return { totalSessions: Number(row.sessions), totalMessages: Number(row.messages) };
}

async function emptyTarget(tx: SqlRunner, force: boolean): Promise<void> {
  const row = await tx.get<RowCounts>(ROW_COUNTS);
  const sessions = Number(row?.sessions ?? 0);
  const messages = Number(row?.messages ?? 0);
  if (sessions === 0 && messages === 0) return;
  if (!force) {
    throw new CopyError(`the target is not empty (${sessions} sessions, ${messages} messages): pass --force to replace its contents`);
  }
  await tx.run('DELETE FROM chat_messages');
  await tx.run('DELETE FROM chat_sessions');
}

/** What one copy pass reads from and writes to. */
interface Pass {
  readonly reader: SnapshotReader;
  readonly tx: SqlRunner;
  readonly batchSize: number;
  /** Text as the target can hold it, or a CopyError naming its owner. */
  readonly text: (value: string, owner: string) => string;
}

async function copySessions({ reader, tx, batchSize, text }: Pass, copied: (n: number) => Promise<void>): Promise<void> {
  let after = '';
  let count = 0;
  for (;;) {
    const rows = await reader.all<SessionRow>(
      `SELECT ${SESSION_COLUMNS.join(', ')} FROM chat_sessions WHERE session_id > ? ORDER BY session_id LIMIT ?`,
      [after, batchSize],
    );
    if (rows.length === 0) return;
    const values = rows.flatMap((r) => [
      r.session_id,
      text(r.chat_name, `session ${r.session_id}`),
      dbTime(r.created_at, `session ${r.session_id}`),
      dbTime(r.last_activity, `session ${r.session_id}`),
      Number(r.message_count),
    ]);
    await insertRows(tx, 'chat_sessions', SESSION_COLUMNS, values);
    after = rows[rows.length - 1].session_id;
    await copied((count += rows.length));
  }
}

async function copyMessages({ reader, tx, batchSize, text }: Pass, copied: (n: number) => Promise<void>): Promise<void> {
  let after = 0;
  let count = 0;
  for (;;) {
    const rows = await reader.all<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS.join(', ')} FROM chat_messages WHERE id > ? ORDER BY id LIMIT ?`,
      [after, batchSize],
    );
    if (rows.length === 0) return;
    const values = rows.flatMap((r) => [Number(r.id), r.session_id, r.sender, text(r.content, `message ${r.id}`), dbTime(r.timestamp, `message ${r.id}`)]);
    await insertRows(tx, 'chat_messages', MESSAGE_COLUMNS, values);
    after = Number(rows[rows.length - 1].id);
    await copied((count += rows.length));
  }
}

async function insertRows(tx: SqlRunner, table: string, columns: readonly string[], values: readonly SqlValue[]): Promise<void> {
  const row = `(${columns.map(() => '?').join(', ')})`;
  const rows = new Array<string>(values.length / columns.length).fill(row).join(', ');
  await tx.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${rows}`, values);
}

/** PostgreSQL text cannot hold NUL, which SQLite stores; say which row instead of the driver's byte dump. */
function postgresText(value: string, owner: string): string {
  if (value.includes('\u0000')) throw new CopyError(`${owner} holds a NUL character, which PostgreSQL text cannot store`);
  return value;
}

/** Both stores keep times as the app writes them: ISO strings to the millisecond. */
function dbTime(value: string | Date, owner: string): string {
  const date = fromDbTime(value);
  if (Number.isNaN(date.getTime())) throw new CopyError(`${owner} has an unreadable time: ${String(value)}`);
  return toDbTime(date);
}

async function checkCopied(tx: SqlRunner, expected: { totalSessions: number; totalMessages: number }): Promise<void> {
  const totals = await tx.get<RowCounts>('SELECT SUM(sessions) AS sessions, SUM(messages) AS messages FROM chat_totals');
  const sessions = Number(totals?.sessions);
  const messages = Number(totals?.messages);
  if (sessions !== expected.totalSessions || messages !== expected.totalMessages) {
    throw new CopyError(
      `the target counted ${sessions} sessions and ${messages} messages after the copy, the source ${expected.totalSessions} and ${expected.totalMessages}`,
    );
  }
}
