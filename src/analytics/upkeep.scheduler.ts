import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { UpkeepService } from './upkeep.service';

/** When upkeep runs; what it does is UpkeepService's. */
@Injectable()
export class UpkeepScheduler {
  constructor(private readonly upkeep: UpkeepService) {}

  @Cron(CronExpression.EVERY_MINUTE, { name: 'evict-idle-windows', waitForCompletion: true })
  evictIdleWindows(): Promise<void> {
    return this.upkeep.evictIdleWindows();
  }

  @Cron(CronExpression.EVERY_DAY_AT_3AM, { name: 'prune-expired-sessions', waitForCompletion: true, timeZone: 'UTC' })
  pruneExpiredSessions(): Promise<void> {
    return this.upkeep.pruneExpiredSessions();
  }
}
