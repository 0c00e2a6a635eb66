import { IsBoolean, IsIn, IsOptional, Max, Min } from 'class-validator';
import { IsIsoMoment, IsSafeInt, WithDefault } from '../../common/http/validators';

export class CleanupRequestDto {
  /** Sessions whose last activity is older than this many days are deleted. */
  @WithDefault()
  @IsSafeInt()
  @Min(1)
  @Max(36500)
  days_old: number = 30;

  /** Count what would be deleted, and delete nothing. */
  @WithDefault()
  @IsBoolean()
  dry_run: boolean = false;
}

export class CleanupResponseDto {
  /** Sessions deleted, or that would be on a dry run. */
  deleted_count: number;
  days_old: number;
  dry_run: boolean;
}

export class DayActivityDto {
  /** A UTC day, YYYY-MM-DD. */
  date: string;
  /** Sessions created that day (and still stored). */
  sessions: number;
  /** Messages written that day (and still stored). */
  messages: number;
}

export class SessionStatsDto {
  total_sessions: number;
  total_messages: number;
  /** Sessions with activity in the last 24 hours. */
  recent_sessions_24h: number;
  /** Sessions whose memory window is held now. */
  active_sessions: number;
  avg_messages_per_session: number;
  /** Stored messages of the last 30 days by UTC hour of day: 24 numbers, hour 0 first. */
  messages_by_hour: number[];
  /** The last 30 UTC days, oldest first, today last. */
  sessions_by_day: DayActivityDto[];
}

export class SessionStatsResponseDto {
  stats: SessionStatsDto;
}

export class UsageQueryDto {
  /**
   * The first moment of the range: `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS[.fff]]` with `Z` or `±HH:MM`.
   * Its bucket is the first. Absent: a day (hours) or 30 days (days) before `to`.
   */
  @IsOptional()
  @IsIsoMoment()
  from?: string;

  /** The last moment of the range, in the same forms (its bucket is the last). Absent: now. */
  @IsOptional()
  @IsIsoMoment()
  to?: string;

  /** Buckets of a UTC hour or a UTC day. At most 744 hours or 366 days per request. */
  @WithDefault()
  @IsIn(['hour', 'day'])
  granularity: 'hour' | 'day' = 'hour';
}

export class UsagePointDto {
  /** The bucket's start (ISO-8601 UTC). */
  start: string;
  /** Turns started (human messages written) in the bucket, imported conversations included. */
  turns: number;
  /** Sessions created in the bucket. */
  new_sessions: number;
  /** Distinct users who started a turn in the bucket; without accounts everyone is one user. */
  active_users: number;
  /** Model calls that answered. */
  model_calls: number;
  /** Model calls that failed (unreachable, bad answer, timed out). */
  model_errors: number;
  /** Mean latency of the calls that answered, in ms; null without calls. */
  avg_latency_ms: number | null;
  /** 95th percentile latency, in ms, as the upper bound of a √2-wide log-scale histogram bucket; null without calls. */
  p95_latency_ms: number | null;
  /** Tokens sent to the model (the whole context of each call). */
  tokens_in: number;
  /** Tokens of the model's replies. */
  tokens_out: number;
  /** Mean sentiment of the human messages (AFINN per word: below 0 negative, above 0 positive); null without any. */
  avg_sentiment: number | null;
  /** Human messages whose sentiment went into `avg_sentiment`. */
  scored_messages: number;
}

export class UsageResponseDto {
  granularity: 'hour' | 'day';
  /** The first bucket's start. */
  from: string;
  /** The end of the last bucket (exclusive). */
  to: string;
  /** Every bucket of the range, oldest first; buckets without usage are zeros. */
  series: UsagePointDto[];
}
