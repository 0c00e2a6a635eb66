import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminOnly, Caller, CallerScope, CurrentCaller } from '../common/http/access';
import { ApiErrors } from '../common/http/api-docs';
import { ForbiddenError } from '../common/domain-error';
import { exclusiveEnd, parseIsoMoment } from '../common/iso-date';
import { ArchivedFilter } from './domain/session-store';
import { etagOf, ListedSession, normalizeTag, OrganisedSession, parseIfMatch } from './domain/organise';
import { EVERYONE, Scope } from './domain/session';
import {
  ActiveSessionsResponseDto,
  ArchivedQuery,
  ListSessionsQueryDto,
  PageQueryDto,
  SessionIdParamsDto,
  SessionSummaryDto,
  UpdateSessionRequestDto,
} from './dto/sessions.dto';
import { SessionsService } from './sessions.service';
import { BulkSessionsRequestDto, BulkSessionsResponseDto } from './dto/bulk-sessions.dto';
import { BulkSessionsService } from './bulk-sessions.service';

@ApiTags('sessions')
@ApiErrors(400, 401, 429)
@Controller()
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly bulk: BulkSessionsService,
  ) {}

  /**
   * The caller's sessions, pinned ones first, then most recent activity first: all of them without
   * `limit`; the count before paging is in `X-Total-Count`. Archived sessions are left out unless
   * `archived` is `true` or `all`. An admin sees every user's sessions with `all=true` (a user gets 403).
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
      tag: query.tag === undefined ? undefined : normalizeTag(query.tag),
      pinned: query.pinned,
      archived: ARCHIVED[query.archived],
    }, callerScope(caller, query.all === true, 'all=true'));
    res.setHeader('X-Total-Count', String(total));
    return sessions.map(toSessionSummary);
  }

  /** The session with its organisation; the `ETag` names its version for a later PATCH's `If-Match`. */
  @Get('sessions/:session_id')
  @ApiOperation({ summary: 'Read a session' })
  @ApiOkResponse({ type: SessionSummaryDto, headers: { ETag: { description: 'The version of the organising fields', schema: { type: 'string' } } } })
  @ApiErrors(404)
  async get(@Param() params: SessionIdParamsDto, @Res({ passthrough: true }) res: Response, @CallerScope() scope: Scope): Promise<SessionSummaryDto> {
    return withEtag(res, await this.sessions.find(params.session_id, scope));
  }

  /**
   * Renames, pins, archives or tags the session. With `If-Match` (an ETag from GET or an earlier PATCH)
   * the change applies only if nobody changed the session since: else 412, and nothing changes.
   * Turns do not change the version: a reply arriving in one tab does not fail a rename in another.
   */
  @Patch('sessions/:session_id')
  @ApiOperation({ summary: 'Rename, pin, archive or tag a session' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag the change is based on' })
  @ApiOkResponse({ type: SessionSummaryDto, headers: { ETag: { description: 'The new version', schema: { type: 'string' } } } })
  @ApiErrors(404, 412, 415)
  async organise(
    @Param() params: SessionIdParamsDto,
    @Body() body: UpdateSessionRequestDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CallerScope() scope: Scope,
  ): Promise<SessionSummaryDto> {
    const change = { chatName: body.chat_name, pinned: body.pinned, archived: body.archived, tags: body.tags };
    return withEtag(res, await this.sessions.organise(params.session_id, change, parseIfMatch(ifMatch), scope));
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

  /**
   * Deletes, archives, unarchives, tags or untags every session the filter matches, the caller's own
   * (an admin's with `all_users: true`: everyone's), in batches of 500 that let other requests run
   * between them. With `dry_run: true` nothing changes and the reply says what would: show it to
   * the person before a delete. An empty filter needs `match_all: true`.
   */
  @Post('sessions/bulk')
  @HttpCode(200)
  @ApiErrors(403, 415)
  @ApiOperation({ summary: 'Act on every session a filter matches, or count them (dry run)' })
  @ApiOkResponse({ type: BulkSessionsResponseDto })
  async bulkAction(@Body() body: BulkSessionsRequestDto, @CurrentCaller() caller: Caller): Promise<BulkSessionsResponseDto> {
    const { filter } = body;
    const request = {
      filter: {
        tag: filter.tag,
        archived: filter.archived,
        pinned: filter.pinned,
        q: filter.q,
        idleDays: filter.idle_days,
        createdBefore: filter.created_before === undefined ? undefined : parseIsoMoment(filter.created_before)?.at,
        sessionIds: filter.session_ids,
      },
      action: body.action,
      tag: body.tag,
      dryRun: body.dry_run,
      matchAll: body.match_all,
    };
    const result = await this.bulk.execute(callerScope(caller, body.all_users, 'all_users: true'), request);
    return { matched: result.matched, affected: result.affected, sample: result.sample.map((s) => ({ session_id: s.sessionId, chat_name: s.chatName })) };
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

const ARCHIVED: Record<ArchivedQuery, ArchivedFilter> = { false: 'hide', true: 'only', all: 'include' };

function withEtag(res: Response, session: OrganisedSession): SessionSummaryDto {
  res.setHeader('ETag', etagOf(session));
  return toSessionSummary(session);
}

/** The caller's own sessions, or with `all` (admins only; `flag` names it in the refusal) everyone's. */
function callerScope(caller: Caller, all: boolean, flag: string): Scope {
  if (!all) return { ownerId: caller.ownerId };
  if (caller.role !== 'admin') throw new ForbiddenError(`Only an admin may act on every user's sessions (${flag}).`);
  return EVERYONE;
}

export function toSessionSummary(session: ListedSession): SessionSummaryDto {
  return {
    session_id: session.sessionId,
    chat_name: session.chatName,
    created_at: session.createdAt.toISOString(),
    last_activity: session.lastActivity.toISOString(),
    message_count: session.messageCount,
    pinned: session.pinned,
    archived: session.archived,
    tags: session.tags,
  };
}
