import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { InvalidInputError } from '../common/domain-error';
import { percentileMs } from '../sessions/domain/latency-buckets';
import { BUCKET_HOURS, Granularity, UsageBucket, UsageReader } from './domain/usage-reader';

const HOUR_MS = 3_600_000;

/** The most buckets one request may ask for: a month of hours, a year of days. */
export const MAX_BUCKETS: Readonly<Record<Granularity, number>> = { hour: 744, day: 366 };

/** What a range defaults to when `from` is left out: a day of hours, thirty days. */
const DEFAULT_SPAN_HOURS: Readonly<Record<Granularity, number>> = { hour: 24, day: 30 * 24 };

export interface UsageQuery {
  readonly from?: Date;
  readonly to?: Date;
  readonly granularity: Granularity;
}

export interface UsagePoint {
  readonly start: Date;
  readonly turns: number;
  readonly newSessions: number;
  readonly activeUsers: number;
  readonly modelCalls: number;
  readonly modelErrors: number;
  readonly avgLatencyMs: number | null;
  readonly p95LatencyMs: number | null;
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly avgSentiment: number | null;
  readonly scoredMessages: number;
}

export interface UsageSeries {
  readonly granularity: Granularity;
  /** The first bucket's start. */
  readonly from: Date;
  /** The end of the last bucket (exclusive). */
  readonly to: Date;
  /** Every bucket of the range, oldest first, empty ones as zeros. */
  readonly points: UsagePoint[];
}

/** Usage over time, from the counters the turns keep: each bucket costs the same whatever the store holds. */
@Injectable()
export class UsageService {
  constructor(
    private readonly reader: UsageReader,
    private readonly clock: Clock,
  ) {}

  async series({ from, to, granularity }: UsageQuery): Promise<UsageSeries> {
    const size = BUCKET_HOURS[granularity];
    const last = bucketOf(hourOf(to ?? this.clock.now()), size);
    const first = from ? bucketOf(hourOf(from), size) : last - DEFAULT_SPAN_HOURS[granularity] + size;
    if (from && to && from > to) throw new InvalidInputError(`from (${from.toISOString()}) must not be after to (${to.toISOString()}).`);
    const count = (last - first) / size + 1;
    if (count > MAX_BUCKETS[granularity]) {
      throw new InvalidInputError(
        `The range holds ${count} ${granularity} buckets; at most ${MAX_BUCKETS[granularity]} are served: narrow it${granularity === 'hour' ? ' or ask for granularity=day' : ''}.`,
      );
    }
    const found = new Map((await this.reader.buckets(first, last + size, granularity)).map((b) => [b.hour, b]));
    const points = Array.from({ length: count }, (_, i) => toPoint(first + i * size, found.get(first + i * size)));
    return { granularity, from: new Date(first * HOUR_MS), to: new Date((last + size) * HOUR_MS), points };
  }
}

/** Hours since the epoch, as the counters key them. */
function hourOf(at: Date): number {
  return Math.floor(at.getTime() / HOUR_MS);
}

function bucketOf(hour: number, size: number): number {
  return Math.floor(hour / size) * size;
}

function toPoint(hour: number, b: UsageBucket | undefined): UsagePoint {
  const start = new Date(hour * HOUR_MS);
  if (!b) {
    return { start, turns: 0, newSessions: 0, activeUsers: 0, modelCalls: 0, modelErrors: 0, avgLatencyMs: null, p95LatencyMs: null, tokensIn: 0, tokensOut: 0, avgSentiment: null, scoredMessages: 0 };
  }
  const p95 = percentileMs(b.latencyHistogram, 0.95);
  return {
    start,
    turns: b.turns,
    newSessions: b.newSessions,
    activeUsers: b.activeUsers,
    modelCalls: b.modelCalls,
    modelErrors: b.modelErrors,
    avgLatencyMs: b.modelCalls === 0 ? null : round(b.latencyMsSum / b.modelCalls, 1),
    p95LatencyMs: p95 === null ? null : round(p95, 1),
    tokensIn: b.tokensIn,
    tokensOut: b.tokensOut,
    avgSentiment: b.sentimentCount === 0 ? null : round(b.sentimentSum / b.sentimentCount, 4),
    scoredMessages: b.sentimentCount,
  };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
