import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, DataSourceOptions } from 'typeorm';
import { DatabaseSettings } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

/** Any constant: the key of the PostgreSQL advisory lock that instances take to migrate one at a time. */
const MIGRATION_LOCK_KEY = 7_410_318_452;
const MIGRATION_LOCK_WAIT_MS = 300_000;

/**
 * Opens the store and brings its schema up to date. On PostgreSQL several instances may start
 * together: they take turns under an advisory lock, so only the first one runs the migrations.
 */
export function openDataSource(settings: DatabaseSettings, overrides: Partial<DataSourceOptions> = {}): Promise<DataSource> {
  return initializeMigrated(new DataSource({ ...dataSourceOptions(settings), ...overrides } as DataSourceOptions));
}

/** Initializes a data source and migrates it; closes it again if the migrations fail. */
export async function initializeMigrated(dataSource: DataSource): Promise<DataSource> {
  await dataSource.initialize();
  try {
    await migrate(dataSource);
    return dataSource;
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}

export async function migrate(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type !== 'postgres') {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const runner = dataSource.createQueryRunner();
  try {
    const deadline = Date.now() + MIGRATION_LOCK_WAIT_MS;
    // Try, not wait in the server: a blocked lock call would hold a pool connection past every timeout.
    while (!(await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [MIGRATION_LOCK_KEY]))[0].locked) {
      if (Date.now() > deadline) throw new Error(`Another instance has been migrating the database for ${MIGRATION_LOCK_WAIT_MS} ms.`);
      await sleep(200);
    }
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
