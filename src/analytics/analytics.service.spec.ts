import { Scope } from '../sessions/domain/session';
import { InMemoryConversationMemory } from '../../test/support/fakes';
import { ManualClock } from '../../test/support/manual-clock';
import { AnalyticsService } from './analytics.service';
import { ActivityReader, ActivitySince, ActivityTotals } from './domain/activity-reader';

const DAY = 86_400_000;

/** Folds hourly buckets the way the SQL adapter does. */
class FixedActivity extends ActivityReader {
  since?: Date;
  activeSince?: Date;
  constructor(
    private readonly totalsValue: ActivityTotals,
    private readonly buckets: { hour: Date; sessions: number; messages: number }[],
  ) {
    super();
  }
  async totals(_scope: Scope, activeSince: Date): Promise<ActivityTotals> {
    this.activeSince = activeSince;
    return this.totalsValue;
  }
  async activitySince(_scope: Scope, since: Date): Promise<ActivitySince> {
    this.since = since;
    const messagesByHourOfDay = new Array<number>(24).fill(0);
    const days = new Map<number, { day: number; sessions: number; messages: number }>();
    for (const b of this.buckets.filter((x) => x.hour >= since)) {
      messagesByHourOfDay[b.hour.getUTCHours()] += b.messages;
      const day = Math.floor(b.hour.getTime() / DAY);
      const entry = days.get(day) ?? { day, sessions: 0, messages: 0 };
      entry.sessions += b.sessions;
      entry.messages += b.messages;
      days.set(day, entry);
    }
    return { messagesByHourOfDay, byDay: [...days.values()] };
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
