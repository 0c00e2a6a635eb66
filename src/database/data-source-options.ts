import type { Database } from 'better-sqlite3';
import type { DataSourceOptions } from 'typeorm';
import { DatabaseSettings } from '../config/app-config';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { ShardedCounters1764900000000 } from './migrations/1764900000000-sharded-counters';
import { Accounts1765000000000 } from './migrations/1765000000000-accounts';

export const MIGRATIONS = [InitialSchema1764000000000, ShardedCounters1764900000000, Accounts1765000000000];

/** SQLite or PostgreSQL, chosen by DATABASE_URL; the schema always comes from the migrations (see openDataSource). */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  // Migrations run in openDataSource, under a lock on PostgreSQL: several instances may start together.
  const common = { migrations: MIGRATIONS, migrationsRun: false, synchronize: false, logging: ['error' as const] };
  if (settings.type === 'postgres') {
    return { ...common, type: 'postgres', url: settings.url, extra: { max: 10 } };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: settings.path,
    enableWAL: true,
    timeout: 5000,
    prepareDatabase: (db: Database) => {
      db.pragma('synchronous = NORMAL');
      // SqliteCheckpointer checkpoints from a worker thread; this only bounds the WAL if it stops.
      db.pragma('wal_autocheckpoint = 10000');
      // Keep hot pages in the process (64 MiB) and read the rest through mmap rather than read().
      db.pragma('cache_size = -65536');
      db.pragma('mmap_size = 268435456');
      // SQLite's own lower() folds ASCII only; search should fold every script.
      db.function('lower', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
    },
  };
}
