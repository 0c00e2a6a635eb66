import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../src/database/data-source-options';
import { openDataSource } from '../../src/database/open-data-source';
import { externalServices, scratchPostgres } from '../support/databases';

const { postgres } = externalServices();
const describeOnPostgres = postgres ? describe : describe.skip;
if (!postgres) console.warn('TEST_POSTGRES_URL is not set: the concurrent-migration test is skipped.');

describeOnPostgres('instances starting together on a fresh PostgreSQL database', () => {
  it('should migrate once, under a lock, with every instance coming up', async () => {
    const db = await scratchPostgres(postgres!);
    const opened: DataSource[] = [];
    try {
      const results = await Promise.allSettled(Array.from({ length: 4 }, () => openDataSource(db.settings)));
      for (const r of results) if (r.status === 'fulfilled') opened.push(r.value);
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const runs = await opened[0].query('SELECT name FROM migrations ORDER BY id');
      // Each migration once, in order.
      expect(runs.map((r: { name: string }) => r.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
    } finally {
      await Promise.all(opened.map((d) => d.destroy()));
      await db.drop();
    }
  });
});
