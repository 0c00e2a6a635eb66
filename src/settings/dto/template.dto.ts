import { ArrayMaxSize, IsArray, IsString, Matches, MaxLength } from 'class-validator';
import { PickType } from '@nestjs/swagger';
import { LowerCase } from '../../common/http/transforms';
import { IsOptionalNotNull, WithDefault } from '../../common/http/validators';
import { TEMPLATE_ID_PATTERN } from '../domain/template';
import { MemorySettingsChangeDto, UpdateSettingsRequestDto } from './settings.dto';

export const MAX_STARTER_PROMPTS = 10;
const MAX_STARTER_PROMPT_CHARS = 1000;

export class TemplateParamsDto {
  /** A template id: a UUID, or the name of a built-in one such as `code-reviewer`. */
  @Matches(TEMPLATE_ID_PATTERN, { message: 'id must be a template id (a UUID or a built-in name such as code-reviewer)' })
  @LowerCase()
  id: string;
}

/** model, temperature and memory, validated exactly as a session's settings are; null: the service default. */
class TemplateSettingsFields extends PickType(UpdateSettingsRequestDto, ['model', 'temperature', 'memory'] as const) {}

export class CreateTemplateRequestDto extends TemplateSettingsFields {
  /** Shown in the template picker: non-blank, at most 100 characters. */
  @IsString()
  @MaxLength(100)
  name: string;

  /** Groups templates in the picker: at most 50 characters. */
  @WithDefault()
  @IsString()
  @MaxLength(50)
  category: string = 'general';

  /** Sent first, as a system message, on every turn of a session started from the template. At most MAX_PROMPT_CHARS characters. */
  @IsString()
  system_prompt: string;

  /** Suggestions shown on the empty chat: at most 10, each at most 1000 characters. */
  @WithDefault()
  @IsArray()
  @ArrayMaxSize(MAX_STARTER_PROMPTS)
  @IsString({ each: true })
  @MaxLength(MAX_STARTER_PROMPT_CHARS, { each: true })
  starter_prompts: string[] = [];
}

/** A change: absent fields stay as they are; null resets model, temperature or memory to the service default. */
export class UpdateTemplateRequestDto extends TemplateSettingsFields {
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(100)
  name?: string;

  @IsOptionalNotNull()
  @IsString()
  @MaxLength(50)
  category?: string;

  @IsOptionalNotNull()
  @IsString()
  system_prompt?: string;

  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(MAX_STARTER_PROMPTS)
  @IsString({ each: true })
  @MaxLength(MAX_STARTER_PROMPT_CHARS, { each: true })
  starter_prompts?: string[];
}

export class TemplateDto {
  id: string;
  name: string;
  category: string;
  system_prompt: string;
  starter_prompts: string[];
  /** Null: OPENAI_MODEL. */
  model: string | null;
  /** Null: the model server's default. */
  temperature: number | null;
  /** Null (or a null field): the service defaults. */
  memory: MemorySettingsChangeDto | null;
  /** Defined by the service and shared by everyone; it cannot be changed or deleted. */
  builtin: boolean;
}
