import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON or id, or a field that fails validation.',
  401: 'No valid credentials: send `Authorization: Bearer <token or API key>` (AUTH_MODE=jwt).',
  403: 'Signed in, but not allowed: an admin route.',
  404: 'No such session (or it belongs to someone else).',
  409: 'The session was deleted (`session_deleted`) or its history cleared (`session_cleared`) while the turn was running; a taken username; the last admin.',
  413: 'The prompt or the body is too long.',
  415: 'The body is not JSON.',
  429: 'Too many requests from this client; see Retry-After.',
  502: 'The model answered with an error or an unreadable answer.',
  503: 'The model server is not reachable or not configured.',
  504: 'The model did not answer in time.',
};

/** Documents the error replies a route can give, all with the `{status, code, detail}` body. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorResponseDto })));

/** The same, with descriptions of the route's own (for errors that are not about sessions or the model). */
export const ApiErrorsDescribed = (descriptions: Record<number, string>) =>
  applyDecorators(...Object.entries(descriptions).map(([status, description]) => ApiResponse({ status: Number(status), description, type: ErrorResponseDto })));

export const ApiModelErrors = () => ApiErrors(502, 503, 504);
