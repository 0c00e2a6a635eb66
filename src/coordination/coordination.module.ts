import { randomUUID } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { InProcessSessionLock, SessionLock } from '../common/session-lock';
import { AppConfig } from '../config/app-config';
import { InProcessJobLock } from './adapters/in-process-job-lock';
import { InProcessRecentFailures } from './adapters/in-process-recent-failures';
import { RedisConnection } from './adapters/redis-connection';
import { RedisJobLock } from './adapters/redis-job-lock';
import { RedisLeaseStore } from './adapters/redis-lease-store';
import { RedisRecentFailures } from './adapters/redis-recent-failures';
import { CoordinationHealth } from './domain/coordination-health';
import { JobLock } from './domain/job-lock';
import { RecentFailures } from './domain/recent-failures';
import { LeasedSessionLock } from './leased-session-lock';
import { MeteredSessionLock } from './metered-session-lock';
import { Metrics } from '../metrics/domain/metrics';

/**
 * What instances must agree on: session locks and once-per-period job guards, in Redis when
 * REDIS_URL is set, in this process otherwise, and the sign-in failure counts. The rate limiter's
 * storage uses the same connection.
 */
@Global()
@Module({
  providers: [
    { provide: RedisConnection, inject: [AppConfig], useFactory: (config: AppConfig) => new RedisConnection(config.redisUrl, config.redisTimeoutMs) },
    { provide: CoordinationHealth, useExisting: RedisConnection },
    {
      provide: SessionLock,
      inject: [AppConfig, RedisConnection, Metrics],
      useFactory: ({ coordination, redisPrefix }: AppConfig, { client, timeoutMs }: RedisConnection, metrics: Metrics) =>
        new MeteredSessionLock(
          client
            ? new LeasedSessionLock(new RedisLeaseStore(client, redisPrefix, timeoutMs), {
                ttlMs: coordination.lockTtlMs,
                waitTimeoutMs: coordination.lockWaitTimeoutMs,
              })
            : new InProcessSessionLock(),
          metrics.lockWait('session'),
        ),
    },
    {
      provide: JobLock,
      inject: [AppConfig, RedisConnection],
      useFactory: ({ redisPrefix }: AppConfig, { client, timeoutMs }: RedisConnection) =>
        client ? new RedisJobLock(client, redisPrefix, randomUUID(), timeoutMs) : new InProcessJobLock(),
    },
    {
      provide: RecentFailures,
      inject: [AppConfig, RedisConnection],
      useFactory: ({ redisPrefix }: AppConfig, { client, timeoutMs }: RedisConnection) =>
        client ? new RedisRecentFailures(client, redisPrefix, new InProcessRecentFailures(), timeoutMs) : new InProcessRecentFailures(),
    },
  ],
  exports: [RedisConnection, CoordinationHealth, SessionLock, JobLock, RecentFailures],
})
export class CoordinationModule {}
