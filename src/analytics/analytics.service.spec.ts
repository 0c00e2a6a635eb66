import { Scope } from '../sessions/domain/session';
import { InMemoryConversationMemory } from '../../test/support/fakes';
import { ManualClock } from '../../test/support/test-app';
import { AnalyticsService } from './analytics.service';
import { ActivityBucket, ActivityReader, ActivityTotals } from './domain/activity-reader';

class FixedActivity extends ActivityReader {
  since?: Date;
  activeSince?: Date;
  constructor(
    private readonly totalsValue: ActivityTotals,
    private readonly buckets: ActivityBucket[],
  ) {
    super();
  }
  async totals(_scope: Scope, activeSince: Date): Promise<ActivityTotals> {
    this.activeSince = activeSince;
    return this.totalsValue;
  }
  async hourlyActivity(_scope: Scope, since: Date): Promise<ActivityBucket[]> {
    this.since = since;
    return this.buckets.filter((b) => b.hour >= since);
  }
}

describe(AnalyticsService.name, () => {
  const clock = new ManualClock(new Date('2026-11-24T15:45:00.000Z'));

  it('should fold hourly counters into hours of the day and the last 30 days', async () => {
    const bucket = (iso: string, sessions: number, messages: number) => ({ hour: new Date(iso), sessions, messages });
    const activity = new FixedActivity({ sessions: 3, messages: 10, sessionsActiveSince: 2 }, [
      bucket('2026-10-26T00:00:00Z', 1, 2),
      bucket('2026-11-23T15:00:00Z', 1, 4),
      bucket('2026-11-24T15:00:00Z', 1, 4),
    ]);
    const memory = new InMemoryConversationMemory();
    await memory.hold('a', []);
    const stats = await new AnalyticsService(activity, memory, clock).stats();
    expect(activity.since).toEqual(new Date('2026-10-26T00:00:00Z'));
    expect(activity.activeSince).toEqual(new Date('2026-11-23T15:45:00Z'));
    expect(stats.messagesByHour[0]).toBe(2);
    expect(stats.messagesByHour[15]).toBe(8);
    expect(stats.messagesByHour.reduce((a, b) => a + b, 0)).toBe(10);
    expect(stats.sessionsByDay[0]).toEqual({ date: '2026-10-26', sessions: 1, messages: 2 });
    expect(stats.sessionsByDay[28]).toEqual({ date: '2026-11-23', sessions: 1, messages: 4 });
    expect(stats.sessionsByDay[29]).toEqual({ date: '2026-11-24', sessions: 1, messages: 4 });
    expect(stats).toMatchObject({ totalSessions: 3, totalMessages: 10, recentSessions24h: 2, activeSessions: 1, avgMessagesPerSession: 3.33 });
  });

  it('should report an average of 0 with no sessions', async () => {
    const stats = await new AnalyticsService(new FixedActivity({ sessions: 0, messages: 0, sessionsActiveSince: 0 }, []), new InMemoryConversationMemory(), clock).stats();
    expect(stats.avgMessagesPerSession).toBe(0);
  });
});
