import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ConversationMemory } from '../memory/domain/conversation-memory';
import { EVERYONE, Scope } from '../sessions/domain/session';
import { ActivityReader } from './domain/activity-reader';

const DAY_MS = 86_400_000;
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
    const today = Math.floor(now / DAY_MS);
    const firstDay = today - (DAYS_SHOWN - 1);
    const [totals, activity, active] = await Promise.all([
      this.activity.totals(scope, new Date(now - DAY_MS)),
      this.activity.activitySince(scope, new Date(firstDay * DAY_MS)),
      this.memory.activeSessionCount(),
    ]);
    const byDay = new Map(activity.byDay.map((d) => [d.day, d]));
    const sessionsByDay = Array.from({ length: DAYS_SHOWN }, (_, i) => {
      const day = firstDay + i;
      return { date: new Date(day * DAY_MS).toISOString().slice(0, 10), sessions: byDay.get(day)?.sessions ?? 0, messages: byDay.get(day)?.messages ?? 0 };
    });
    return {
      totalSessions: totals.sessions,
      totalMessages: totals.messages,
      recentSessions24h: totals.sessionsActiveSince,
      activeSessions: active,
      avgMessagesPerSession: totals.sessions === 0 ? 0 : Math.round((totals.messages / totals.sessions) * 100) / 100,
      messagesByHour: activity.messagesByHourOfDay,
      sessionsByDay,
    };
  }
}
