import { Sql, SqlRunner, SqlValue } from '../../src/database/sql';

/** Runs on `inner` and keeps every statement with its parameters, to look at their plans. */
export class RecordingSql extends Sql {
  readonly statements: { sql: string; params: readonly SqlValue[] }[] = [];

  constructor(private readonly inner: Sql) {
    super();
  }

  get dialect(): Sql['dialect'] {
    return this.inner.dialect;
  }

  all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    this.statements.push({ sql, params });
    return this.inner.all<T>(sql, params);
  }

  get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    this.statements.push({ sql, params });
    return this.inner.get<T>(sql, params);
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    this.statements.push({ sql, params });
    return this.inner.run(sql, params);
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.inner.transaction(work);
  }
}
