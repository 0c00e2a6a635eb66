import { loadConfig } from '../config/load-config';
import { dataSourceOptions } from './data-source-options';

describe(dataSourceOptions.name, () => {
  it('should give pg its connect, pool, statement and read deadlines', () => {
    const { database } = loadConfig({ DATABASE_URL: 'postgres://u@h/db', DATABASE_CONNECT_TIMEOUT_MS: '700', DATABASE_STATEMENT_TIMEOUT_MS: '2500', DATABASE_POOL_SIZE: '3' });
    expect(dataSourceOptions(database)).toMatchObject({
      type: 'postgres',
      connectTimeoutMS: 700,
      poolSize: 3,
      extra: { statement_timeout: 2500, query_timeout: 3500, idle_in_transaction_session_timeout: 2500 },
    });
  });

  it('should give SQLite its busy timeout', () => {
    const { database } = loadConfig({ DATABASE_URL: 'sqlite::memory:', DATABASE_BUSY_TIMEOUT_MS: '1234' });
    expect(dataSourceOptions(database)).toMatchObject({ type: 'better-sqlite3', timeout: 1234 });
  });
});
