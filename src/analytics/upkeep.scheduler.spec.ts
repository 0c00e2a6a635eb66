import { Logger } from '@nestjs/common';
import { StoreUnavailableError } from '../common/domain-error';
import { UpkeepScheduler } from './upkeep.scheduler';

describe(UpkeepScheduler.name, () => {
  it('should report a failing job in one line without its stack, and not reject (the job runs again next period)', async () => {
    const failing = () => Promise.reject(new StoreUnavailableError('The database cannot be reached; try again shortly.'));
    const scheduler = new UpkeepScheduler(
      { evictIdleWindows: failing } as never,
      { runActiveUserPrune: failing, runSentimentBackfill: failing } as never,
      {} as never,
      {} as never,
    );
    const lines: unknown[][] = [];
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => void lines.push(args));
    try {
      await expect(scheduler.backfillSentiment()).resolves.toBeUndefined();
      await expect(scheduler.pruneActiveUsers()).resolves.toBeUndefined();
      await expect(scheduler.evictIdleWindows()).resolves.toBeUndefined();
    } finally {
      error.mockRestore();
    }
    expect(lines).toEqual([
      ['Scoring older messages failed: The database cannot be reached; try again shortly.'],
      ['Pruning active-user marks failed: The database cannot be reached; try again shortly.'],
      ['Evicting idle windows failed: The database cannot be reached; try again shortly.'],
    ]);
  });
});
