import { ApiProperty } from '@nestjs/swagger';

export class ConversationDto {
  /** `conv_` and the session id's 32 hex digits. */
  id: string;
  @ApiProperty({ enum: ['conversation'] })
  object: 'conversation';
  /** Unix seconds. */
  created_at: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  metadata: Record<string, string>;
}

export class ConversationDeletedDto {
  id: string;
  @ApiProperty({ enum: ['conversation.deleted'] })
  object: 'conversation.deleted';
  deleted: boolean;
}

export class TextPartDto {
  @ApiProperty({ enum: ['input_text', 'output_text'] })
  type: string;
  text: string;
}

export class MessageItemDto {
  /** `msg_` and the stored message's id. */
  id: string;
  @ApiProperty({ enum: ['message'] })
  type: 'message';
  @ApiProperty({ enum: ['user', 'assistant'] })
  role: string;
  @ApiProperty({ enum: ['completed', 'in_progress', 'incomplete'] })
  status: string;
  content: TextPartDto[];
}

export class ItemListDto {
  @ApiProperty({ enum: ['list'] })
  object: 'list';
  data: MessageItemDto[];
  @ApiProperty({ type: 'string', nullable: true })
  first_id: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  last_id: string | null;
  has_more: boolean;
}

export class ResponseInputTokensDetailsDto {
  cached_tokens: number;
  cache_write_tokens: number;
}

export class ResponseOutputTokensDetailsDto {
  reasoning_tokens: number;
}

/** The tokens of the turn's model call: the model server's own count when it reported one, else an estimate (four characters a token). */
export class ResponseUsageDto {
  input_tokens: number;
  /** Always 0: the service does not learn cache counts. */
  input_tokens_details: ResponseInputTokensDetailsDto;
  output_tokens: number;
  /** Always 0: the service does not learn reasoning counts. */
  output_tokens_details: ResponseOutputTokensDetailsDto;
  total_tokens: number;
}

export class ResponseDto {
  /** `resp_` and the id of the Human message that started the turn (`resp_x…`: not stored). */
  id: string;
  @ApiProperty({ enum: ['response'] })
  object: 'response';
  created_at: number;
  @ApiProperty({ enum: ['completed', 'incomplete', 'failed', 'in_progress'] })
  status: string;
  model: string;
  output: MessageItemDto[];
  /** The text of every output_text part, joined. */
  output_text: string;
  @ApiProperty({ type: 'object', nullable: true, properties: { id: { type: 'string' } } })
  conversation: { id: string } | null;
  @ApiProperty({ type: 'string', nullable: true })
  instructions: string | null;
  @ApiProperty({ type: 'number', nullable: true })
  temperature: number | null;
  store: boolean;
  @ApiProperty({ type: 'object', nullable: true, properties: { code: { type: 'string' }, message: { type: 'string' } } })
  error: { code: string; message: string } | null;
  /** Null while in progress, for a failed turn, and for a stored response read back (usage is not kept per message). */
  @ApiProperty({ type: ResponseUsageDto, nullable: true })
  usage: ResponseUsageDto | null;
}

export class ModelDto {
  id: string;
  @ApiProperty({ enum: ['model'] })
  object: 'model';
  created: number;
  owned_by: string;
}

export class ModelListDto {
  @ApiProperty({ enum: ['list'] })
  object: 'list';
  data: ModelDto[];
}

export class OpenAiErrorDto {
  @ApiProperty({
    type: 'object',
    properties: { message: { type: 'string' }, type: { type: 'string' }, param: { type: 'string', nullable: true }, code: { type: 'string', nullable: true } },
  })
  error: { message: string; type: string; param: string | null; code: string | null };
}
