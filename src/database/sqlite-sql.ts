import type { Database, Statement } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { OutageLog } from '../common/outage-log';
import { Foldable, Sql, SqlRunner, SqlValue } from './sql';
import { provesWrites, sqliteFailure } from './store-failure';

type Job =
  | { readonly kind: 'read'; readonly run: () => unknown; readonly write: boolean; resolve(value: unknown): void; reject(error: unknown): void }
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
 * A failing file or disk (read-only, full, I/O error, closed) reaches callers as a domain error.
 */
export class SqliteSql extends Sql {
  readonly dialect = 'sqlite';
  private readonly statements = new Map<string, Statement>();
  private readonly direct: SqlRunner;
  private readonly jobs: Job[] = [];
  private draining = false;

  constructor(
    private readonly db: Database,
    private readonly outage: OutageLog,
  ) {
    super();
    this.direct = {
      all: async <T>(sql: string, params: readonly SqlValue[] = []) => this.statement(sql).all(...params) as T[],
      get: async <T>(sql: string, params: readonly SqlValue[] = []) => this.statement(sql).get(...params) as T | undefined,
      run: async (sql, params = []) => this.statement(sql).run(...params).changes,
    };
  }

  all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.read(sql, () => this.statement(sql).all(...params) as T[]);
  }

  get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return this.read(sql, () => this.statement(sql).get(...params) as T | undefined);
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.read(sql, () => this.statement(sql).run(...params).changes);
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => this.enqueue({ kind: 'write', work, resolve: resolve as (v: unknown) => void, reject }));
  }

  private read<T>(sql: string, run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => this.enqueue({ kind: 'read', run, write: provesWrites(sql), resolve: resolve as (v: unknown) => void, reject }));
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
          // A SELECT that works says nothing of writes (a full or read-only file): it ends no outage.
          if (job.write) this.outage.succeeded();
        } catch (error) {
          job.reject(this.failure(error));
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
    // The counter changes of the group's transactions that succeeded, one per kind, written before COMMIT.
    const folded = new Map<unknown, Foldable>();
    try {
      this.statement('BEGIN IMMEDIATE').run();
      for (const job of group) {
        this.statement('SAVEPOINT tx').run();
        const kept: Foldable[] = [];
        let outcome: { ok: boolean; value: unknown };
        try {
          outcome = { ok: true, value: await job.work({ ...this.direct, atCommit: (changes) => void kept.push(changes) }) };
        } catch (error) {
          // On some errors (full, I/O) SQLite has rolled the whole transaction back: the group is lost.
          if (!this.db.inTransaction) throw error;
          this.statement('ROLLBACK TO tx').run();
          outcome = { ok: false, value: error };
        }
        this.statement('RELEASE tx').run();
        // A transaction rolled back to its savepoint leaves no changes, counters included.
        if (outcome.ok) for (const changes of kept) fold(folded, changes);
        outcomes.push(outcome);
      }
      // One upsert per counter row for the whole group; if it fails, so does the group, as COMMIT would.
      for (const changes of folded.values()) await changes.write(this.direct);
      this.statement('COMMIT').run();
    } catch (error) {
      // The connection itself failed (closed, disk full, I/O error): nothing of the group is kept.
      try {
        if (this.db.open && this.db.inTransaction) this.db.exec('ROLLBACK');
      } catch {
        // The connection is past saving; its callers still get their answer below.
      }
      const failure = this.failure(error);
      group.forEach((job) => job.reject(failure));
      return;
    }
    // A write refused inside its savepoint (read-only, full) fails that caller while COMMIT succeeds.
    const failures = outcomes.map(({ ok, value }) => (ok ? undefined : sqliteFailure(value)));
    const failure = failures.find((f) => f !== undefined);
    if (failure) this.outage.failed(failure);
    else this.outage.succeeded();
    group.forEach((job, i) => (outcomes[i].ok ? job.resolve(outcomes[i].value) : job.reject(failures[i] ?? outcomes[i].value)));
  }

  /** A driver error that means the file or disk is failing, as a domain error (said once per outage). */
  private failure(error: unknown): unknown {
    const failure = sqliteFailure(error);
    if (!failure) return error;
    this.outage.failed(failure);
    return failure;
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

function fold(folded: Map<unknown, Foldable>, changes: Foldable): void {
  const kind = changes.constructor;
  const into = folded.get(kind);
  if (into) into.absorb(changes);
  else folded.set(kind, changes);
}
