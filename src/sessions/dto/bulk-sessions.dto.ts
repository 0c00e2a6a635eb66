import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsObject, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsIsoMoment, IsOptionalNotNull, IsSafeInt, WithDefault } from '../../common/http/validators';
import { MAX_TAG_LENGTH } from '../domain/organise';

export const BULK_ACTIONS = ['delete', 'archive', 'unarchive', 'tag', 'untag'] as const;
export type BulkActionName = (typeof BULK_ACTIONS)[number];
/** Ids one request may name: bound parameters stay well under both dialects' limits. */
const MAX_SELECTED = 1_000;

/** Which sessions: every criterion given must hold; absent ones match anything. */
export class BulkFilterDto {
  /** Sessions with this tag (normalized like stored tags: trimmed, lower case). */
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(MAX_TAG_LENGTH * 4)
  tag?: string;

  /** `true`: only archived sessions; `false`: only the others; absent: both. */
  @IsOptionalNotNull()
  @IsBoolean()
  archived?: boolean;

  /** `true`: only pinned sessions; `false`: only the others; absent: both. */
  @IsOptionalNotNull()
  @IsBoolean()
  pinned?: boolean;

  /** Text matched as `q` on GET /api/session_names: chat names by substring, message contents by words. */
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(500)
  q?: string;

  /** Sessions with no activity for at least this many days. */
  @IsOptionalNotNull()
  @IsSafeInt()
  @Min(0)
  @Max(36_500)
  idle_days?: number;

  /** Sessions created before this moment: `YYYY-MM-DD` (its start, UTC) or `YYYY-MM-DDTHH:MM[:SS[.fff]]` with `Z` or `±HH:MM`. */
  @IsOptionalNotNull()
  @IsIsoMoment()
  created_before?: string;

  /** Only these sessions (what a person selected), at most 1,000; unknown ids and other users' are ignored. */
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SELECTED)
  @IsUUID('all', { each: true })
  session_ids?: string[];
}

export class BulkSessionsRequestDto {
  @IsObject()
  @ValidateNested()
  @Type(() => BulkFilterDto)
  filter: BulkFilterDto;

  /** `delete` removes the sessions with everything they own; the others change their organisation. */
  @IsIn(BULK_ACTIONS)
  @ApiProperty({ enum: BULK_ACTIONS })
  action: BulkActionName;

  /** The tag to add or remove: required by `tag` and `untag`, refused by the other actions. */
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(MAX_TAG_LENGTH * 4)
  tag?: string;

  /** Count and name what would change, and change nothing. */
  @WithDefault()
  @IsBoolean()
  dry_run: boolean = false;

  /** Required (`true`) when the filter is empty, to act on every session; refused with a non-empty filter. */
  @WithDefault()
  @IsBoolean()
  match_all: boolean = false;

  /** Act on every user's sessions instead of the caller's own: admins only (403 otherwise). */
  @WithDefault()
  @IsBoolean()
  all_users: boolean = false;
}

export class BulkSessionRefDto {
  session_id: string;
  chat_name: string;
}

export class BulkSessionsResponseDto {
  /** Sessions the filter matched when the request started. */
  matched: number;
  /** Sessions the action changed (on a dry run: would change): archiving skips archived ones, tagging those with the tag or with 20 tags. */
  affected: number;
  /** The first 20 of the sessions the action takes, in listing order (pinned first, then most recent). */
  sample: BulkSessionRefDto[];
}
