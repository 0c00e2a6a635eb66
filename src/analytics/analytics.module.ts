import { Module } from '@nestjs/common';
import { MemoryModule } from '../memory/memory.module';
import { SentimentModule } from '../sentiment/sentiment.module';
import { SessionStoreModule } from '../sessions/session-store.module';
import { SqlActivityReader } from './adapters/sql-activity-reader';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';
import { SqlUsageReader } from './adapters/sql-usage-reader';
import { SqlUsageUpkeepStore } from './adapters/sql-usage-upkeep-store';
import { ActivityReader } from './domain/activity-reader';
import { UsageReader } from './domain/usage-reader';
import { UsageUpkeepStore } from './domain/usage-upkeep-store';
import { UsageService } from './usage.service';
import { UsageUpkeepService } from './usage-upkeep.service';
import { UpkeepScheduler } from './upkeep.scheduler';
import { UpkeepService } from './upkeep.service';

@Module({
  imports: [SessionStoreModule, MemoryModule, SentimentModule],
  controllers: [AnalyticsController],
  providers: [
    AnalyticsService,
    UpkeepService,
    UsageService,
    UsageUpkeepService,
    UpkeepScheduler,
    { provide: ActivityReader, useClass: SqlActivityReader },
    { provide: UsageReader, useClass: SqlUsageReader },
    { provide: UsageUpkeepStore, useClass: SqlUsageUpkeepStore },
  ],
})
export class AnalyticsModule {}
