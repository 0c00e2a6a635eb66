import { dirname } from 'node:path';
import { Injectable } from '@nestjs/common';
import { DiskHealthIndicator, HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import { AppConfig } from '../config/app-config';
import { CoordinationHealth } from '../coordination/domain/coordination-health';
import { ConversationMemory } from '../memory/domain/conversation-memory';
import { StoreHealth } from '../sessions/domain/store-health';

const PROBE_TIMEOUT_MS = 2000;

@Injectable()
export class HealthIndicators {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly disk: DiskHealthIndicator,
    private readonly store: StoreHealth,
    private readonly memory: ConversationMemory,
    private readonly config: AppConfig,
    private readonly shared: CoordinationHealth,
  ) {}

  database() {
    return this.health
      .check('database')
      .attempt(() => this.store.check())
      .withTimeout(PROBE_TIMEOUT_MS);
  }

  cache() {
    return this.health
      .check('cache')
      .attempt(() => this.memory.probe())
      .withTimeout(PROBE_TIMEOUT_MS);
  }

  /** What instances share (locks, job guards, rate limits): Redis when configured, else the process. */
  coordination() {
    return this.health
      .check('coordination')
      .attempt(() => this.shared.probe())
      .withTimeout(PROBE_TIMEOUT_MS);
  }

  /** What readiness needs: the database, the memory store, coordination and the disk. */
  readiness(): HealthIndicatorFunction[] {
    return [() => this.database(), () => this.cache(), () => this.coordination(), () => this.storage()];
  }

  /** Room left on the disk that holds the SQLite file (PostgreSQL minds its own). */
  storage() {
    const { database } = this.config;
    if (database.type !== 'sqlite' || database.path === ':memory:') return this.health.check('storage').up({ store: database.type, responseTime: 0 });
    return timed(() => this.disk.checkStorage('storage', { path: dirname(database.path), thresholdPercent: 0.98 }));
  }
}

/** Adds `responseTime` (ms) to a check Terminus' `attempt` does not time, as `attempt` does for the others. */
async function timed<T extends Record<string, Record<string, unknown>>>(check: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await check();
  const responseTime = Math.round(performance.now() - started);
  return Object.fromEntries(Object.entries(result).map(([key, info]) => [key, { ...info, responseTime }])) as unknown as T;
}
