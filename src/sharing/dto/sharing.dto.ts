import { IsUUID, Matches } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { LowerCase } from '../../common/http/transforms';

const SHARE_ID = /^[A-Za-z0-9_-]{22,64}$/;
const SHARE_ID_MESSAGE = 'share_id must be a share id (base64url, as POST /api/sessions/{id}/share gave it)';

export class ShareParamsDto {
  @Matches(SHARE_ID, { message: SHARE_ID_MESSAGE })
  share_id: string;
}

export class SessionShareParamsDto extends ShareParamsDto {
  /** A session id (UUID). */
  @IsUUID('all')
  @LowerCase()
  session_id: string;
}

export class SessionIdParamsDto {
  /** A session id (UUID). */
  @IsUUID('all')
  @LowerCase()
  session_id: string;
}

export class ShareCreatedDto {
  /** 128 random bits, base64url: whoever has it can read the snapshot. */
  share_id: string;
  /**
   * The page to give people, relative to this service: the web client shows the snapshot there to
   * anyone, signed in or not. Its JSON is `GET /api/shared/{share_id}`.
   */
  url: string;
}

export class SharedMessageDto {
  @ApiProperty({ enum: ['Human', 'AI'] })
  sender: 'Human' | 'AI';
  content: string;
  timestamp: string;
}

export class SharedConversationDto {
  share_id: string;
  chat_name: string;
  /** When it was shared. */
  shared_at: string;
  /** The conversation as it was when shared, oldest first. */
  messages: SharedMessageDto[];
}

export class ContinuedDto {
  /** The new session, the caller's own, holding the snapshot's messages: go on with POST /api/generate. */
  session_id: string;
}
