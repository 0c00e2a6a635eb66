import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CallerScope, Public } from '../common/http/access';
import { ApiErrors, ApiErrorsDescribed } from '../common/http/api-docs';
import { Scope } from '../sessions/domain/session';
import { SharedConversation } from './domain/shared-conversation';
import { ContinuedDto, SessionIdParamsDto, SessionShareParamsDto, ShareCreatedDto, SharedConversationDto, ShareParamsDto } from './dto/sharing.dto';
import { SharingService } from './sharing.service';

const SHARE_404 = { 404: 'No such share (`share_not_found`): never made, revoked, or its session deleted.' };

/** Shared links: read-only snapshots of a conversation, open to anyone with the link. */
@ApiTags('sharing')
@ApiErrors(400, 429)
@Controller()
export class SharingController {
  constructor(private readonly sharing: SharingService) {}

  /** Snapshots the conversation as it is now: later turns do not appear in it. `url` is the web client's page of it. */
  @Post('sessions/:session_id/share')
  @ApiOperation({ summary: 'Share a conversation as a read-only snapshot' })
  @ApiCreatedResponse({ type: ShareCreatedDto })
  @ApiErrors(401, 404)
  async share(@Param() params: SessionIdParamsDto, @CallerScope() scope: Scope): Promise<ShareCreatedDto> {
    const { shareId } = await this.sharing.share(scope, params.session_id);
    return { share_id: shareId, url: `/shared/${shareId}` };
  }

  @Delete('sessions/:session_id/share/:share_id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a shared link' })
  @ApiNoContentResponse()
  @ApiErrors(401)
  @ApiErrorsDescribed({ 404: 'No such session of yours, or no such share of it.' })
  async revoke(@Param() params: SessionShareParamsDto, @CallerScope() scope: Scope): Promise<void> {
    await this.sharing.revoke(scope, params.session_id, params.share_id);
  }

  /** Open to anyone with the link, signed in or not; shows no owner and no session id. */
  @Public()
  @Get('shared/:share_id')
  @ApiOperation({ summary: 'Read a shared conversation' })
  @ApiOkResponse({ type: SharedConversationDto })
  @ApiErrorsDescribed(SHARE_404)
  async get(@Param() params: ShareParamsDto): Promise<SharedConversationDto> {
    return toDto(await this.sharing.get(params.share_id));
  }

  /** Copies the snapshot into a new session of the caller's, to go on from. */
  @Post('shared/:share_id/continue')
  @ApiOperation({ summary: 'Continue a shared conversation in a new session of your own' })
  @ApiCreatedResponse({ type: ContinuedDto })
  @ApiErrors(401)
  @ApiErrorsDescribed(SHARE_404)
  async continue(@Param() params: ShareParamsDto, @CallerScope() scope: Scope): Promise<ContinuedDto> {
    return { session_id: await this.sharing.continue(scope, params.share_id) };
  }
}

function toDto(s: SharedConversation): SharedConversationDto {
  return {
    share_id: s.shareId,
    chat_name: s.chatName,
    shared_at: s.createdAt.toISOString(),
    messages: s.messages.map((m) => ({ sender: m.sender, content: m.content, timestamp: m.timestamp.toISOString() })),
  };
}
