import { IsBoolean, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { LowerCase, QueryBool, QueryInt } from '../../common/http/transforms';

export class SessionIdParamsDto {
  /** A session id (UUID). */
  @IsUUID('all')
  @LowerCase()
  session_id: string;
}

export class ListSessionsQueryDto {
  /** Page size. */
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number = 100;

  /** Sessions to skip. */
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(0)
  offset?: number = 0;

  /** Case-insensitive text matched against chat names and message contents. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  q?: string;

  /** Only sessions active at or after this ISO date or time (a date means its start, UTC). */
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  /** Only sessions active at or before this ISO date or time (a date means its whole day, UTC). */
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;

  /** Every user's sessions instead of the caller's own: admins only. */
  @IsOptional()
  @QueryBool()
  @IsBoolean()
  all?: boolean;
}

export class SessionSummaryDto {
  session_id: string;
  chat_name: string;
  /** ISO-8601, UTC. */
  created_at: string;
  /** ISO-8601, UTC. */
  last_activity: string;
  message_count: number;
}

export class ActiveSessionsResponseDto {
  /** The sessions whose memory window is held now. */
  active_sessions: string[];
  /** The length of `active_sessions`. */
  total_sessions: number;
}
