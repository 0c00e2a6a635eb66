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

/** A message in `chat-sessions/1`. */
export class ArchivedMessageDto {
  /** Its id in the service that wrote the file (an import gives new ones). */
  id: number;
  @ApiProperty({ enum: ['Human', 'AI'] })
  sender: 'Human' | 'AI';
  content: string;
  /** ISO-8601 UTC. */
  timestamp: string;
}

export class ArchivedMemoryDto {
  @ApiProperty({ enum: ['window', 'tokens', 'summary'] })
  strategy: string;
  max_history: number;
  @ApiProperty({ type: 'integer', nullable: true })
  max_tokens: number | null;
}

export class ArchivedSettingsDto {
  @ApiProperty({ type: 'string', nullable: true })
  system_prompt: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  model: string | null;
  @ApiProperty({ type: 'number', nullable: true })
  temperature: number | null;
  memory: ArchivedMemoryDto;
}

/** A session in `chat-sessions/1`. */
export class ArchivedSessionDto {
  /** Its id in the service that wrote the file (an import always makes a new session). */
  id: string;
  chat_name: string;
  created_at: string;
  last_activity: string;
  message_count: number;
  /** The session's own settings; null: it uses the service defaults. */
  @ApiProperty({ type: ArchivedSettingsDto, nullable: true })
  settings: ArchivedSettingsDto | null;
  /** Oldest first. */
  messages: ArchivedMessageDto[];
}

/** The `chat-sessions/1` document (docs/chat-sessions-format.md): what `format=json` and `GET /api/export` write and an import reads. */
export class ArchiveDocumentDto {
  @ApiProperty({ enum: ['chat-sessions/1'] })
  format: 'chat-sessions/1';
  exported_at: string;
  sessions: ArchivedSessionDto[];
}
