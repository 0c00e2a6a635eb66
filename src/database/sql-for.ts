import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { OutageLog } from '../common/outage-log';
import { PostgresSql, postgresPool } from './postgres-sql';
import { Sql } from './sql';
import { SqliteSql, sqliteConnection } from './sqlite-sql';

/** The Sql runner for a data source's dialect. */
export function sqlFor(dataSource: DataSource): Sql {
  const outage = new OutageLog('Database', new Logger('Database'));
  return dataSource.options.type === 'postgres' ? new PostgresSql(postgresPool(dataSource), outage) : new SqliteSql(sqliteConnection(dataSource), outage);
}
