import { Scope } from '../../sessions/domain/session';

export interface ActivityTotals {
  readonly sessions: number;
  readonly messages: number;
  readonly sessionsActiveSince: number;
}

export interface DayCount {
  /** Days since the Unix epoch (UTC). */
  readonly day: number;
  readonly sessions: number;
  readonly messages: number;
}

export interface ActivitySince {
  /** Messages by UTC hour of day, 24 numbers. */
  readonly messagesByHourOfDay: number[];
  /** Days with any activity, oldest first. */
  readonly byDay: DayCount[];
}

/** Counters kept up to date as sessions and messages are written and deleted: reads cost no scan. */
export abstract class ActivityReader {
  /** Totals now, and how many sessions were active at or after `activeSince`. */
  abstract totals(scope: Scope, activeSince: Date): Promise<ActivityTotals>;

  /** Activity from the start of the UTC hour holding `since`, folded by hour of day and by day. */
  abstract activitySince(scope: Scope, since: Date): Promise<ActivitySince>;
}
