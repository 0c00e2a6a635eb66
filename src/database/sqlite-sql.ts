import type { Database, Statement } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { Sql, SqlRunner, SqlValue } from './sql';

type Job =
  | { readonly kind: 'read'; readonly run: () => unknown; resolve(value: unknown): void; reject(error: unknown): void }
  | { readonly kind: 'write'; readonly work: (tx: SqlRunner) => Promise<unknown>; resolve(value: unknown): void; reject(error: unknown): void };

/** Most transactions one COMMIT carries. */
const MAX_GROUP = 64;

/**
 * SQLite through TypeORM's better-sqlite3 connection, with prepared statements kept for reuse.
 *
 * better-sqlite3 has one connection, so all work goes through one FIFO queue and a read never sees
 * half a transaction. The queue is drained once per event-loop turn, after I/O: transactions that
 * arrived together share one COMMIT (group commit), each inside its own SAVEPOINT so a failing one
 * is rolled back alone. Every caller is answered only after the COMMIT that holds its writes.
 */
export class SqliteSql extends Sql {
  readonly dialect = 'sqlite';
  private readonly statements = new Map<string, Statement>();
  private readonly direct: SqlRunner;
  private readonly jobs: Job[] = [];
  private draining = false;

  constructor(private readonly db: Database) {
    super();
    this.direct = {
      all: async <T>(sql: string, params: readonly SqlValue[] = []) => this.statement(sql).all(...params) as T[],
      get: async <T>(sql: string, params: readonly SqlValue[] = []) => this.statement(sql).get(...params) as T | undefined,
      run: async (sql, params = []) => this.statement(sql).run(...params).changes,
    };
  }

  all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.read(() => this.statement(sql).all(...params) as T[]);
  }

  get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return this.read(() => this.statement(sql).get(...params) as T | undefined);
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.read(() => this.statement(sql).run(...params).changes);
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => this.enqueue({ kind: 'write', work, resolve: resolve as (v: unknown) => void, reject }));
  }

  private read<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => this.enqueue({ kind: 'read', run, resolve: resolve as (v: unknown) => void, reject }));
  }

  private enqueue(job: Job): void {
    this.jobs.push(job);
    if (this.draining) return;
    this.draining = true;
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    while (this.jobs.length > 0) {
      const job = this.jobs[0];
      if (job.kind === 'read') {
        this.jobs.shift();
        try {
          job.resolve(job.run());
        } catch (error) {
          job.reject(error);
        }
        continue;
      }
      let end = 0;
      while (end < this.jobs.length && end < MAX_GROUP && this.jobs[end].kind === 'write') end++;
      await this.commitGroup(this.jobs.splice(0, end) as Extract<Job, { kind: 'write' }>[]);
    }
    this.draining = false;
  }

  private async commitGroup(group: Extract<Job, { kind: 'write' }>[]): Promise<void> {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.statement('BEGIN IMMEDIATE').run();
      for (const job of group) {
        this.statement('SAVEPOINT tx').run();
        let outcome: { ok: boolean; value: unknown };
        try {
          outcome = { ok: true, value: await job.work(this.direct) };
        } catch (error) {
          this.statement('ROLLBACK TO tx').run();
          outcome = { ok: false, value: error };
        }
        this.statement('RELEASE tx').run();
        outcomes.push(outcome);
      }
      this.statement('COMMIT').run();
    } catch (error) {
      // The connection itself failed (closed, disk full, I/O error): nothing of the group is kept.
      try {
        if (this.db.open && this.db.inTransaction) this.db.exec('ROLLBACK');
      } catch {
        // The connection is past saving; its callers still get their answer below.
      }
      group.forEach((job) => job.reject(error));
      return;
    }
    group.forEach((job, i) => (outcomes[i].ok ? job.resolve(outcomes[i].value) : job.reject(outcomes[i].value)));
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

/** The better-sqlite3 connection under a TypeORM data source: TypeORM does not expose it in its types. */
export function sqliteConnection(dataSource: DataSource): Database {
  if (dataSource.options.type !== 'better-sqlite3') throw new Error(`Not a better-sqlite3 data source: ${dataSource.options.type}`);
  return (dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
}
