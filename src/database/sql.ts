export type SqlValue = string | number | null;

/** Statements written once with `?` placeholders, in SQL that SQLite and PostgreSQL both speak. */
export interface SqlRunner {
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Only in a transaction that shares its commit with others (SQLite's group commit): `changes` are
   * kept, added to those of the group's other transactions that succeed, and written once, just
   * before the commit that holds them all. Use `writeAtCommit`, which writes at once elsewhere.
   */
  atCommit?(changes: Foldable): void;
}

/** Changes to shared rows (counters) that add up: two transactions' changes written once equal both written. */
export interface Foldable {
  /** Adds the changes of `other`, which is of the same class. */
  absorb(other: this): void;
  write(tx: SqlRunner): Promise<void>;
}

/** Writes `changes` with the transaction `tx`: folded into its group's commit where there is one, else now. */
export async function writeAtCommit(tx: SqlRunner, changes: Foldable): Promise<void> {
  if (tx.atCommit) tx.atCommit(changes);
  else await changes.write(tx);
}

/** The data source as the adapters use it; its own DI token. */
export abstract class Sql implements SqlRunner {
  abstract readonly dialect: 'sqlite' | 'postgres';
  abstract all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  abstract get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  abstract run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  abstract transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
}
