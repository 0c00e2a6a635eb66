import type { DataSource, QueryRunner } from 'typeorm';
import { Sql, SqlRunner, SqlValue } from './sql';

/** PostgreSQL through TypeORM's pool: `?` becomes `$n`, each transaction on its own connection. */
export class PostgresSql extends Sql {
  readonly dialect = 'postgres';
  private readonly placeholders = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.withRunner((runner) => this.runner(runner).all<T>(sql, params));
  }

  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.withRunner((runner) => this.runner(runner).get<T>(sql, params));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.withRunner((runner) => this.runner(runner).run(sql, params));
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(this.runner(manager.queryRunner!)));
  }

  private async withRunner<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await work(runner);
    } finally {
      await runner.release();
    }
  }

  private runner(runner: QueryRunner): SqlRunner {
    const query = async (sql: string, params: readonly SqlValue[] = []) => runner.query(this.numbered(sql), [...params], true);
    return {
      all: async <T>(sql: string, params?: readonly SqlValue[]) => (await query(sql, params)).records as T[],
      get: async <T>(sql: string, params?: readonly SqlValue[]) => (await query(sql, params)).records[0] as T | undefined,
      run: async (sql, params) => (await query(sql, params)).affected ?? 0,
    };
  }

  private numbered(sql: string): string {
    let converted = this.placeholders.get(sql);
    if (converted === undefined) {
      let n = 0;
      converted = sql.replace(/\?/g, () => `$${++n}`);
      this.placeholders.set(sql, converted);
    }
    return converted;
  }
}
