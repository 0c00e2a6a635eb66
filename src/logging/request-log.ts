import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options } from 'pino-http';

/** A request id a client or proxy may set: bounded, and only characters safe in a log line and a header. */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

interface RoutedRequest extends IncomingMessage {
  originalUrl?: string;
  route?: { path?: string };
  caller?: { id: string };
}

/** `X-Request-Id` when it is a safe token, else a new one; echoed back in the response either way. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * One line per request, when its response ends: id, method, route template (the path, without its
 * query, only when no route matched), status, duration (responseTime, ms) and the caller's user id.
 * Never headers, query strings or bodies: prompts, tokens and keys travel there.
 */
export function requestLogOptions(): Options<IncomingMessage, ServerResponse> {
  const fields = (req: RoutedRequest, value: object) => ({ ...value, method: req.method, route: routeOf(req), userId: req.caller?.id });
  return {
    genReqId: requestId,
    // Lines logged during a request carry its id (reqId); the closing line adds the fields below.
    quietReqLogger: true,
    quietResLogger: true,
    wrapSerializers: false,
    serializers: {
      req: (req: RoutedRequest) => ({ id: req.id, method: req.method }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (req, _res, value) => fields(req, value),
    // The error's message, not its stack: for a 5xx it is pino-http's own "failed with status code".
    customErrorObject: (req, _res, error, { err: _stack, ...value }: Record<string, unknown>) => fields(req, { ...value, error: error.message }),
  };
}

function routeOf(req: RoutedRequest): string {
  const template = req.route?.path;
  if (template) return template;
  const url = req.originalUrl ?? req.url ?? '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
