import { IsBoolean, Max, Min } from 'class-validator';
import { IsSafeInt, WithDefault } from '../../common/http/validators';

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
