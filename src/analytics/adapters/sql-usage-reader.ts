import { Injectable } from '@nestjs/common';
import { Sql } from '../../database/sql';
import { LATENCY_BUCKETS } from '../../sessions/domain/latency-buckets';
import { BUCKET_HOURS, Granularity, UsageBucket, UsageReader } from '../domain/usage-reader';

interface HourlyRow {
  b: number | string;
  turns: number | string;
  new_sessions: number | string;
  active_users: number | string;
  model_calls: number | string;
  model_errors: number | string;
  latency_ms_sum: number | string;
  tokens_in: number | string;
  tokens_out: number | string;
  sentiment_sum: number | string;
  sentiment_count: number | string;
}

/** Sums the shards of `usage_hourly` and `usage_latency` per bucket, through their (hour, shard…) keys. */
@Injectable()
export class SqlUsageReader extends UsageReader {
  constructor(private readonly sql: Sql) {
    super();
  }

  async buckets(fromHour: number, toHour: number, granularity: Granularity): Promise<UsageBucket[]> {
    const size = BUCKET_HOURS[granularity];
    // A day's distinct users are kept in the row of its first hour; the hours' own would count a user once per hour.
    const users = granularity === 'day' ? 'active_users_day' : 'active_users';
    const [hours, latencies] = await Promise.all([
      this.sql.all<HourlyRow>(
        `SELECT hour / ${size} AS b, SUM(turns) AS turns, SUM(new_sessions) AS new_sessions, SUM(${users}) AS active_users,
           SUM(model_calls) AS model_calls, SUM(model_errors) AS model_errors, SUM(latency_ms_sum) AS latency_ms_sum,
           SUM(tokens_in) AS tokens_in, SUM(tokens_out) AS tokens_out, SUM(sentiment_sum) AS sentiment_sum, SUM(sentiment_count) AS sentiment_count
         FROM usage_hourly WHERE hour >= ? AND hour < ? GROUP BY hour / ${size}`,
        [fromHour, toHour],
      ),
      this.sql.all<{ b: number | string; bucket: number; calls: number | string }>(
        `SELECT hour / ${size} AS b, bucket, SUM(calls) AS calls FROM usage_latency WHERE hour >= ? AND hour < ? GROUP BY hour / ${size}, bucket`,
        [fromHour, toHour],
      ),
    ]);
    const histograms = new Map<number, number[]>();
    for (const row of latencies) {
      const b = Number(row.b);
      let histogram = histograms.get(b);
      if (!histogram) histograms.set(b, (histogram = new Array<number>(LATENCY_BUCKETS).fill(0)));
      histogram[Number(row.bucket)] += Number(row.calls);
    }
    return hours.map((row) => toBucket(row, size, histograms.get(Number(row.b)) ?? new Array<number>(LATENCY_BUCKETS).fill(0)));
  }
}

function toBucket(row: HourlyRow, size: number, latencyHistogram: number[]): UsageBucket {
  return {
    hour: Number(row.b) * size,
    turns: Number(row.turns),
    newSessions: Number(row.new_sessions),
    activeUsers: Number(row.active_users),
    modelCalls: Number(row.model_calls),
    modelErrors: Number(row.model_errors),
    latencyMsSum: Number(row.latency_ms_sum),
    latencyHistogram,
    tokensIn: Number(row.tokens_in),
    tokensOut: Number(row.tokens_out),
    sentimentSum: Number(row.sentiment_sum),
    sentimentCount: Number(row.sentiment_count),
  };
}
