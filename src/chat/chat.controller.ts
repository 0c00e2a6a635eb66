import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CallerScope } from '../common/http/access';
import { abortOnClientGone } from '../common/http/client-abort';
import { errorBody } from '../common/http/error-body';
import { ApiErrors, ApiModelErrors } from '../common/http/api-docs';
import { Scope } from '../sessions/domain/session';
import { AppConfig } from '../config/app-config';
import { ChatService } from './chat.service';
import { TurnInput, TurnResult } from './domain/turns';
import { GenerateRequestDto, GenerateResponseDto } from './dto/generate.dto';
import { SseWriter } from '../common/http/sse-writer';

@ApiTags('chat')
@ApiErrors(400, 401, 404, 409, 413, 415, 429)
@Controller()
export class ChatController {
  constructor(
    private readonly chat: ChatService,
    private readonly config: AppConfig,
  ) {}

  /** Creates or continues a session: stores the prompt, asks the model with the session's window, stores the reply. */
  @Post('generate')
  @HttpCode(200)
  @ApiOperation({ summary: 'One conversational turn' })
  @ApiOkResponse({ type: GenerateResponseDto })
  @ApiModelErrors()
  async generate(@Body() body: GenerateRequestDto, @Res({ passthrough: true }) res: Response, @CallerScope() scope: Scope): Promise<GenerateResponseDto> {
    return toGenerateResponse(await this.chat.generate(toTurnInput(body), abortOnClientGone(res), scope));
  }

  /**
   * The same turn, answered as server-sent events: `token` events with `{text}` as the model writes,
   * then `done` with the fields of the generate reply, or `error` with `{status, code, detail}`.
   * A request refused before the turn starts gets a JSON error instead. A client that reads
   * nothing for STREAM_WRITE_TIMEOUT_MS is dropped and its model call stopped.
   */
  @Post('generate/stream')
  @HttpCode(200)
  @ApiOperation({ summary: 'One conversational turn, streamed as server-sent events' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An event stream: token*, then done or error.', schema: { type: 'string' } })
  async stream(@Body() body: GenerateRequestDto, @Res() res: Response, @CallerScope() scope: Scope): Promise<void> {
    const events = new SseWriter(res, this.config.streamWriteTimeoutMs);
    let started = false;
    try {
      const result = await this.chat.stream(toTurnInput(body), {
        signal: abortOnClientGone(res),
        onStart: () => {
          started = true;
          res.status(200).set({
            'Content-Type': 'text/event-stream; charset=utf-8',
            'Cache-Control': 'no-cache, no-transform',
            'X-Accel-Buffering': 'no',
            Connection: 'keep-alive',
          });
          res.flushHeaders();
        },
        onToken: (text) => events.send('token', { text }),
      }, scope);
      events.finish('done', toGenerateResponse(result));
    } catch (error) {
      if (!started) throw error;
      const { status, code, detail } = errorBody(error);
      events.finish('error', { status, code, detail });
    }
  }
}

function toTurnInput(body: GenerateRequestDto): TurnInput {
  return { prompt: body.prompt, sessionId: body.session_id ?? undefined, maxHistory: body.max_history, templateId: body.template_id };
}

function toGenerateResponse(result: TurnResult): GenerateResponseDto {
  const response: GenerateResponseDto = {
    response: result.response,
    session_id: result.sessionId,
    chat_name: result.chatName,
    message_type: 'conversation',
    timestamp: result.timestamp.getTime(),
    finish_reason: result.finishReason,
  };
  if (result.code !== undefined) response.code = result.code;
  return response;
}
