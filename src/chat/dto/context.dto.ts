import { IsUUID } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { LowerCase } from '../../common/http/transforms';
import { MEMORY_STRATEGIES, type MemoryStrategy } from '../../settings/domain/session-settings';

export class ContextParamsDto {
  /** A session id (UUID). */
  @IsUUID('all')
  @LowerCase()
  session_id: string;
}

export class ContextMessageDto {
  @ApiProperty({ enum: ['system', 'user', 'assistant'] })
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export class SessionContextDto {
  /** Exactly what the model would receive before the next prompt, in OpenAI's roles. */
  messages: ContextMessageDto[];
  /** What those messages cost, counted with the model's tokenizer (js-tiktoken), overheads included. */
  tokens: number;
  /** The budget under `tokens` and `summary`; null under `window`. */
  max_tokens: number | null;
  @ApiProperty({ enum: MEMORY_STRATEGIES })
  strategy: MemoryStrategy;
  /** The id of the last message the running summary covers; null when there is none. */
  summary_covers_until: number | null;
}
