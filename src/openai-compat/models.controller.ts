import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ModelNotFoundError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { allowedModels } from '../settings/domain/session-settings';
import { ModelDto, ModelListDto } from './dto/openai-objects.dto';
import { OpenAiRoutes } from './openai-docs';

/** The models a response may name (OPENAI_MODELS), as OpenAI lists models. */
@OpenAiRoutes(401, 404, 429)
@Controller('v1/models')
export class ModelsController {
  private readonly started = Math.floor(Date.now() / 1000);

  constructor(private readonly config: AppConfig) {}

  @Get()
  @ApiOperation({ summary: 'List the models offered' })
  @ApiOkResponse({ type: ModelListDto })
  list(): ModelListDto {
    return { object: 'list', data: allowedModels(this.config.llm).map((id) => this.model(id)) };
  }

  @Get(':model')
  @ApiOperation({ summary: 'Retrieve a model' })
  @ApiOkResponse({ type: ModelDto })
  retrieve(@Param('model') id: string): ModelDto {
    if (!allowedModels(this.config.llm).includes(id)) throw new ModelNotFoundError(id);
    return this.model(id);
  }

  private model(id: string): ModelDto {
    return { id, object: 'model', created: this.started, owned_by: this.config.llm.provider === 'offline' ? 'chat-sessions' : 'system' };
  }
}
