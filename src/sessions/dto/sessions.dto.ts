import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { LowerCase, QueryBool, QueryInt } from '../../common/http/transforms';
import { INT32_MAX, IsIsoMoment, IsOptionalNotNull, IsSafeInt, WithDefault } from '../../common/http/validators';
import { MAX_CHAT_NAME_LENGTH, MAX_TAG_LENGTH, MAX_TAGS } from '../domain/organise';

export const ARCHIVED_FILTERS = ['false', 'true', 'all'] as const;
export type ArchivedQuery = (typeof ARCHIVED_FILTERS)[number];

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

  /** Only sessions with this tag (compared after the same normalization as stored tags: trimmed, lower case). */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TAG_LENGTH * 2)
  tag?: string;

  /** Only pinned (`true`) or only unpinned (`false`) sessions. */
  @IsOptional()
  @QueryBool()
  @IsBoolean()
  pinned?: boolean;

  /** `false`: archived sessions are left out; `true`: only archived ones (the archive view); `all`: both. */
  @WithDefault()
  @IsIn(ARCHIVED_FILTERS)
  @ApiProperty({ enum: ARCHIVED_FILTERS, default: 'false', required: false })
  archived: ArchivedQuery = 'false';
}

/** A session in a listing, and the reply of GET and PATCH /api/sessions/{id}. */
export class SessionSummaryDto {
  session_id: string;
  chat_name: string;
  /** ISO-8601, UTC. */
  created_at: string;
  /** ISO-8601, UTC. */
  last_activity: string;
  message_count: number;
  /** Pinned sessions come first in listings. */
  pinned: boolean;
  /** Archived sessions are left out of listings unless asked for. */
  archived: boolean;
  /** Lower case, sorted. */
  tags: string[];
}

/** Absent fields stay as they are. */
export class UpdateSessionRequestDto {
  /** A new name: trimmed, not blank, at most 200 characters. */
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(MAX_CHAT_NAME_LENGTH * 4)
  chat_name?: string;

  @IsOptionalNotNull()
  @IsBoolean()
  pinned?: boolean;

  @IsOptionalNotNull()
  @IsBoolean()
  archived?: boolean;

  /**
   * The whole new set of tags (`[]` removes them all): each is trimmed and lower-cased, and holds
   * letters, digits, and `-`, `_`, `.` or single spaces between them, at most 32 characters;
   * duplicates merge; at most 20 tags.
   */
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(MAX_TAGS * 5)
  @IsString({ each: true })
  @MaxLength(MAX_TAG_LENGTH * 4, { each: true })
  tags?: string[];
}

export class ActiveSessionsResponseDto {
  /** The sessions whose memory window is held now. */
  active_sessions: string[];
  /** How many sessions are held, before paging. */
  total_sessions: number;
}
