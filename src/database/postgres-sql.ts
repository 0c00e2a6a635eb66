import type { DataSource, QueryRunner } from 'typeorm';
import { OutageLog } from '../common/outage-log';
import { Sql, SqlRunner, SqlValue } from './sql';
import { postgresFailure } from './store-failure';

/** TypeORM's PostgreSQL query runner can hand its connection back as broken; its type does not say so. */
type PostgresQueryRunner = QueryRunner & { releasePostgresConnection(error?: Error): Promise<void> };

/**
 * PostgreSQL through TypeORM's pool: `?` becomes `$n`, each transaction on its own connection.
 * A failing server (refused, reset, timed out, shut down, full, read-only) reaches callers as a
 * domain error, and the connection it happened on is dropped rather than handed to the next caller.
 */
export class PostgresSql extends Sql {
  readonly dialect = 'postgres';
  private readonly placeholders = new Map<string, string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly outage: OutageLog,
  ) {
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
    return this.withRunner(async (runner) => {
      await runner.startTransaction();
      try {
        const result = await work(this.runner(runner));
        await runner.commitTransaction();
        return result;
      } catch (error) {
        // On a broken connection there is nothing to roll back: the server drops the transaction.
        if (!postgresFailure(error)) await runner.rollbackTransaction();
        throw error;
      }
    });
  }

  private async withRunner<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner() as PostgresQueryRunner;
    let broken: Error | undefined;
    try {
      const result = await work(runner);
      this.outage.succeeded();
      return result;
    } catch (error) {
      const failure = postgresFailure(error);
      if (!failure) throw error;
      broken = failure;
      this.outage.failed(failure);
      throw failure;
    } finally {
      // A connection that timed out may still owe an answer: pg must not lend it out again.
      await runner.releasePostgresConnection(broken);
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
