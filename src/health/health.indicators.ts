import { dirname } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { DiskHealthIndicator, HealthIndicatorService } from '@nestjs/terminus';
import type { Cache } from 'cache-manager';
import { AppConfig } from '../config/app-config';
import { Sql } from '../database/sql';

const PROBE_TIMEOUT_MS = 2000;

@Injectable()
export class HealthIndicators {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly disk: DiskHealthIndicator,
    private readonly sql: Sql,
    @Inject(CACHE_MANAGER) private readonly cacheManager: Cache,
    private readonly config: AppConfig,
  ) {}

  database() {
    return this.health
      .check('database')
      .attempt(async () => {
        await this.sql.get('SELECT 1 AS ok');
        return { dialect: this.sql.dialect };
      })
      .withTimeout(PROBE_TIMEOUT_MS);
  }

  cache() {
    return this.health
      .check('cache')
      .attempt(async () => {
        const probe = `health:${process.pid}`;
        await this.cacheManager.set(probe, 1, 10_000);
        if ((await this.cacheManager.get(probe)) !== 1) throw new Error('The cache did not return what was stored.');
        return { store: this.config.redisUrl ? 'redis' : 'memory' };
      })
      .withTimeout(PROBE_TIMEOUT_MS);
  }

  /** Room left on the disk that holds the SQLite file (PostgreSQL minds its own). */
  storage() {
    const { database } = this.config;
    if (database.type !== 'sqlite' || database.path === ':memory:') return this.health.check('storage').up({ store: database.type });
    return this.disk.checkStorage('storage', { path: dirname(database.path), thresholdPercent: 0.98 });
  }
}
