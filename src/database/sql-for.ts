import type { DataSource } from 'typeorm';
import { PostgresSql, postgresPool } from './postgres-sql';
import { Sql } from './sql';
import { SqliteSql, sqliteConnection } from './sqlite-sql';

/** The Sql runner for a data source's dialect. */
export function sqlFor(dataSource: DataSource): Sql {
  return dataSource.options.type === 'postgres' ? new PostgresSql(postgresPool(dataSource)) : new SqliteSql(sqliteConnection(dataSource));
}
