export type SqlValue = string | number | null;

/** Statements written once with `?` placeholders, in SQL that SQLite and PostgreSQL both speak. */
export interface SqlRunner {
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

/** The data source as the adapters use it; its own DI token. */
export abstract class Sql implements SqlRunner {
  abstract readonly dialect: 'sqlite' | 'postgres';
  abstract all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  abstract get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  abstract run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  abstract transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
}
