import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream, Logger as Pino } from 'pino';
import { HttpLogger, pinoHttp } from 'pino-http';
import { AppConfig } from '../config/app-config';
import { LogDestination } from './log-destination';
import { requestLogOptions } from './request-log';

/**
 * Never logged, whatever object a log call is given: prompts and replies, credentials, headers.
 * Request lines log none of these anyway (see request-log); this guards the other log calls.
 */
const REDACTED = ['prompt', 'response', 'content', 'messages', 'password', 'token', 'access_token', 'apiKey', 'api_key', 'key', 'secret', 'authorization', 'cookie', 'headers'];

/** The app's pino logger and the middleware that logs its requests (mounted first by setupApp). */
export class RequestLogging {
  readonly logger: Pino;
  readonly middleware: HttpLogger<IncomingMessage, ServerResponse>;

  constructor(config: AppConfig, destination: LogDestination) {
    this.logger = pino(
      {
        level: config.logLevel,
        timestamp: pino.stdTimeFunctions.isoTime,
        redact: { paths: REDACTED.flatMap((key) => [key, `*.${key}`]), censor: '[redacted]' },
      },
      destination as DestinationStream,
    );
    this.middleware = pinoHttp({ ...requestLogOptions(), logger: this.logger });
  }
}

/** pino-pretty is a development dependency: asked for where it is not installed, JSON it is, with a warning. */
function defaultDestination(config: AppConfig): LogDestination {
  if (config.logFormat === 'pretty') {
    try {
      createRequire(__filename).resolve('pino-pretty');
      return pino.transport({ target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } });
    } catch {
      process.emitWarning('LOG_FORMAT=pretty needs the dev dependency pino-pretty, which is not installed: logging JSON.');
    }
  }
  return pino.destination(1);
}

/** The destination and the app's logger, for nestjs-pino's module to build on. */
@Module({
  providers: [
    { provide: LogDestination, inject: [AppConfig], useFactory: defaultDestination },
    { provide: RequestLogging, inject: [AppConfig, LogDestination], useFactory: (config: AppConfig, destination: LogDestination) => new RequestLogging(config, destination) },
  ],
  exports: [LogDestination, RequestLogging],
})
class LogSinkModule {}

/**
 * Everything logs through pino: the request lines, and Nest's Logger (setupApp makes nestjs-pino's
 * Logger the app's), whose lines within a request carry the request's id.
 */
@Module({
  imports: [
    LogSinkModule,
    LoggerModule.forRootAsync({
      imports: [LogSinkModule],
      inject: [RequestLogging],
      // The request middleware is our own, mounted before every other (setupApp); nestjs-pino binds its logger to each request.
      useFactory: (logging: RequestLogging) => ({ pinoHttp: { logger: logging.logger }, useExisting: true }),
    }),
  ],
  exports: [LogSinkModule],
})
export class LoggingModule {}
