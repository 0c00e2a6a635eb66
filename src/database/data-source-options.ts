import type { Database } from 'better-sqlite3';
import type { DataSourceOptions } from 'typeorm';
import { DatabaseSettings } from '../config/app-config';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { ShardedCounters1764900000000 } from './migrations/1764900000000-sharded-counters';
import { Accounts1765000000000 } from './migrations/1765000000000-accounts';
import { SessionSettings1765100000000 } from './migrations/1765100000000-session-settings';
import { SsoIdentities1765200000000 } from './migrations/1765200000000-sso-identities';
import { FullTextSearch1765300000000 } from './migrations/1765300000000-full-text-search';
import { SessionOrganise1765400000000 } from './migrations/1765400000000-session-organise';
import { TemplatesAndShares1765500000000 } from './migrations/1765500000000-templates-and-shares';
import { UsageAnalytics1765600000000 } from './migrations/1765600000000-usage-analytics';
import { ConversationMetadata1765650000000 } from './migrations/1765650000000-conversation-metadata';
import { UnscoredMessages1765700000000 } from './migrations/1765700000000-unscored-messages';
import { sqliteFailure } from './store-failure';

export const MIGRATIONS = [
  InitialSchema1764000000000,
  ShardedCounters1764900000000,
  Accounts1765000000000,
  SessionSettings1765100000000,
  SsoIdentities1765200000000,
  FullTextSearch1765300000000,
  SessionOrganise1765400000000,
  TemplatesAndShares1765500000000,
  UsageAnalytics1765600000000,
  ConversationMetadata1765650000000,
  UnscoredMessages1765700000000,
];

/** How much later than the server's statement timeout pg gives up on an answer itself. */
const QUERY_TIMEOUT_SLACK_MS = 1_000;

/** SQLite or PostgreSQL, chosen by DATABASE_URL; the schema always comes from the migrations (see openDataSource). */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  // Migrations run in openDataSource, under a lock on PostgreSQL: several instances may start together.
  // Failed queries are not logged here: an outage is said once per burst by the Sql runners, and a
  // bug reaches the exception filter with its stack. TypeORM would log every failed query.
  const common = { migrations: MIGRATIONS, migrationsRun: false, synchronize: false, logging: false };
  const { limits } = settings;
  if (settings.type === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: settings.url,
      poolSize: limits.poolSize,
      // pg-pool bounds both a new connection and the wait for a free one with this.
      connectTimeoutMS: limits.connectTimeoutMs,
      extra: {
        statement_timeout: limits.statementTimeoutMs,
        // A server that stopped answering never sends the statement timeout: pg's own timer does.
        query_timeout: limits.statementTimeoutMs + QUERY_TIMEOUT_SLACK_MS,
        // A transaction whose client vanished must not keep its row locks (chat_totals) for long.
        idle_in_transaction_session_timeout: limits.statementTimeoutMs,
        keepAlive: true,
      },
    };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: settings.path,
    enableWAL: true,
    timeout: limits.busyTimeoutMs,
    prepareDatabase: (db: Database) => {
      try {
        tune(db);
      } catch (error) {
        throw unusable(settings.path, error);
      }
    },
  };
}

function tune(db: Database): void {
  db.pragma('synchronous = NORMAL');
  // SqliteCheckpointer checkpoints from a worker thread; this only bounds the WAL if it stops.
  db.pragma('wal_autocheckpoint = 10000');
  // Keep hot pages in the process (64 MiB) and read the rest through mmap rather than read().
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 268435456');
  // SQLite's own lower() folds ASCII only; search should fold every script.
  db.function('lower', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
}

/** A file the service cannot write stops start-up with a sentence that names it, not a retry loop. */
function unusable(path: string, error: unknown): unknown {
  if (!sqliteFailure(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(`Cannot use the SQLite database ${path} (${reason}): the service must be able to write the file and its directory.`, { cause: error });
}
