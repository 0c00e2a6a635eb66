import { Controller, Delete, Get, HttpCode, Param, Query, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminOnly, Caller, CurrentCaller } from '../common/http/access';
import { ApiErrors } from '../common/http/api-docs';
import { ForbiddenError } from '../common/domain-error';
import { exclusiveEnd, parseIsoMoment } from '../common/iso-date';
import { EVERYONE, Scope, Session } from './domain/session';
import { ActiveSessionsResponseDto, ListSessionsQueryDto, PageQueryDto, SessionIdParamsDto, SessionSummaryDto } from './dto/sessions.dto';
import { SessionsService } from './sessions.service';

@ApiTags('sessions')
@ApiErrors(400, 401, 429)
@Controller()
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  /**
   * The caller's sessions, most recent activity first: all of them without `limit`; the count before
   * paging is in `X-Total-Count`. An admin sees every user's sessions with `all=true` (a user gets 403).
   */
  @Get('session_names')
  @ApiErrors(403)
  @ApiOperation({ summary: 'List and search sessions' })
  @ApiOkResponse({ type: [SessionSummaryDto], headers: { 'X-Total-Count': { description: 'Sessions matching before paging', schema: { type: 'integer' } } } })
  async list(@Query() query: ListSessionsQueryDto, @Res({ passthrough: true }) res: Response, @CurrentCaller() caller: Caller): Promise<SessionSummaryDto[]> {
    const until = query.until === undefined ? undefined : parseIsoMoment(query.until);
    const { sessions, total } = await this.sessions.list({
      limit: query.limit,
      offset: query.offset,
      text: query.q?.trim() || undefined,
      since: query.since === undefined ? undefined : parseIsoMoment(query.since)?.at,
      until: until && exclusiveEnd(until),
    }, listScope(caller, query.all === true));
    res.setHeader('X-Total-Count', String(total));
    return sessions.map(toSessionSummary);
  }

  /** Deletes the session, its messages and its memory window. */
  @Delete('sessions/:session_id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a session' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors(404)
  async delete(@Param() params: SessionIdParamsDto, @CurrentCaller() caller: Caller): Promise<void> {
    await this.sessions.delete(params.session_id, { ownerId: caller.ownerId });
  }

  /** The sessions whose memory window is held now, everyone's, most recently used first: all of them without `limit`. Admins only. */
  @Get('sessions')
  @AdminOnly()
  @ApiErrors(403)
  @ApiOperation({ summary: 'Sessions held in memory' })
  @ApiOkResponse({ type: ActiveSessionsResponseDto })
  async active(@Query() query: PageQueryDto): Promise<ActiveSessionsResponseDto> {
    const { ids, total } = await this.sessions.activeSessions(query);
    return { active_sessions: ids, total_sessions: total };
  }
}

/** The caller's own sessions, or with `all` (admins only) everyone's. */
function listScope(caller: Caller, all: boolean): Scope {
  if (!all) return { ownerId: caller.ownerId };
  if (caller.role !== 'admin') throw new ForbiddenError('Only an admin may list every user\'s sessions (all=true).');
  return EVERYONE;
}

export function toSessionSummary(session: Session): SessionSummaryDto {
  return {
    session_id: session.sessionId,
    chat_name: session.chatName,
    created_at: session.createdAt.toISOString(),
    last_activity: session.lastActivity.toISOString(),
    message_count: session.messageCount,
  };
}
