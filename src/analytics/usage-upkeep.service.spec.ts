import { InProcessJobLock } from '../coordination/adapters/in-process-job-lock';
import { SentimentScorer } from '../sentiment/domain/sentiment-scorer';
import { InMemoryUsageUpkeepStore } from '../../test/support/fakes';
import { ManualClock } from '../../test/support/manual-clock';
import { ACTIVE_USER_PRUNE_SCHEDULE, MARK_PRUNE_BATCH, SENTIMENT_BACKFILL_SCHEDULE, UsageUpkeepService } from './usage-upkeep.service';

const HOUR = 3_600_000;

/** The length of a text, as its score. */
class LengthScorer extends SentimentScorer {
  score(text: string): number {
    return text.length;
  }
}

describe(UsageUpkeepService.name, () => {
  const clock = new ManualClock();
  let store: InMemoryUsageUpkeepStore;
  let jobs: InProcessJobLock;
  let upkeep: UsageUpkeepService;

  beforeEach(() => {
    clock.set('2026-11-24T12:30:00.000Z');
    store = new InMemoryUsageUpkeepStore();
    jobs = new InProcessJobLock(() => clock.now().getTime());
    upkeep = new UsageUpkeepService(store, new LengthScorer(), clock, jobs);
  });

  const hourOf = (iso: string) => Date.parse(iso) / HOUR;
  const human = (count: number) => Array.from({ length: count }, (_, i) => ({ id: i + 1, sender: 'Human' as const, content: 'x'.repeat(i + 1), sentiment: null }));

  it('should prune the marks of periods that ended 48 hours ago or more, batch after full batch', async () => {
    const spent = Array.from({ length: MARK_PRUNE_BATCH * 2 }, (): [number, number] => [1, hourOf('2026-11-22T11:00:00.000Z')]);
    store.marks = [...spent, [1, hourOf('2026-11-22T12:00:00.000Z')], [24, hourOf('2026-11-21T00:00:00.000Z')], [24, hourOf('2026-11-22T00:00:00.000Z')]];
    expect(await upkeep.pruneActiveUserMarks()).toBe(MARK_PRUNE_BATCH * 2 + 1);
    expect(store.marks).toEqual([
      [1, hourOf('2026-11-22T12:00:00.000Z')],
      [24, hourOf('2026-11-22T00:00:00.000Z')],
    ]);
    expect(store.calls).toEqual(Array(3).fill(`prune 2026-11-22T12:30:00.000Z ${MARK_PRUNE_BATCH}`));
  });

  it('should score through the port, within its budget, and stop at the first short batch', async () => {
    store.messages.push(...human(7), { id: 8, sender: 'AI', content: 'answer', sentiment: null });
    expect(await upkeep.backfillSentiment({ batchSize: 3, batches: 2 })).toBe(6);
    expect(store.calls).toEqual(['unscored 3', 'store 1,2,3', 'unscored 3', 'store 4,5,6']);
    expect(store.messages.map((m) => m.sentiment)).toEqual([1, 2, 3, 4, 5, 6, null, null]);
    store.calls.length = 0;
    expect(await upkeep.backfillSentiment({ batchSize: 3, batches: 2 })).toBe(1);
    expect(store.calls).toEqual(['unscored 3', 'store 7']);
  });

  it('should run each job once per period across instances', async () => {
    // When both fire: the prune at minute 5 of the hour, the backfill half a minute into every fifth minute.
    clock.set('2026-11-24T12:05:30.000Z');
    const other = new UsageUpkeepService(store, new LengthScorer(), clock, jobs);
    store.messages.push(...human(1));
    await upkeep.runSentimentBackfill();
    await other.runSentimentBackfill();
    await upkeep.runActiveUserPrune();
    await other.runActiveUserPrune();
    expect(store.calls.filter((c) => c.startsWith('unscored') || c.startsWith('prune'))).toHaveLength(2);
    clock.advance(SENTIMENT_BACKFILL_SCHEDULE.periodMs);
    await other.runSentimentBackfill();
    await other.runActiveUserPrune();
    expect(store.calls.filter((c) => c.startsWith('unscored'))).toHaveLength(2);
    clock.advance(ACTIVE_USER_PRUNE_SCHEDULE.periodMs);
    await other.runActiveUserPrune();
    expect(store.calls.filter((c) => c.startsWith('prune'))).toHaveLength(2);
  });
});
