import Database from 'better-sqlite3';
import { StorageFullError, StoreUnavailableError } from '../common/domain-error';
import { OutageLog } from '../common/outage-log';
import { Foldable, SqlRunner, writeAtCommit } from './sql';
import { SqliteSql } from './sqlite-sql';

describe(SqliteSql.name, () => {
  let db: Database.Database;
  let sql: SqliteSql;
  let lines: string[];

  beforeEach(() => {
    db = new Database(':memory:');
    db.exec('CREATE TABLE t (x TEXT NOT NULL)');
    lines = [];
    sql = new SqliteSql(db, new OutageLog('Database', { warn: (m) => lines.push(m), log: (m) => lines.push(m) }));
  });
  afterEach(() => db.open && db.close());

  const insert = (value: string) => sql.transaction((tx) => tx.run('INSERT INTO t (x) VALUES (?)', [value]));
  const settle = <T>(work: Promise<T>[]) => Promise.allSettled(work);

  it('should answer every caller of a group that cannot be stored with storage_full, keep nothing, and carry on', async () => {
    await insert('small');
    db.pragma('max_page_count = 1');
    const outcomes = await settle(Array.from({ length: 20 }, (_, i) => insert(`${i}`.padEnd(10_000, 'x'))));
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).constructor.name : 'stored'))).toEqual(new Array(20).fill(StorageFullError.name));
    expect(await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM t')).toEqual({ n: 1 });

    db.pragma('max_page_count = 1073741823');
    await Promise.all(Array.from({ length: 5 }, (_, i) => insert(`again ${i}`)));
    expect(await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM t')).toEqual({ n: 6 });
    expect(lines).toEqual([expect.stringMatching(/^Database is failing: The database has no room/), expect.stringMatching(/^Database recovered/)]);
  });

  it('should answer reads and writes with store_unavailable once the connection is closed', async () => {
    db.close();
    const outcomes = await settle<unknown>([insert('a'), sql.get('SELECT 1'), insert('b')]);
    expect(outcomes.map((o) => o.status === 'rejected' && o.reason instanceof StoreUnavailableError)).toEqual([true, true, true]);
    expect(lines).toHaveLength(1);
  });

  it('should leave a failing statement of ours as it is, and keep the other transactions of its group', async () => {
    const outcomes = await settle([insert('kept'), sql.transaction((tx) => tx.run('INSERT INTO nowhere VALUES (1)')), insert('kept too')]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).not.toBeInstanceOf(StoreUnavailableError);
    expect(await sql.all('SELECT x FROM t ORDER BY x')).toEqual([{ x: 'kept' }, { x: 'kept too' }]);
    expect(lines).toEqual([]);
  });

  describe('changes folded into the commit', () => {
    /** A counter row `total` and the statements that wrote it. */
    class Total implements Foldable {
      static writes = 0;
      constructor(private amount: number) {}
      absorb(other: Total): void {
        this.amount += other.amount;
      }
      async write(tx: SqlRunner): Promise<void> {
        Total.writes++;
        await tx.run('UPDATE total SET n = n + ?', [this.amount]);
      }
    }
    const adding = (amount: number, fail = false) =>
      sql.transaction(async (tx) => {
        await tx.run('INSERT INTO t (x) VALUES (?)', [`+${amount}`]);
        await writeAtCommit(tx, new Total(amount));
        if (fail) throw new Error('this one fails after asking for its change');
      });

    beforeEach(() => {
      db.exec('CREATE TABLE total (n INTEGER NOT NULL); INSERT INTO total VALUES (0)');
      Total.writes = 0;
    });

    it('should write the changes of a group once, as their sum, leaving out those of a transaction that failed', async () => {
      const outcomes = await settle([adding(1), adding(10), adding(100, true), adding(1000)]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect(await sql.get('SELECT n FROM total')).toEqual({ n: 1011 });
      expect(Total.writes).toBe(1);
      expect(await sql.all('SELECT x FROM t ORDER BY x')).toEqual([{ x: '+1' }, { x: '+10' }, { x: '+1000' }]);
    });

    it('should write them at once outside a group commit', async () => {
      await writeAtCommit({ all: async () => [], get: async () => undefined, run: (q, p) => sql.run(q, p) }, new Total(5));
      expect(await sql.get('SELECT n FROM total')).toEqual({ n: 5 });
    });

    it('should keep nothing of the group when the folded write fails, as a failed COMMIT would', async () => {
      db.exec('DROP TABLE total');
      const outcomes = await settle([adding(1), adding(2)]);
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
      expect(await sql.all('SELECT x FROM t')).toEqual([]);
    });
  });
});
