import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { OpenAiErrorDto } from './dto/openai-objects.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'A field that fails validation (`param` names it) or an unsupported item kind.',
  401: 'No valid API key: send `Authorization: Bearer <API key>` (AUTH_MODE=jwt).',
  404: 'No such conversation, item or response (or it belongs to someone else).',
  413: 'A prompt or item longer than MAX_PROMPT_CHARS.',
  429: 'Too many requests from this client.',
  502: 'The model answered with an error or an unreadable answer.',
  503: 'The model server is not reachable.',
  504: 'The model did not answer in time.',
};

/** The tag and the error replies of the OpenAI-compatible routes, all `{error: {message, type, param, code}}`. */
export const OpenAiRoutes = (...statuses: number[]) =>
  applyDecorators(
    ApiTags('openai'),
    ApiBearerAuth(),
    ...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: OpenAiErrorDto })),
  );
