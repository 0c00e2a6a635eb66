import type { Database } from 'better-sqlite3';
import type { DataSource, QueryRunner } from 'typeorm';
import { SqlValue } from '../sql';
import { sqliteConnection } from '../sqlite-sql';

/** Reads from one consistent snapshot of a store while others keep writing to it. */
export interface SnapshotReader {
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  close(): Promise<void>;
}

export function openSnapshot(dataSource: DataSource): Promise<SnapshotReader> {
  return dataSource.options.type === 'postgres' ? postgresSnapshot(dataSource.createQueryRunner()) : sqliteSnapshot(sqliteConnection(dataSource));
}

/** A read-only REPEATABLE READ transaction: every query sees the database as of its first one. */
async function postgresSnapshot(runner: QueryRunner): Promise<SnapshotReader> {
  try {
    await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  } catch (error) {
    await runner.release();
    throw error;
  }
  return {
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => (await runner.query(numbered(sql), [...params])) as T[],
    close: async () => {
      try {
        await runner.query('COMMIT');
      } finally {
        await runner.release();
      }
    },
  };
}

/**
 * A deferred read transaction: in WAL mode it holds its snapshot without blocking the writer.
 * better-sqlite3 reads synchronously: each page first yields to the event loop, so a long copy
 * does not starve the process's other work.
 */
async function sqliteSnapshot(db: Database): Promise<SnapshotReader> {
  db.exec('BEGIN DEFERRED');
  return {
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => {
      await new Promise((resolve) => setImmediate(resolve));
      return db.prepare(sql).all(...params) as T[];
    },
    close: async () => {
      if (db.open && db.inTransaction) db.exec('COMMIT');
    },
  };
}

function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
