import type { DataSource } from 'typeorm';
import { fromDbTime, toDbTime } from '../db-time';
import { SqlRunner, SqlValue } from '../sql';
import { sqlFor } from '../sql-for';
import { COPIED_TABLES, ColumnKind, CopiedTable, sourceColumns } from './copied-tables';
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

const ROW_COUNTS = `SELECT (SELECT COUNT(*) FROM chat_sessions) AS sessions, (SELECT COUNT(*) FROM chat_messages) AS messages,
  (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM templates) AS templates`;

type RowCounts = { sessions: number | string; messages: number | string; users?: number | string; templates?: number | string };
type Row = Record<string, SqlValue | Date>;

/**
 * Copies everything a store holds (accounts, API key hashes, sessions with their owners, messages,
 * settings, summaries), with their ids and times, from one consistent snapshot of the source into
 * the target, then recounts the target's counters from its rows and moves its id sequence past
 * every id the source handed out. The whole write is one transaction on the target: a copy that
 * fails (or is interrupted) leaves the target as it was. Memory stays flat: rows are read in keyset
 * pages and written in multi-row INSERTs.
 */
export async function copyStore(source: DataSource, target: DataSource, options: CopyOptions = {}): Promise<CopyProgress> {
  const batchSize = options.batchSize ?? 500;
  const reader = await openSnapshot(source);
  try {
    const sourceDialect = source.options.type === 'postgres' ? 'postgres' : 'sqlite';
    const columns = await sourceColumns(reader, sourceDialect);
    const counts = await sourceCounts(reader, columns);
    const highWater = await messageIdHighWater(reader, sourceDialect);
    const sql = sqlFor(target);
    return await sql.transaction(async (tx) => {
      await emptyTarget(tx, options.force ?? false);
      let progress: CopyProgress = { sessions: 0, messages: 0, totalSessions: counts.get('chat_sessions') ?? 0, totalMessages: counts.get('chat_messages') ?? 0 };
      const pass: Pass = { reader, tx, batchSize, text: sql.dialect === 'postgres' ? postgresText : (value) => value };
      for (const table of COPIED_TABLES) {
        const names = columns.get(table.table);
        if (!names) continue;
        await copyTable(pass, table, names, async (n) => {
          if (!table.progress) return;
          progress = { ...progress, [table.progress]: n };
          await options.onProgress?.(progress);
        });
      }
      await recountCounters(tx, sql.dialect);
      await continueMessageIdsAfter(tx, sql.dialect, highWater);
      await checkCopied(tx, counts);
      return progress;
    });
  } finally {
    await reader.close();
  }
}

async function sourceCounts(reader: SnapshotReader, columns: Map<string, string[]>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const table of columns.keys()) {
    const [row] = await reader.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`);
    counts.set(table, Number(row.n));
  }
  return counts;
}

async function emptyTarget(tx: SqlRunner, force: boolean): Promise<void> {
  const row = await tx.get<RowCounts>(ROW_COUNTS);
  const [sessions, messages, users, templates] = [row?.sessions, row?.messages, row?.users, row?.templates].map((n) => Number(n ?? 0));
  if (sessions === 0 && messages === 0 && users === 0 && templates === 0) return;
  if (!force) {
    const others = [users > 0 ? `, ${users} users` : '', templates > 0 ? `, ${templates} templates` : ''].join('');
    throw new CopyError(`the target is not empty (${sessions} sessions, ${messages} messages${others}): pass --force to replace its contents`);
  }
  // Children before parents, for the foreign keys.
  for (const { table } of [...COPIED_TABLES].reverse()) await tx.run(`DELETE FROM ${table}`);
}

/** What one copy pass reads from and writes to. */
interface Pass {
  readonly reader: SnapshotReader;
  readonly tx: SqlRunner;
  readonly batchSize: number;
  /** Text as the target can hold it, or a CopyError naming its owner. */
  readonly text: (value: string, owner: string) => string;
}

/** Copies the given columns of `table`, page by page in the order of its key; `copied` hears the running count. */
async function copyTable({ reader, tx, batchSize, text }: Pass, table: CopiedTable, names: readonly string[], copied: (n: number) => Promise<void>): Promise<void> {
  const list = names.map((c) => `"${c}"`).join(', ');
  const keys = typeof table.key === 'string' ? [table.key] : table.key;
  // A composite key pages as a row value: (a, b) > (?, ?), which both dialects compare in order.
  const keyList = `(${keys.map((k) => `"${k}"`).join(', ')})`;
  const kinds = keys.map((_, i) => (typeof table.keyKind === 'string' ? table.keyKind : table.keyKind[i]));
  let after: SqlValue[] = kinds.map((kind) => (kind === 'number' ? 0 : ''));
  let count = 0;
  for (;;) {
    const rows: Row[] = await reader.all<Row>(
      `SELECT ${list} FROM ${table.table} WHERE ${keyList} > (${keys.map(() => '?').join(', ')}) ORDER BY ${keys.map((k) => `"${k}"`).join(', ')} LIMIT ?`,
      [...after, batchSize],
    );
    if (rows.length === 0) return;
    const values = rows.flatMap((row) => {
      const owner = `${table.label} ${keys.map((k) => String(row[k])).join(' ')}`;
      return names.map((c) => carried(row[c], table.columns[c], owner, text));
    });
    await insertRows(tx, table.table, list, names.length, values);
    const last = rows[rows.length - 1];
    after = keys.map((k, i) => (kinds[i] === 'number' ? Number(last[k]) : String(last[k])));
    await copied((count += rows.length));
  }
}

/** A value as the target stores it; null stays null. */
function carried(value: SqlValue | Date | undefined, kind: ColumnKind, owner: string, text: Pass['text']): SqlValue {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'text':
      return text(String(value), owner);
    case 'time':
      return dbTime(value as string | Date, owner);
    case 'number':
      return Number(value);
  }
}

async function insertRows(tx: SqlRunner, table: string, list: string, width: number, values: readonly SqlValue[]): Promise<void> {
  const row = `(${new Array<string>(width).fill('?').join(', ')})`;
  const rows = new Array<string>(values.length / width).fill(row).join(', ');
  await tx.run(`INSERT INTO ${table} (${list}) VALUES ${rows}`, values);
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

/** The recount must find the source's rows, and every table as many rows as the source had. */
async function checkCopied(tx: SqlRunner, expected: Map<string, number>): Promise<void> {
  const totals = await tx.get<RowCounts>('SELECT SUM(sessions) AS sessions, SUM(messages) AS messages FROM chat_totals');
  const sessions = Number(totals?.sessions);
  const messages = Number(totals?.messages);
  const [totalSessions, totalMessages] = [expected.get('chat_sessions') ?? 0, expected.get('chat_messages') ?? 0];
  if (sessions !== totalSessions || messages !== totalMessages) {
    throw new CopyError(`the target counted ${sessions} sessions and ${messages} messages after the copy, the source ${totalSessions} and ${totalMessages}`);
  }
  for (const [table, n] of expected) {
    const row = await tx.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`);
    if (Number(row?.n) !== n) throw new CopyError(`the target holds ${Number(row?.n)} rows of ${table} after the copy, the source ${n}`);
  }
}
