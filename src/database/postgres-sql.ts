import type { DataSource } from 'typeorm';
import type { Pool, QueryConfig } from 'pg';
import { OutageLog } from '../common/outage-log';
import { Sql, SqlRunner, SqlValue } from './sql';
import { postgresFailure, provesWrites } from './store-failure';

/** Statement names are per connection, and several runners may share a pool: number them per process. */
let statementsNamed = 0;

interface Queryable {
  query<R>(config: QueryConfig): Promise<{ rows: R[]; rowCount: number | null }>;
}

/**
 * PostgreSQL on the pg pool under TypeORM's data source, without TypeORM's query runner: each
 * statement is prepared once per connection (a named statement, `?` turned into `$n`) and a
 * transaction is BEGIN … COMMIT on one pooled client. TypeORM's runner cost about ten times the
 * CPU of the query itself per statement, and a turn runs a dozen.
 *
 * A failing server (refused, reset, timed out, shut down, full, read-only) reaches callers as a
 * domain error, said once per outage, and the client it happened on is dropped, not lent again.
 */
export class PostgresSql extends Sql {
  readonly dialect = 'postgres';
  private readonly statements = new Map<string, { name: string; text: string }>();

  constructor(
    private readonly pool: Pool,
    private readonly outage: OutageLog,
  ) {
    super();
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.watched(() => this.on(this.pool).all<T>(sql, params), provesWrites(sql));
  }

  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.watched(() => this.on(this.pool).get<T>(sql, params), provesWrites(sql));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.watched(() => this.on(this.pool).run(sql, params), provesWrites(sql));
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.watched(() => this.inTransaction(work), true);
  }

  /**
   * Driver failures that mean the server is failing become domain errors; the outage is said once.
   * Only a write ends it: reads still work on a full or read-only database.
   */
  private async watched<T>(call: () => Promise<T>, write: boolean): Promise<T> {
    try {
      const result = await call();
      if (write) this.outage.succeeded();
      return result;
    } catch (error) {
      const failure = postgresFailure(error);
      if (!failure) throw error;
      this.outage.failed(failure);
      throw failure;
    }
  }

  private async inTransaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A client whose BEGIN, COMMIT or ROLLBACK failed is past trusting: the pool drops it.
    let broken: Error | undefined;
    try {
      await client.query('BEGIN').catch((error: Error) => {
        throw (broken = error);
      });
      let result: T;
      try {
        result = await work(this.on(client));
      } catch (error) {
        // A client that timed out may still owe an answer: rolling back on it would wait behind that.
        if (postgresFailure(error)) broken = error as Error;
        else await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      }
      await client.query('COMMIT').catch((error: Error) => {
        throw (broken = error);
      });
      return result;
    } finally {
      client.release(broken);
    }
  }

  private on(target: Queryable): SqlRunner {
    return {
      all: async <T>(sql: string, params?: readonly SqlValue[]) => (await target.query<T>(this.statement(sql, params))).rows,
      get: async <T>(sql: string, params?: readonly SqlValue[]) => (await target.query<T>(this.statement(sql, params))).rows[0],
      run: async (sql, params) => (await target.query(this.statement(sql, params))).rowCount ?? 0,
    };
  }

  private statement(sql: string, params: readonly SqlValue[] = []): QueryConfig {
    let prepared = this.statements.get(sql);
    if (prepared === undefined) {
      let n = 0;
      prepared = { name: `s${++statementsNamed}`, text: sql.replace(/\?/g, () => `$${++n}`) };
      this.statements.set(sql, prepared);
    }
    return { name: prepared.name, text: prepared.text, values: [...params] };
  }
}

/** The pg pool under a TypeORM PostgreSQL data source: TypeORM does not expose it in its types. */
export function postgresPool(dataSource: DataSource): Pool {
  if (dataSource.options.type !== 'postgres') throw new Error(`Not a PostgreSQL data source: ${dataSource.options.type}`);
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool) throw new Error('The PostgreSQL data source is not initialized.');
  return pool;
}
