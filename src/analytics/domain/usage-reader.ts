export type Granularity = 'hour' | 'day';

/** The hours of a bucket: an hour, or a UTC day. */
export const BUCKET_HOURS: Readonly<Record<Granularity, number>> = { hour: 1, day: 24 };

/** What happened in one bucket, as the counters kept it at write time. */
export interface UsageBucket {
  /** The bucket's first hour, in hours since the Unix epoch (UTC). */
  readonly hour: number;
  readonly turns: number;
  readonly newSessions: number;
  /** Distinct users with a turn in the bucket (without accounts, everyone is one user). */
  readonly activeUsers: number;
  readonly modelCalls: number;
  readonly modelErrors: number;
  readonly latencyMsSum: number;
  /** Calls by latency bucket (see latency-buckets.ts), index = bucket. */
  readonly latencyHistogram: number[];
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly sentimentSum: number;
  readonly sentimentCount: number;
}

/**
 * The usage series, read from counters kept at write time (`usage_hourly`, `usage_latency`): the
 * rows read grow with the range asked for, never with the number of sessions or messages.
 */
export abstract class UsageReader {
  /** Buckets from hour `fromHour` (a bucket start) to `toHour` (exclusive); buckets without usage are left out. */
  abstract buckets(fromHour: number, toHour: number, granularity: Granularity): Promise<UsageBucket[]>;
}
