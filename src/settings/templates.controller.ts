import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CallerScope } from '../common/http/access';
import { ApiErrors, ApiErrorsDescribed } from '../common/http/api-docs';
import { Scope } from '../sessions/domain/session';
import { Template, TemplateChange } from './domain/template';
import { CreateTemplateRequestDto, TemplateDto, TemplateParamsDto, UpdateTemplateRequestDto } from './dto/template.dto';
import { MemorySettingsChangeDto } from './dto/settings.dto';
import { TemplatesService } from './templates.service';

/**
 * Session templates: the built-in ones, shared by everyone, and the caller's own (private with
 * AUTH_MODE=jwt, shared by everyone with AUTH_MODE=off). Start a session from one with `template_id`.
 */
@ApiTags('templates')
@ApiErrors(400, 401, 429)
@ApiErrorsDescribed({ 404: 'No such template (`template_not_found`), or it is another user\'s.' })
@Controller('templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Get()
  @ApiOperation({ summary: 'The built-in templates, then your own' })
  @ApiOkResponse({ type: [TemplateDto] })
  async list(@CallerScope() scope: Scope): Promise<TemplateDto[]> {
    return (await this.templates.list(scope)).map(toDto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One template' })
  @ApiOkResponse({ type: TemplateDto })
  async get(@Param() params: TemplateParamsDto, @CallerScope() scope: Scope): Promise<TemplateDto> {
    return toDto(await this.templates.get(scope, params.id));
  }

  @Post()
  @ApiOperation({ summary: 'Create a template of your own' })
  @ApiCreatedResponse({ type: TemplateDto })
  @ApiErrors(415)
  async create(@Body() body: CreateTemplateRequestDto, @CallerScope() scope: Scope): Promise<TemplateDto> {
    return toDto(await this.templates.create(scope, { ...toChange(body), name: body.name, systemPrompt: body.system_prompt }));
  }

  /** Changes some fields of one of your templates; built-in ones answer 409. */
  @Patch(':id')
  @ApiOperation({ summary: 'Change a template of your own' })
  @ApiOkResponse({ type: TemplateDto })
  @ApiErrors(415)
  @ApiErrorsDescribed({ 409: 'A built-in template (`template_read_only`).' })
  async change(@Param() params: TemplateParamsDto, @Body() body: UpdateTemplateRequestDto, @CallerScope() scope: Scope): Promise<TemplateDto> {
    return toDto(await this.templates.change(scope, params.id, toChange(body)));
  }

  /** Sessions started from it keep their settings. Built-in templates answer 409. */
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a template of your own' })
  @ApiNoContentResponse()
  @ApiErrorsDescribed({ 409: 'A built-in template (`template_read_only`).' })
  async delete(@Param() params: TemplateParamsDto, @CallerScope() scope: Scope): Promise<void> {
    await this.templates.delete(scope, params.id);
  }
}

function fromMemoryDto(m: MemorySettingsChangeDto) {
  return { strategy: m.strategy, maxHistory: m.max_history, maxTokens: m.max_tokens };
}

function toChange(body: UpdateTemplateRequestDto | CreateTemplateRequestDto): TemplateChange {
  return {
    name: body.name,
    category: body.category,
    systemPrompt: body.system_prompt,
    starterPrompts: body.starter_prompts,
    model: body.model,
    temperature: body.temperature,
    memory: body.memory === undefined || body.memory === null ? body.memory : fromMemoryDto(body.memory),
  };
}

function toDto(t: Template): TemplateDto {
  const memory = t.memory && { strategy: t.memory.strategy, max_history: t.memory.maxHistory, max_tokens: t.memory.maxTokens };
  return {
    id: t.id,
    name: t.name,
    category: t.category,
    system_prompt: t.systemPrompt,
    starter_prompts: [...t.starterPrompts],
    model: t.model,
    temperature: t.temperature,
    memory,
    builtin: t.builtin,
  };
}
