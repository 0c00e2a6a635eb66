import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger as Pino } from 'pino';

/** A request id a client or proxy may set: bounded, and only characters safe in a log line and a header. */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

const STARTED = Symbol('request started');

type LoggedRequest = IncomingMessage & {
  originalUrl?: string;
  route?: { path?: string };
  caller?: { id: string };
};

type LoggedResponse = ServerResponse<LoggedRequest> & { [STARTED]: number };

/** `X-Request-Id` when it is a safe token, else a new one; echoed back in the response either way. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * One line per request, when its response closes: id (`reqId`), method, route template (the
 * path without its query when no route matched), status, duration (`responseTime`, ms) and the
 * caller's user id. Never headers, query strings or bodies: prompts, tokens and keys travel there.
 * A 5xx is logged at error; a response closed before it was sent (the client left) says so.
 *
 * This is the hot path of every request, so it builds no child logger and no closure per request:
 * one `close` listener shared by all, and a request logger that makes its child only when
 * something inside the request logs (rarely: errors and warnings).
 */
export function requestLog(logger: Pino) {
  function closed(this: LoggedResponse): void {
    const req = this.req;
    const statusCode = this.statusCode;
    const line = {
      reqId: req.id,
      method: req.method,
      route: routeOf(req),
      res: { statusCode },
      responseTime: Math.round(performance.now() - this[STARTED]),
      userId: req.caller?.id,
    };
    if (statusCode >= 500) logger.error(line, 'request failed');
    else logger.info(line, this.writableFinished ? 'request completed' : 'request aborted');
  }
  return (req: LoggedRequest, res: ServerResponse, next: () => void): void => {
    const id = requestId(req, res);
    // What nestjs-pino binds to the request's async context: Nest's log lines within it carry the id.
    Object.assign(req, { id, log: new RequestLogger(logger, id) });
    (res as LoggedResponse)[STARTED] = performance.now();
    res.on('close', closed);
    next();
  };
}

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** The app's logger with the request's id bound, made on first use (pino's `child` is not free). */
export class RequestLogger {
  private bound?: Pino;

  constructor(
    private readonly root: Pino,
    private readonly id: string,
  ) {}

  private get logger(): Pino {
    return (this.bound ??= this.root.child({ reqId: this.id }));
  }

  child(bindings: Record<string, unknown>): Pino {
    return this.logger.child(bindings);
  }

  trace(...args: unknown[]): void {
    this.log('trace', args);
  }
  debug(...args: unknown[]): void {
    this.log('debug', args);
  }
  info(...args: unknown[]): void {
    this.log('info', args);
  }
  warn(...args: unknown[]): void {
    this.log('warn', args);
  }
  error(...args: unknown[]): void {
    this.log('error', args);
  }
  fatal(...args: unknown[]): void {
    this.log('fatal', args);
  }

  private log(level: Level, args: unknown[]): void {
    if (!this.root.isLevelEnabled(level)) return;
    (this.logger[level] as (...a: unknown[]) => void)(...args);
  }
}

function routeOf(req: LoggedRequest): string {
  const template = req.route?.path;
  if (template) return template;
  const url = req.originalUrl ?? req.url ?? '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
