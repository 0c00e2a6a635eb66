import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { CallerScope } from '../common/http/access';
import { abortOnClientGone } from '../common/http/client-abort';
import { SseWriter } from '../common/http/sse-writer';
import { AppConfig } from '../config/app-config';
import { Scope } from '../sessions/domain/session';
import { CreateResponseDto } from './dto/openai.dto';
import { ResponseDto } from './dto/openai-objects.dto';
import { OpenAiRoutes } from './openai-docs';
import { ResponseRequest, ResponseSink, ResponsesService } from './responses.service';
import { ResponseObject } from './shapes';

/** OpenAI's Responses API: one turn of a conversation (a session), plain or streamed. */
@OpenAiRoutes(400, 401, 404, 413, 429, 502, 503, 504)
@Controller('v1/responses')
export class ResponsesController {
  constructor(
    private readonly responses: ResponsesService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Runs one turn. With `stream: true` the reply is `text/event-stream`: response.created,
   * response.in_progress, response.output_item.added, response.content_part.added,
   * response.output_text.delta…, response.output_text.done, response.content_part.done,
   * response.output_item.done, response.completed — or error and response.failed.
   */
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a response (one turn)' })
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({ type: ResponseDto })
  async create(@Body() body: CreateResponseDto, @Res() res: Response, @CallerScope() scope: Scope): Promise<void> {
    const request = toRequest(body);
    const signal = abortOnClientGone(res);
    if (!body.stream) {
      res.status(200).json(await this.responses.create(scope, request, signal));
      return;
    }
    const events = new SseWriter(res, this.config.streamWriteTimeoutMs);
    let sequence = 0;
    const sink: ResponseSink = {
      open: () => {
        res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' });
        res.flushHeaders();
      },
      send: (type, payload) => events.send(type, { type, sequence_number: sequence++, ...payload }),
    };
    await this.responses.stream(scope, request, sink, signal);
    if (!res.writableEnded) res.end();
  }

  @Get(':response_id')
  @ApiOperation({ summary: 'Retrieve a stored response' })
  @ApiOkResponse({ type: ResponseDto })
  retrieve(@Param('response_id') id: string, @CallerScope() scope: Scope): Promise<ResponseObject> {
    return this.responses.retrieve(scope, id);
  }
}

function toRequest(body: CreateResponseDto): ResponseRequest {
  return {
    model: body.model,
    input: body.input,
    conversation: body.conversation,
    instructions: body.instructions,
    temperature: body.temperature,
    store: body.store,
    metadata: body.metadata,
  };
}
