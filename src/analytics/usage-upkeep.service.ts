import { setImmediate as nextTick } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { JobSchedule } from '../config/app-config';
import { JobLock } from '../coordination/domain/job-lock';
import { SentimentScorer } from '../sentiment/domain/sentiment-scorer';
import { UsageUpkeepStore } from './domain/usage-upkeep-store';

const HOUR_MS = 3_600_000;

/**
 * How long after its hour or day ends a user's active mark is kept. A turn is stamped by the clock of
 * the instance that takes it, after its wait for the session lock and the write batch: one that started
 * just before a boundary, or an instance whose clock lags, may still write into a period that ended by
 * the pruning instance's clock. Its mark must be there, or the user would be counted twice.
 */
export const ACTIVE_USER_MARK_MARGIN_MS = 48 * HOUR_MS;
/** Marks deleted per statement. */
export const MARK_PRUNE_BATCH = 1_000;

/** Messages scored per transaction, and batches per run: a run stores at most 10,000 scores. */
export interface BackfillBudget {
  readonly batchSize: number;
  readonly batches: number;
}
export const SENTIMENT_BACKFILL_BUDGET: BackfillBudget = { batchSize: 500, batches: 20 };

/** Five minutes past every hour (UpkeepScheduler). */
export const ACTIVE_USER_PRUNE_SCHEDULE: JobSchedule = { cron: '0 5 * * * *', periodMs: HOUR_MS, phaseMs: 5 * 60_000 };
/** Every five minutes, half a minute into them, away from the eviction on the minute. */
export const SENTIMENT_BACKFILL_SCHEDULE: JobSchedule = { cron: '30 */5 * * * *', periodMs: 5 * 60_000, phaseMs: 30_000 };

/** Upkeep of the usage series: the marks that count active users once, and the sentiment of old messages. */
@Injectable()
export class UsageUpkeepService {
  private readonly logger = new Logger(UsageUpkeepService.name);

  constructor(
    private readonly store: UsageUpkeepStore,
    private readonly scorer: SentimentScorer,
    private readonly clock: Clock,
    private readonly jobs: JobLock,
  ) {}

  /** Deletes the marks of periods that ended more than the margin ago, batch by batch; how many. */
  async pruneActiveUserMarks(): Promise<number> {
    const endedBy = new Date(this.clock.now().getTime() - ACTIVE_USER_MARK_MARGIN_MS);
    let pruned = 0;
    for (;;) {
      const deleted = await this.store.pruneActiveUserMarks(endedBy, MARK_PRUNE_BATCH);
      pruned += deleted;
      if (deleted < MARK_PRUNE_BATCH) return pruned;
      await nextTick();
    }
  }

  /**
   * Scores human messages stored without a sentiment, oldest first, within `budget`; how many it
   * stored. Scoring happens outside the transaction, which only writes.
   */
  async backfillSentiment(budget: BackfillBudget = SENTIMENT_BACKFILL_BUDGET): Promise<number> {
    let stored = 0;
    for (let batch = 0; batch < budget.batches; batch++) {
      if (batch > 0) await nextTick();
      const messages = await this.store.unscoredMessages(budget.batchSize);
      if (messages.length > 0) stored += await this.store.storeScores(messages.map(({ id, content }) => ({ id, score: this.scorer.score(content) })));
      if (messages.length < budget.batchSize) break;
    }
    return stored;
  }

  /** Once per hour across all instances. */
  async runActiveUserPrune(): Promise<void> {
    await this.jobs.runOncePerPeriod('prune-active-users', ACTIVE_USER_PRUNE_SCHEDULE, this.clock.now(), async () => {
      const pruned = await this.pruneActiveUserMarks();
      if (pruned > 0) this.logger.log(`Pruned ${pruned} active-user marks of periods that ended before the last ${ACTIVE_USER_MARK_MARGIN_MS / HOUR_MS} hours`);
    });
  }

  /** Once per five minutes across all instances. */
  async runSentimentBackfill(): Promise<void> {
    await this.jobs.runOncePerPeriod('backfill-sentiment', SENTIMENT_BACKFILL_SCHEDULE, this.clock.now(), async () => {
      const stored = await this.backfillSentiment();
      if (stored > 0) this.logger.log(`Scored ${stored} messages stored without a sentiment`);
    });
  }
}
