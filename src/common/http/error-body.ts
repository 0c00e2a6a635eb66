import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, ErrorCode, InvalidFieldError } from '../domain-error';

/** Codes of errors raised before the core is reached (routing, body parsing, rate limiting). */
export type HttpErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'malformed_json'
  | 'request_aborted'
  | 'internal_error';

export interface ErrorBody {
  status: number;
  code: ErrorCode | HttpErrorCode | `http_${number}`;
  detail: string;
  errors?: FieldError[];
}

export interface FieldError {
  field: string;
  messages: string[];
}

/** Raised by the validation pipe: the fields that failed, each with its messages. */
export class RequestValidationError extends DomainError {
  readonly code = 'validation_failed';
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => e.messages.join('; ')).join('; ') || 'The request is not valid.');
  }
}

const DOMAIN_STATUS: Record<ErrorCode, number> = {
  session_not_found: 404,
  validation_failed: 400,
  prompt_too_long: 413,
  context_too_long: 413,
  llm_unavailable: 503,
  llm_bad_response: 502,
  llm_timeout: 504,
  session_deleted: 409,
  session_cleared: 409,
  turn_aborted: 499,
  store_unavailable: 503,
  storage_full: 507,
  session_busy: 503,
  lock_lost: 503,
  unauthorized: 401,
  forbidden: 403,
  auth_disabled: 404,
  username_taken: 409,
  last_admin: 409,
  user_not_found: 404,
  api_key_not_found: 404,
  too_many_attempts: 429,
  sso_not_configured: 404,
  sso_invalid_state: 400,
  sso_account_conflict: 409,
  sso_denied: 401,
  sso_bad_response: 502,
  sso_unavailable: 503,
  sso_timeout: 504,
  template_not_found: 404,
  template_read_only: 409,
  share_not_found: 404,
  precondition_failed: 412,
  import_unreadable: 400,
  item_not_found: 404,
  response_not_found: 404,
  model_not_found: 404,
};

const HTTP_CODE: Partial<Record<number, HttpErrorCode>> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** body-parser's error types, which reach us before any route does. */
const PARSER_ERRORS: Record<string, ErrorBody> = {
  'entity.parse.failed': { status: 400, code: 'malformed_json', detail: 'The request body is not valid JSON.' },
  'entity.too.large': { status: 413, code: 'payload_too_large', detail: 'The request body is too large.' },
  'encoding.unsupported': { status: 415, code: 'unsupported_media_type', detail: 'The request body encoding is not supported.' },
  'charset.unsupported': { status: 415, code: 'unsupported_media_type', detail: 'The request body charset is not supported.' },
  'request.aborted': { status: 400, code: 'request_aborted', detail: 'The request was aborted while its body was being read.' },
  'request.size.invalid': { status: 400, code: 'bad_request', detail: 'The request body does not match its Content-Length.' },
};

/** The one shape every error takes: `{status, code, detail}`, with 5xx only for our own faults. */
export function errorBody(error: unknown): ErrorBody {
  if (error instanceof RequestValidationError) {
    return { status: 400, code: error.code, detail: error.message, errors: error.errors };
  }
  if (error instanceof InvalidFieldError) {
    return { status: 400, code: error.code, detail: error.message, errors: [{ field: error.field, messages: [error.message] }] };
  }
  if (error instanceof DomainError) {
    return { status: DOMAIN_STATUS[error.code], code: error.code, detail: error.message };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 429) return { status, code: 'rate_limited', detail: 'Too many requests: retry after the number of seconds in Retry-After.' };
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : error.message;
    return { status, code: HTTP_CODE[status] ?? `http_${status}`, detail };
  }
  if (typeof error === 'object' && error !== null) {
    const { type, status, expose, message } = error as { type?: unknown; status?: unknown; expose?: unknown; message?: unknown };
    if (typeof type === 'string' && PARSER_ERRORS[type]) return { ...PARSER_ERRORS[type] };
    // Other client errors of the body reader (http-errors marks them safe to show).
    if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
      return { status, code: HTTP_CODE[status] ?? 'bad_request', detail: typeof message === 'string' ? message : 'The request could not be read.' };
    }
  }
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, code: 'internal_error', detail: 'Something went wrong on our side.' };
}
