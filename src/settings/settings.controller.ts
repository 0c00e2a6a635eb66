import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CallerScope } from '../common/http/access';
import { ApiErrors } from '../common/http/api-docs';
import { Scope } from '../sessions/domain/session';
import { SessionSettings, SettingsChange } from './domain/session-settings';
import { SessionParamsDto, SessionSettingsDto, UpdateSettingsRequestDto } from './dto/settings.dto';
import { SettingsService } from './settings.service';

@ApiTags('sessions')
@ApiErrors(400, 401, 404, 429)
@Controller()
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  /** The settings the session applies to every turn (the service defaults when it never changed them). */
  @Get('sessions/:session_id/settings')
  @ApiOperation({ summary: "Read a session's settings" })
  @ApiOkResponse({ type: SessionSettingsDto })
  async get(@Param() params: SessionParamsDto, @CallerScope() scope: Scope): Promise<SessionSettingsDto> {
    return this.toDto(await this.settings.get(params.session_id, scope));
  }

  /** Changes some settings: absent fields stay, null resets one to the service default. */
  @Patch('sessions/:session_id/settings')
  @ApiOperation({ summary: "Change a session's settings" })
  @ApiOkResponse({ type: SessionSettingsDto })
  @ApiErrors(415)
  async change(@Param() params: SessionParamsDto, @Body() body: UpdateSettingsRequestDto, @CallerScope() scope: Scope): Promise<SessionSettingsDto> {
    return this.toDto(await this.settings.change(params.session_id, toChange(body), scope));
  }

  private toDto(s: SessionSettings): SessionSettingsDto {
    return {
      system_prompt: s.systemPrompt,
      model: s.model,
      temperature: s.temperature,
      memory: { strategy: s.memory.strategy, max_history: s.memory.maxHistory, max_tokens: s.memory.maxTokens },
      allowed_models: this.settings.allowedModels,
    };
  }
}

function toChange(body: UpdateSettingsRequestDto): SettingsChange {
  const memory = body.memory ?? undefined;
  return {
    systemPrompt: body.system_prompt,
    model: body.model,
    temperature: body.temperature,
    memory: memory && { strategy: memory.strategy, maxHistory: memory.max_history, maxTokens: memory.max_tokens },
  };
}
