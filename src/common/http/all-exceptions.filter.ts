import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode, TooManyAttemptsError } from '../domain-error';
import { errorBody } from './error-body';
import { errorPayload } from './openai-error';

/** Failures of a dependency whose adapter says each outage once (an OutageLog): not said per request. */
const LOGGED_AT_SOURCE: ReadonlySet<ErrorCode> = new Set(['store_unavailable', 'storage_full']);

/** Every error leaves as `{status, code, detail}` (OpenAI's shape under /v1); unexpected ones are logged with their stack. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = errorBody(error);
    if (body.status >= 500 && !(error instanceof DomainError && LOGGED_AT_SOURCE.has(error.code))) {
      // A model failure is an outside fault, said in a line; anything else is ours and gets its stack.
      if (error instanceof DomainError) this.logger.warn(`${body.code}: ${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}`);
      else this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    if (error instanceof TooManyAttemptsError) response.setHeader('Retry-After', String(error.retryAfterSeconds));
    if (body.status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    response.status(body.status).json(errorPayload(host.switchToHttp().getRequest<Request>().path, body));
  }
}
