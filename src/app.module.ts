import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ServeStaticModule } from '@nestjs/serve-static';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AnalyticsModule } from './analytics/analytics.module';
import { AuthModule } from './auth/auth.module';
import { ChatModule } from './chat/chat.module';
import { CommonModule } from './common/common.module';
import { AllExceptionsFilter } from './common/http/all-exceptions.filter';
import { JsonNotFound } from './common/http/json-not-found';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { RedisConnection } from './coordination/adapters/redis-connection';
import { RedisThrottlerStorage } from './coordination/adapters/redis-throttler-storage';
import { CoordinationModule } from './coordination/coordination.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { HistoryModule } from './history/history.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { OpenAiCompatModule } from './openai-compat/openai-compat.module';
import { SearchModule } from './search/search.module';
import { SessionsModule } from './sessions/sessions.module';
import { SettingsModule } from './settings/settings.module';
import { SharingModule } from './sharing/sharing.module';
import { TransferModule } from './transfer/transfer.module';
import { serveClient } from './web-client';

const MINUTE_MS = 60_000;

@Module({
  imports: [
    LoggingModule,
    CommonModule,
    CoordinationModule,
    DatabaseModule,
    ScheduleModule.forRoot(),
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, RedisConnection],
      useFactory: (config: AppConfig, redis: RedisConnection) => ({
        throttlers: [{ ttl: MINUTE_MS, limit: Math.max(config.rateLimitPerMinute, 1) }],
        // One budget per client across all routes: the default key also names the route.
        generateKey: (_context, tracker, throttler) => `${throttler}:${tracker}`,
        // Counters in Redis when instances share one, so a client's budget holds across them.
        storage: redis.client ? new RedisThrottlerStorage(redis.client, config.redisPrefix, redis.timeoutMs) : undefined,
      }),
    }),
    ServeStaticModule.forRootAsync({ inject: [AppConfig], useFactory: serveClient }),
    AuthModule,
    ChatModule,
    SessionsModule,
    SearchModule,
    SettingsModule,
    SharingModule,
    HistoryModule,
    TransferModule,
    AnalyticsModule,
    HealthModule,
    OpenAiCompatModule,
  ],
  providers: [
    {
      provide: APP_GUARD,
      inject: [AppConfig, ThrottlerGuard],
      // RATE_LIMIT_PER_MINUTE=0: no guard at all, rather than a guard that is asked and says yes.
      useFactory: (config: AppConfig, guard: ThrottlerGuard) => (config.rateLimitPerMinute === 0 ? { canActivate: () => true } : guard),
    },
    ThrottlerGuard,
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    JsonNotFound,
  ],
})
export class AppModule {
  /** The application on a configuration loaded once, by main.ts or a test. */
  static forRoot(config: AppConfig): DynamicModule {
    return { module: AppModule, imports: [ConfigModule.forRoot(config), MetricsModule.forRoot(config)] };
  }
}
