import { randomUUID } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { InProcessSessionLock, SessionLock } from '../common/session-lock';
import { AppConfig } from '../config/app-config';
import { InProcessJobLock } from './adapters/in-process-job-lock';
import { RedisConnection } from './adapters/redis-connection';
import { RedisJobLock } from './adapters/redis-job-lock';
import { RedisLeaseStore } from './adapters/redis-lease-store';
import { CoordinationHealth } from './domain/coordination-health';
import { JobLock } from './domain/job-lock';
import { LeasedSessionLock } from './leased-session-lock';

/**
 * What instances must agree on: session locks and once-per-period job guards, in Redis when
 * REDIS_URL is set, in this process otherwise. The rate limiter's storage uses the same connection.
 */
@Global()
@Module({
  providers: [
    { provide: RedisConnection, inject: [AppConfig], useFactory: (config: AppConfig) => new RedisConnection(config.redisUrl, config.redisTimeoutMs) },
    { provide: CoordinationHealth, useExisting: RedisConnection },
    {
      provide: SessionLock,
      inject: [AppConfig, RedisConnection],
      useFactory: ({ coordination, redisPrefix }: AppConfig, { client, timeoutMs }: RedisConnection) =>
        client
          ? new LeasedSessionLock(new RedisLeaseStore(client, redisPrefix, timeoutMs), {
              ttlMs: coordination.lockTtlMs,
              waitTimeoutMs: coordination.lockWaitTimeoutMs,
            })
          : new InProcessSessionLock(),
    },
    {
      provide: JobLock,
      inject: [AppConfig, RedisConnection],
      useFactory: ({ redisPrefix }: AppConfig, { client, timeoutMs }: RedisConnection) =>
        client ? new RedisJobLock(client, redisPrefix, randomUUID(), timeoutMs) : new InProcessJobLock(),
    },
  ],
  exports: [RedisConnection, CoordinationHealth, SessionLock, JobLock],
})
export class CoordinationModule {}
