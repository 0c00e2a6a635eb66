import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { initializeMigrated } from './open-data-source';
import { SqliteCheckpointer } from './sqlite-checkpointer';
import { Sql } from './sql';
import { sqlFor } from './sql-for';
import { MeteredSql } from './metered-sql';
import { Metrics } from '../metrics/domain/metrics';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      // Retrying cannot make a local file writable; a PostgreSQL server may still be starting.
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config.database), retryAttempts: config.database.type === 'sqlite' ? 0 : 9 }),
      dataSourceFactory: async (options) => initializeMigrated(new DataSource(options!)),
    }),
  ],
  providers: [
    {
      provide: Sql,
      inject: [DataSource, Metrics],
      useFactory: (dataSource: DataSource, metrics: Metrics) => new MeteredSql(sqlFor(dataSource), metrics),
    },
  ],
  exports: [Sql],
})
export class DatabaseModule implements OnModuleInit, OnApplicationShutdown {
  private readonly checkpointer = new SqliteCheckpointer();

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  onModuleInit(): void {
    const { database } = this.config;
    if (database.type === 'sqlite' && database.path !== ':memory:') this.checkpointer.start(database.path);
  }

  // Runs before TypeORM closes the connection (its module shuts down after this one).
  async onApplicationShutdown(): Promise<void> {
    await this.checkpointer.stop();
  }
}
