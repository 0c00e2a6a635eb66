import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CallerScope } from '../common/http/access';
import { ApiErrors } from '../common/http/api-docs';
import { Scope } from '../sessions/domain/session';
import { PromptRole } from './domain/chat-model';
import { ContextService } from './context.service';
import { ContextParamsDto, SessionContextDto } from './dto/context.dto';

const OPENAI_ROLE: Record<PromptRole, 'system' | 'user' | 'assistant'> = { system: 'system', human: 'user', ai: 'assistant' };

@ApiTags('sessions')
@ApiErrors(400, 401, 404, 429)
@Controller()
export class ContextController {
  constructor(private readonly context: ContextService) {}

  /**
   * Exactly what the model would receive before the next prompt: system prompt and earlier turns,
   * as the session's settings choose them. Under `tokens`, the next prompt's own tokens may push
   * out older turns that are shown here.
   */
  @Get('sessions/:session_id/context')
  @ApiOperation({ summary: 'What the model will see of a session' })
  @ApiOkResponse({ type: SessionContextDto })
  async get(@Param() params: ContextParamsDto, @CallerScope() scope: Scope): Promise<SessionContextDto> {
    const view = await this.context.preview(params.session_id, scope);
    return {
      messages: view.messages.map((m) => ({ role: OPENAI_ROLE[m.role], content: m.content })),
      tokens: view.tokens,
      max_tokens: view.maxTokens,
      strategy: view.strategy,
      summary_covers_until: view.summaryCoversUntil,
    };
  }
}
