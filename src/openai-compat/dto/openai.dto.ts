import { ApiProperty, OpenAPIObject } from '@nestjs/swagger';
import { Allow, IsBoolean, IsIn, IsOptional, IsString, Max, Min } from 'class-validator';
import { QueryInt } from '../../common/http/transforms';
import { IsFiniteNumber, IsOptionalNotNull, IsSafeInt } from '../../common/http/validators';

/** An OpenAPI schema object, as @nestjs/swagger types it. */
type Schema = Exclude<NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string], { $ref: string }>;

const MESSAGE_ITEMS: Schema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      type: { type: 'string', enum: ['message'] },
      role: { type: 'string', enum: ['user', 'assistant', 'system', 'developer'] },
      content: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'object', properties: { type: { type: 'string' }, text: { type: 'string' } } } }] },
    },
  },
};

const METADATA: Schema = { type: 'object', additionalProperties: { type: 'string' }, nullable: true, description: 'Up to 16 string pairs (keys ≤ 64, values ≤ 512 characters).' };

export class CreateConversationDto {
  @Allow()
  @ApiProperty({ oneOf: [METADATA], required: false })
  metadata?: unknown;

  /** Messages that seed the conversation; system and developer ones become its system prompt. */
  @Allow()
  @ApiProperty({ oneOf: [MESSAGE_ITEMS], required: false, nullable: true })
  items?: unknown;
}

export class UpdateConversationDto {
  @Allow()
  @ApiProperty({ oneOf: [METADATA], required: true })
  metadata: unknown;
}

export class CreateItemsDto {
  @Allow()
  @ApiProperty({ oneOf: [MESSAGE_ITEMS], required: true })
  items: unknown;

  /** Accepted for compatibility: text messages have nothing more to include. */
  @IsOptional()
  @IsString({ each: true })
  include?: string[];
}

export class ListItemsQueryDto {
  /** An item id: the page starts after it, in the order asked. */
  @IsOptional()
  @IsString()
  after?: string;

  @IsOptionalNotNull()
  @QueryInt()
  @IsSafeInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @IsOptionalNotNull()
  @IsIn(['asc', 'desc'])
  @ApiProperty({ enum: ['asc', 'desc'], required: false, default: 'desc' })
  order: 'asc' | 'desc' = 'desc';

  /** Accepted for compatibility: text messages have nothing more to include. */
  @IsOptional()
  @Allow()
  include?: unknown;
}

export class CreateResponseDto {
  /** One of GET /v1/models; absent: the conversation's model, else the service's. */
  @IsOptional()
  @IsString()
  model?: string;

  /** The prompt: a string, or message items whose last one is the user's. */
  @Allow()
  @ApiProperty({ oneOf: [{ type: 'string' }, MESSAGE_ITEMS] })
  input: unknown;

  /** The conversation this turn continues: its id, or `{id}`. */
  @Allow()
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'object', properties: { id: { type: 'string' } } }], required: false })
  conversation?: unknown;

  /** A system prompt for this turn, in place of the conversation's. */
  @IsOptional()
  @IsString()
  instructions?: string;

  @IsOptional()
  @IsFiniteNumber()
  @Min(0)
  @Max(2)
  temperature?: number;

  /** Answer as Responses streaming events (`text/event-stream`). */
  @IsOptional()
  @IsBoolean()
  stream?: boolean;

  /** Without a conversation, false runs the turn without storing it. */
  @IsOptional()
  @IsBoolean()
  store?: boolean;

  @Allow()
  @ApiProperty({ oneOf: [METADATA], required: false })
  metadata?: unknown;
}
