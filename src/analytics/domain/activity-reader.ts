import { Scope } from '../../sessions/domain/session';

export interface ActivityBucket {
  /** The start of a UTC hour. */
  readonly hour: Date;
  readonly sessions: number;
  readonly messages: number;
}

export interface ActivityTotals {
  readonly sessions: number;
  readonly messages: number;
  readonly sessionsActiveSince: number;
}

/** Counters kept up to date as sessions and messages are written and deleted: reads cost no scan. */
export abstract class ActivityReader {
  /** Totals now, and how many sessions were active at or after `activeSince`. */
  abstract totals(scope: Scope, activeSince: Date): Promise<ActivityTotals>;

  /** Hourly buckets with any activity at or after `since`, oldest first. */
  abstract hourlyActivity(scope: Scope, since: Date): Promise<ActivityBucket[]>;
}
