import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsUUID } from 'class-validator';
import { LowerCase, QueryBool } from '../../common/http/transforms';
import { WithDefault } from '../../common/http/validators';

export const EXPORT_FORMATS = ['json', 'markdown', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export class ExportParamsDto {
  /** A session id (UUID). */
  @IsUUID('all')
  @LowerCase()
  session_id: string;
}

export class ExportQueryDto {
  /** `json`: the `chat-sessions/1` document (importable); `markdown`: for reading; `pdf`: for printing. */
  @WithDefault()
  @IsIn(EXPORT_FORMATS)
  @ApiProperty({ enum: EXPORT_FORMATS, required: false, default: 'json' })
  format: ExportFormat = 'json';
}

export class ImportQueryDto {
  /** `true`: read the file and answer the same report, storing nothing. */
  @WithDefault()
  @QueryBool()
  @IsBoolean()
  dry_run: boolean = false;
}

export class SkippedConversationDto {
  /** The conversation's position in the file, counted from 0. */
  index: number;
  /** Its title in the file ('' when it has none). */
  title: string;
  /** Why it was not imported. */
  reason: string;
}

export class ImportReportDto {
  /** The format the file was read as. */
  @ApiProperty({ enum: ['chat-sessions', 'chatgpt', 'claude'] })
  format: 'chat-sessions' | 'chatgpt' | 'claude';
  /** Conversations imported (with `dry_run`: that would be). */
  imported: number;
  /** The new sessions, in the file's order (empty with `dry_run`). */
  session_ids: string[];
  /** Conversations left out, each with its reason. */
  skipped: SkippedConversationDto[];
}
