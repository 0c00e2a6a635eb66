import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CallerScope } from '../common/http/access';
import { ApiErrors } from '../common/http/api-docs';
import { Scope, StoredMessage } from '../sessions/domain/session';
import { ClearHistoryResponseDto, GetHistoryRequestDto, GetHistoryResponseDto, HistoryMessageDto, SessionRefDto } from './dto/history.dto';
import { HistoryService } from './history.service';

@ApiTags('history')
@ApiErrors(400, 401, 404, 415, 429)
@Controller()
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  /** A session's messages, oldest first; pages back with `limit` and `before_id`. */
  @Post('get_history')
  @HttpCode(200)
  @ApiOperation({ summary: 'Read a conversation' })
  @ApiOkResponse({ type: GetHistoryResponseDto })
  async get(@Body() body: GetHistoryRequestDto, @CallerScope() scope: Scope): Promise<GetHistoryResponseDto> {
    const page = await this.history.page(body.session_id, { limit: body.limit, beforeId: body.before_id }, scope);
    return {
      status: 'success',
      session_id: body.session_id,
      history: page.messages.map((m) => `${m.sender}: ${m.content}`),
      messages: page.messages.map(toHistoryMessage),
      has_more: page.hasMore,
    };
  }

  /** Deletes the messages, keeps the session (name, creation time) and drops its memory window. */
  @Post('clear_history')
  @HttpCode(200)
  @ApiOperation({ summary: 'Clear a conversation' })
  @ApiOkResponse({ type: ClearHistoryResponseDto })
  async clear(@Body() body: SessionRefDto, @CallerScope() scope: Scope): Promise<ClearHistoryResponseDto> {
    const deleted = await this.history.clear(body.session_id, scope);
    return { status: 'success', session_id: body.session_id, deleted_messages: deleted };
  }
}

function toHistoryMessage(message: StoredMessage): HistoryMessageDto {
  return { id: message.id, sender: message.sender, content: message.content, timestamp: message.timestamp.toISOString() };
}
