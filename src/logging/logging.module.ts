import { createRequire } from 'node:module';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream, Logger as Pino } from 'pino';
import { AppConfig } from '../config/app-config';
import { LogDestination } from './log-destination';
import { requestLog } from './request-log';

/**
 * Never logged, whatever object a log call is given: prompts and replies, credentials, headers.
 * Request lines log none of these anyway (see request-log); this guards the other log calls.
 */
const REDACTED = new Set(['prompt', 'response', 'content', 'messages', 'password', 'token', 'access_token', 'apiKey', 'api_key', 'key', 'secret', 'authorization', 'cookie', 'headers']);
const CENSOR = '[redacted]';
/** How deep redaction looks into plain objects: a log call's own fields and two levels below them. */
const REDACT_DEPTH = 3;

/**
 * The object of a log call with every REDACTED key censored, at any depth up to REDACT_DEPTH in plain
 * objects (errors and other class instances go to their serializers as they are). A copy is made
 * only when something is censored, so a request line, which has none of these keys, costs a few
 * lookups. It replaces pino's `redact`, whose path matching cost more than the rest of the line.
 */
export function redacted<T extends Record<string, unknown>>(object: T, depth = REDACT_DEPTH): T {
  let out: Record<string, unknown> | undefined;
  for (const key in object) {
    const value: unknown = object[key];
    let kept = value;
    if (REDACTED.has(key)) kept = CENSOR;
    else if (depth > 1 && isPlainObject(value)) kept = redacted(value, depth - 1);
    if (kept !== value) (out ??= { ...object })[key] = kept;
  }
  return (out ?? object) as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The app's pino logger and the middleware that logs its requests (mounted first by setupApp). */
export class RequestLogging {
  readonly logger: Pino;
  readonly middleware: ReturnType<typeof requestLog>;

  constructor(config: AppConfig, destination: LogDestination) {
    this.logger = pino(
      {
        level: config.logLevel,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { log: redacted },
      },
      destination as DestinationStream,
    );
    this.middleware = requestLog(this.logger);
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
  return bufferedStdout();
}

/** How long a log line may wait in the buffer before it is written. */
const LOG_FLUSH_MS = 100;
let stdout: LogDestination | undefined;

/**
 * stdout in blocks of up to 4 KiB, at least every LOG_FLUSH_MS, written off the event loop: a
 * write per line was a system call per request, and the CPU of a turn on PostgreSQL went up 5–8%
 * (the reader is woken once per write). pino flushes what is left when the process exits
 * (process.exit included); a kill -9 loses at most the last LOG_FLUSH_MS of lines. One per process:
 * every app in it shares stdout.
 */
function bufferedStdout(): LogDestination {
  if (stdout) return stdout;
  const stream = pino.destination({ dest: 1, minLength: 4096, sync: false });
  setInterval(() => stream.flush(), LOG_FLUSH_MS).unref();
  return (stdout = stream);
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
