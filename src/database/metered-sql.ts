import { Count, Metrics, QueryKind, secondsSince, Timing } from '../metrics/domain/metrics';
import { Sql, SqlRunner, SqlValue } from './sql';

interface Meter {
  readonly time: Timing;
  readonly failed: Count;
}

/**
 * Any Sql, timed: statements (reads and writes) and whole transactions, waiting in the adapter's
 * queue or pool included, and their failures. The statements inside a transaction are its time.
 */
export class MeteredSql extends Sql {
  readonly dialect: Sql['dialect'];
  private readonly read: Meter;
  private readonly write: Meter;
  private readonly tx: Meter;

  constructor(
    private readonly inner: Sql,
    metrics: Metrics,
  ) {
    super();
    this.dialect = inner.dialect;
    const meter = (kind: QueryKind): Meter => ({ time: metrics.query(kind), failed: metrics.queryFailed(kind) });
    this.read = meter('read');
    this.write = meter('write');
    this.tx = meter('transaction');
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return timed(this.read, performance.now(), this.inner.all<T>(sql, params));
  }

  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return timed(this.read, performance.now(), this.inner.get<T>(sql, params));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return timed(this.write, performance.now(), this.inner.run(sql, params));
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return timed(this.tx, performance.now(), this.inner.transaction(work));
  }
}

async function timed<T>(meter: Meter, started: number, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    meter.failed.inc();
    throw error;
  } finally {
    meter.time.observe(secondsSince(started));
  }
}
