import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CallerScope } from '../common/http/access';
import { ApiErrors } from '../common/http/api-docs';
import { Scope } from '../sessions/domain/session';
import { SearchQueryDto, SearchResultDto } from './dto/search.dto';
import { SearchResult, SearchService } from './search.service';

@ApiTags('search')
@ApiErrors(400, 401, 429)
@Controller()
export class SearchController {
  constructor(private readonly search: SearchService) {}

  /**
   * The caller's messages and chat names that hold every word of `q`, best matches first (chat
   * names, then by relevance, then newest). The number of all matches is in `X-Total-Count`.
   */
  @Get('search')
  @ApiOperation({ summary: 'Search messages and chat names' })
  @ApiOkResponse({ type: [SearchResultDto], headers: { 'X-Total-Count': { description: 'Matches before paging', schema: { type: 'integer' } } } })
  async find(@Query() query: SearchQueryDto, @Res({ passthrough: true }) res: Response, @CallerScope() scope: Scope): Promise<SearchResultDto[]> {
    const { results, total } = await this.search.search(scope, query.q, { limit: query.limit, offset: query.offset });
    res.setHeader('X-Total-Count', String(total));
    return results.map(toResultDto);
  }
}

function toResultDto(result: SearchResult): SearchResultDto {
  return {
    session_id: result.sessionId,
    chat_name: result.chatName,
    message_id: result.messageId,
    sender: result.sender,
    snippet: result.snippet,
    timestamp: result.timestamp.toISOString(),
  };
}
