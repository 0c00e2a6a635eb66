import { IsUUID, Max, Min } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { LowerCase } from '../../common/http/transforms';
import { INT32_MAX, IsOptionalNotNull, IsSafeInt } from '../../common/http/validators';

export class SessionRefDto {
  /** A session id (UUID). */
  @IsUUID('all')
  @LowerCase()
  session_id: string;
}

export class GetHistoryRequestDto extends SessionRefDto {
  /** The newest `limit` messages (older than `before_id`, when given); all of them when absent. */
  @IsOptionalNotNull()
  @IsSafeInt()
  @Min(1)
  @Max(500)
  limit?: number;

  /** Only messages with a smaller id: the id of the oldest message already shown (ids are 32-bit). */
  @IsOptionalNotNull()
  @IsSafeInt()
  @Min(1)
  @Max(INT32_MAX)
  before_id?: number;
}

export class HistoryMessageDto {
  id: number;
  @ApiProperty({ enum: ['Human', 'AI'] })
  sender: 'Human' | 'AI';
  content: string;
  /** ISO-8601, UTC. */
  timestamp: string;
}

export class GetHistoryResponseDto {
  @ApiProperty({ enum: ['success'] })
  status: 'success';
  session_id: string;
  /** The messages as `Human: <text>` and `AI: <text>`, oldest first. */
  history: string[];
  /** The same messages with their ids and times, oldest first. */
  messages: HistoryMessageDto[];
  /** Whether older messages remain. */
  has_more: boolean;
}

export class ClearHistoryResponseDto {
  @ApiProperty({ enum: ['success'] })
  status: 'success';
  session_id: string;
  deleted_messages: number;
}
