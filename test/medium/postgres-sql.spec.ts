import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { sqlFor } from '../../src/database/sql-for';
import { externalServices, ScratchDatabase, scratchPostgres } from '../support/databases';

const { postgres } = externalServices();
if (!postgres) console.warn('TEST_POSTGRES_URL is not set: the PostgresSql tests are skipped.');

(postgres ? describe : describe.skip)('PostgresSql', () => {
  let db: ScratchDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await scratchPostgres(postgres!);
    dataSource = await new DataSource({ ...dataSourceOptions(db.settings), extra: { max: 1 } }).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('should let two runners on one pool prepare different statements on the same connection', async () => {
    const [one, other] = [sqlFor(dataSource), sqlFor(dataSource)];
    expect(await one.get<{ n: number }>('SELECT 1 AS n')).toEqual({ n: 1 });
    expect(await other.get<{ s: string }>("SELECT 'other' AS s")).toEqual({ s: 'other' });
    expect(await one.get<{ n: number }>('SELECT 1 AS n')).toEqual({ n: 1 });
  });

  it('should run a deadlock victim again, so both of two transactions that lock rows in opposite order commit', async () => {
    const pooled = await new DataSource({ ...dataSourceOptions(db.settings), extra: { max: 4 } }).initialize();
    try {
      const sql = sqlFor(pooled);
      await sql.run('CREATE TABLE IF NOT EXISTS lock_order (id integer PRIMARY KEY, n integer NOT NULL)');
      await sql.run('INSERT INTO lock_order (id, n) VALUES (1, 0), (2, 0) ON CONFLICT (id) DO NOTHING');
      let arrived = 0;
      const bothHoldTheirFirstRow = new Promise<void>((resolve) => {
        const tick = () => (++arrived === 2 ? resolve() : undefined);
        (globalThis as { tick?: () => void }).tick = tick;
      });
      const crossing = (first: number, second: number) =>
        sql.transaction(async (tx) => {
          await tx.run('UPDATE lock_order SET n = n + 1 WHERE id = ?', [first]);
          (globalThis as { tick?: () => void }).tick!();
          await bothHoldTheirFirstRow;
          await tx.run('UPDATE lock_order SET n = n + 1 WHERE id = ?', [second]);
        });
      await Promise.all([crossing(1, 2), crossing(2, 1)]);
      expect(await sql.all<{ id: number; n: number }>('SELECT id, n FROM lock_order ORDER BY id')).toEqual([
        { id: 1, n: 2 },
        { id: 2, n: 2 },
      ]);
    } finally {
      await pooled.destroy();
    }
  });
});
