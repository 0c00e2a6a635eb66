import { Module } from '@nestjs/common';
import { MemoryModule } from '../memory/memory.module';
import { SessionStoreModule } from '../sessions/session-store.module';
import { SqlActivityReader } from './adapters/sql-activity-reader';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';
import { SqlUsageReader } from './adapters/sql-usage-reader';
import { ActivityReader } from './domain/activity-reader';
import { UsageReader } from './domain/usage-reader';
import { UsageService } from './usage.service';
import { UpkeepScheduler } from './upkeep.scheduler';
import { UpkeepService } from './upkeep.service';

@Module({
  imports: [SessionStoreModule, MemoryModule],
  controllers: [AnalyticsController],
  providers: [
    AnalyticsService,
    UpkeepService,
    UsageService,
    UpkeepScheduler,
    { provide: ActivityReader, useClass: SqlActivityReader },
    { provide: UsageReader, useClass: SqlUsageReader },
  ],
})
export class AnalyticsModule {}
