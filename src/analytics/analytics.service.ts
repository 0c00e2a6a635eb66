import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ConversationMemory } from '../chat/domain/conversation-memory';
import { EVERYONE, Scope } from '../sessions/domain/session';
import { ActivityReader } from './domain/activity-reader';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const DAYS_SHOWN = 30;

export interface DayActivity {
  readonly date: string;
  readonly sessions: number;
  readonly messages: number;
}

export interface SessionStats {
  readonly totalSessions: number;
  readonly totalMessages: number;
  readonly recentSessions24h: number;
  readonly activeSessions: number;
  readonly avgMessagesPerSession: number;
  readonly messagesByHour: number[];
  readonly sessionsByDay: DayActivity[];
}

@Injectable()
export class AnalyticsService {
  constructor(
    private readonly activity: ActivityReader,
    private readonly memory: ConversationMemory,
    private readonly clock: Clock,
  ) {}

  /** Totals, the last 24 hours, and the last 30 UTC days (today included) by hour of day and by day. */
  async stats(scope: Scope = EVERYONE): Promise<SessionStats> {
    const now = this.clock.now().getTime();
    const firstDay = Math.floor(now / DAY_MS) * DAY_MS - (DAYS_SHOWN - 1) * DAY_MS;
    const [totals, buckets, active] = await Promise.all([
      this.activity.totals(scope, new Date(now - DAY_MS)),
      this.activity.hourlyActivity(scope, new Date(firstDay)),
      this.memory.activeSessionIds(),
    ]);
    const messagesByHour = new Array<number>(24).fill(0);
    const sessionsByDay = Array.from({ length: DAYS_SHOWN }, (_, i) => ({
      date: new Date(firstDay + i * DAY_MS).toISOString().slice(0, 10),
      sessions: 0,
      messages: 0,
    }));
    for (const bucket of buckets) {
      const at = bucket.hour.getTime();
      messagesByHour[bucket.hour.getUTCHours()] += bucket.messages;
      const day = sessionsByDay[Math.floor((at - firstDay) / DAY_MS)];
      if (!day) continue;
      day.sessions += bucket.sessions;
      day.messages += bucket.messages;
    }
    return {
      totalSessions: totals.sessions,
      totalMessages: totals.messages,
      recentSessions24h: totals.sessionsActiveSince,
      activeSessions: active.length,
      avgMessagesPerSession: totals.sessions === 0 ? 0 : Math.round((totals.messages / totals.sessions) * 100) / 100,
      messagesByHour,
      sessionsByDay,
    };
  }
}
