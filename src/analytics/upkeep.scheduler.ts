import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Cron, CronExpression, SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { AppConfig } from '../config/app-config';
import { UpkeepService } from './upkeep.service';
import { ACTIVE_USER_PRUNE_SCHEDULE, SENTIMENT_BACKFILL_SCHEDULE, UsageUpkeepService } from './usage-upkeep.service';

/** When upkeep runs; what it does, and whether another instance already did it, is UpkeepService's and UsageUpkeepService's. */
@Injectable()
export class UpkeepScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(UpkeepScheduler.name);

  constructor(
    private readonly upkeep: UpkeepService,
    private readonly usage: UsageUpkeepService,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_MINUTE, { name: 'evict-idle-windows', waitForCompletion: true })
  evictIdleWindows(): Promise<void> {
    return this.run('Evicting idle windows', () => this.upkeep.evictIdleWindows());
  }

  @Cron(ACTIVE_USER_PRUNE_SCHEDULE.cron, { name: 'prune-active-users', timeZone: 'UTC', waitForCompletion: true })
  pruneActiveUsers(): Promise<void> {
    return this.run('Pruning active-user marks', () => this.usage.runActiveUserPrune());
  }

  @Cron(SENTIMENT_BACKFILL_SCHEDULE.cron, { name: 'backfill-sentiment', timeZone: 'UTC', waitForCompletion: true })
  backfillSentiment(): Promise<void> {
    return this.run('Scoring older messages', () => this.usage.runSentimentBackfill());
  }

  /** PRUNE_CRON comes from the configuration, so this job is registered at boot rather than by decorator. */
  onApplicationBootstrap(): void {
    const job = CronJob.from({
      cronTime: this.config.prune.cron,
      timeZone: 'UTC',
      waitForCompletion: true,
      onTick: () => this.run('Prune', () => this.upkeep.pruneExpiredSessions()),
    });
    this.registry.addCronJob('prune-expired-sessions', job);
    job.start();
  }

  /**
   * A job that fails says so in one line and runs again next period. Its usual cause is a store that
   * is down, which the store's outage log reports once already: no stack, no second report per job.
   */
  private run(name: string, job: () => Promise<void>): Promise<void> {
    return job().catch((error: unknown) => this.logger.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`));
  }
}
