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
});
