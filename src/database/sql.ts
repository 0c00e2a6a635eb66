import type { Database, Statement } from 'better-sqlite3';
import type { DataSource, QueryRunner } from 'typeorm';

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

/** One FIFO queue: better-sqlite3 has one connection, so no two units of work may interleave on it. */
class Queue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * SQLite through TypeORM's better-sqlite3 connection, with prepared statements kept for reuse.
 * Every read and every transaction waits its turn, so a read never sees half a transaction.
 */
export class SqliteSql extends Sql {
  readonly dialect = 'sqlite';
  private readonly statements = new Map<string, Statement>();
  private readonly queue = new Queue();
  private readonly direct: SqlRunner;

  constructor(private readonly db: Database) {
    super();
    this.direct = {
      all: async <T>(sql: string, params: readonly SqlValue[] = []) => this.statement(sql).all(...params) as T[],
      get: async <T>(sql: string, params: readonly SqlValue[] = []) => this.statement(sql).get(...params) as T | undefined,
      run: async (sql, params = []) => this.statement(sql).run(...params).changes,
    };
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.queue.run(() => this.direct.all<T>(sql, params));
  }

  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.queue.run(() => this.direct.get<T>(sql, params));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.queue.run(() => this.direct.run(sql, params));
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      this.statement('BEGIN IMMEDIATE').run();
      try {
        const result = await work(this.direct);
        this.statement('COMMIT').run();
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.statement('ROLLBACK').run();
        throw error;
      }
    });
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

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
