import { IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { LowerCase } from '../../common/http/transforms';
import { IsOptionalNotNull, IsSafeInt } from '../../common/http/validators';
import { MAX_WINDOW_TURNS } from '../../memory/domain/conversation-memory';
import { TEMPLATE_ID_PATTERN } from '../../settings/domain/template';

export class GenerateRequestDto {
  /** What the person says: non-blank, at most MAX_PROMPT_CHARS characters (longer is a 413). */
  @IsString()
  prompt: string;

  /** The session to continue; a new one is created when absent or unknown. */
  @IsOptional()
  @IsUUID('all')
  @LowerCase()
  session_id?: string;

  /**
   * How many earlier turns (a Human and an AI message each) the model sees in this turn.
   * When absent, the session's `memory.max_history` setting: 10 unless changed.
   */
  @IsOptionalNotNull()
  @IsSafeInt()
  @Min(1)
  @Max(MAX_WINDOW_TURNS)
  max_history?: number;

  /**
   * Starts a new session from this template (`GET /api/templates`): the session takes its system
   * prompt, model, temperature and memory as its settings. Refused (400) for a session that exists.
   */
  @IsOptionalNotNull()
  @Matches(TEMPLATE_ID_PATTERN, { message: 'template_id must be a template id (a UUID or a built-in name such as code-reviewer)' })
  @LowerCase()
  template_id?: string;
}

export class GenerateResponseDto {
  /** The model's reply. */
  response: string;
  session_id: string;
  /** The session's name: the first 40 characters of its first message. */
  chat_name: string;
  @ApiProperty({ enum: ['conversation'] })
  message_type: 'conversation';
  /** When the reply was stored, in Unix epoch milliseconds. */
  timestamp: number;
  /** The body of the reply's first fenced code block, when it has one. */
  code?: string;
  /** `stop` when the model finished its answer; `length` when the reply was cut at MAX_REPLY_CHARS. */
  @ApiProperty({ enum: ['stop', 'length'] })
  finish_reason: 'stop' | 'length';
}
