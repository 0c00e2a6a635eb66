import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Database } from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { PostgresSql, Sql, SqliteSql } from './sql';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => dataSourceOptions(config.database),
    }),
  ],
  providers: [
    {
      provide: Sql,
      inject: [DataSource],
      useFactory: (dataSource: DataSource): Sql =>
        dataSource.options.type === 'postgres'
          ? new PostgresSql(dataSource)
          : new SqliteSql((dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection),
    },
  ],
  exports: [Sql],
})
export class DatabaseModule {}
