import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { LowerCase } from '../../common/http/transforms';
import { IsFiniteNumber, IsSafeInt } from '../../common/http/validators';
import { MAX_WINDOW_TURNS } from '../../memory/domain/conversation-memory';
import { MAX_MAX_TOKENS, MEMORY_STRATEGIES, MIN_MAX_TOKENS, type MemoryStrategy } from '../domain/session-settings';

export class SessionParamsDto {
  /** A session id (UUID). */
  @IsUUID('all')
  @LowerCase()
  session_id: string;
}

export class MemorySettingsChangeDto {
  /** `window`: the last `max_history` turns; `tokens`: the newest of those that fit in `max_tokens`; `summary`: a running summary of older turns, then the window as under `tokens`. Null: MEMORY_STRATEGY. */
  @IsOptional()
  @IsIn(MEMORY_STRATEGIES)
  @ApiProperty({ enum: MEMORY_STRATEGIES, nullable: true, required: false })
  strategy?: MemoryStrategy | null;

  /** Earlier turns shown to the model when a generate request does not say. Null: 10. */
  @IsOptional()
  @IsSafeInt()
  @Min(1)
  @Max(MAX_WINDOW_TURNS)
  max_history?: number | null;

  /** Token budget of the whole context under `tokens` and `summary`. Null: MEMORY_MAX_TOKENS. */
  @IsOptional()
  @IsSafeInt()
  @Min(MIN_MAX_TOKENS)
  @Max(MAX_MAX_TOKENS)
  max_tokens?: number | null;
}

/** A change of settings: absent fields stay as they are, null resets a field to the service default. */
export class UpdateSettingsRequestDto {
  /** Sent to the model first, as a system message, on every turn. At most MAX_PROMPT_CHARS characters. */
  @IsOptional()
  @IsString()
  system_prompt?: string | null;

  /** One of the allowed models (`allowed_models`: OPENAI_MODELS). Null: OPENAI_MODEL. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  model?: string | null;

  /** Sampling temperature, 0 to 2. Null: the model server's default. */
  @IsOptional()
  @IsFiniteNumber()
  @Min(0)
  @Max(2)
  temperature?: number | null;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MemorySettingsChangeDto)
  memory?: MemorySettingsChangeDto | null;
}

export class MemorySettingsDto {
  @ApiProperty({ enum: MEMORY_STRATEGIES })
  strategy: MemoryStrategy;
  max_history: number;
  /** Null: MEMORY_MAX_TOKENS applies under `tokens` and `summary`. */
  max_tokens: number | null;
}

export class SessionSettingsDto {
  system_prompt: string | null;
  /** Null: OPENAI_MODEL. */
  model: string | null;
  /** Null: the model server's default. */
  temperature: number | null;
  memory: MemorySettingsDto;
  /** The models `model` may name. */
  allowed_models: string[];
}
