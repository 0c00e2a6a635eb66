import { IsBoolean, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { LowerCase, QueryBool, QueryInt } from '../../common/http/transforms';
import { INT32_MAX, IsIsoMoment, IsSafeInt, WithDefault } from '../../common/http/validators';

export class SessionIdParamsDto {
  /** A session id (UUID). */
  @IsUUID('all')
  @LowerCase()
  session_id: string;
}

/** A page of a list: all of it when `limit` is absent. */
export class PageQueryDto {
  /** Page size; without it, the whole list. */
  @IsOptional()
  @QueryInt()
  @IsSafeInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  /** Items to skip. */
  @WithDefault()
  @QueryInt()
  @IsSafeInt()
  @Min(0)
  @Max(INT32_MAX)
  offset: number = 0;
}

export class ListSessionsQueryDto extends PageQueryDto {
  /** Case-insensitive text matched against chat names and message contents. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  q?: string;

  /**
   * Only sessions active at or after this moment: `YYYY-MM-DD` (its start, UTC) or
   * `YYYY-MM-DDTHH:MM[:SS[.fff]]` with `Z` or `±HH:MM`; years 0001–9999.
   */
  @IsOptional()
  @IsIsoMoment()
  since?: string;

  /** Only sessions active at or before this moment, in the same forms as `since` (a date means its whole day, UTC). */
  @IsOptional()
  @IsIsoMoment()
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
  /** How many sessions are held, before paging. */
  total_sessions: number;
}
