import { EventEmitter } from 'node:events';
import { loadConfig } from '../config/load-config';
import { LogDestination } from './log-destination';
import { RequestLogging } from './logging.module';
import { requestId, RequestLogger } from './request-log';

class Lines extends LogDestination {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
}

describe(RequestLogging.name, () => {
  it('should log at LOG_LEVEL and above, as JSON lines', () => {
    const out = new Lines();
    const { logger } = new RequestLogging(loadConfig({ LOG_LEVEL: 'warn' }), out);
    logger.info('hidden');
    logger.warn('shown');
    expect(out.lines.map((line) => JSON.parse(line) as { level: number; msg: string })).toEqual([expect.objectContaining({ level: 40, msg: 'shown' })]);
  });

  it('should redact prompts, contents, passwords, tokens, keys and headers in whatever object is logged', () => {
    const out = new Lines();
    const { logger } = new RequestLogging(loadConfig({}), out);
    logger.info({ prompt: 'p1', password: 'p2', nested: { content: 'p3', apiKey: 'p4', headers: { authorization: 'p5' } }, sessionId: 'kept' }, 'a call');
    const line = out.lines.join('');
    for (const hidden of ['p1', 'p2', 'p3', 'p4', 'p5']) expect(line).not.toContain(`"${hidden}"`);
    expect(JSON.parse(line)).toEqual(expect.objectContaining({ prompt: '[redacted]', sessionId: 'kept' }));
  });

  it('should leave errors, arrays and objects without those keys as they are', () => {
    const out = new Lines();
    const { logger } = new RequestLogging(loadConfig({}), out);
    const fields = { sessionId: 's1', ids: [1, 2], deep: { a: { b: { c: 1 } } } };
    logger.error({ ...fields, err: new Error('the disk is full') }, 'a failure');
    const line = JSON.parse(out.lines.join('')) as Record<string, unknown>;
    expect(line).toEqual(expect.objectContaining({ ...fields, err: expect.objectContaining({ message: 'the disk is full', type: 'Error' }) }));
  });
});

describe('the request line', () => {
  type Line = Record<string, unknown>;
  /** A request through the middleware; `close` ends it as the response would, sent (or not) with `status`. */
  const request = (logging: RequestLogging, init: { url: string; id?: string; route?: string; caller?: string }) => {
    const headers: Record<string, string> = {};
    const req = Object.assign(new EventEmitter(), {
      method: 'POST',
      url: init.url,
      originalUrl: init.url,
      headers: init.id ? { 'x-request-id': init.id } : {},
    }) as unknown as EventEmitter & Record<string, unknown>;
    const res = Object.assign(new EventEmitter(), { req, statusCode: 200, writableFinished: false, setHeader: (name: string, value: string) => (headers[name] = value) });
    let nexted = false;
    logging.middleware(req as never, res as never, () => (nexted = true));
    expect(nexted).toBe(true);
    return {
      req: req as unknown as { log: RequestLogger; id: string },
      headers,
      close(status: number, sent = true) {
        if (init.route) req.route = { path: init.route };
        if (init.caller) req.caller = { id: init.caller };
        Object.assign(res, { statusCode: status, writableFinished: sent });
        res.emit('close');
      },
    };
  };
  const setup = (level = 'info') => {
    const out = new Lines();
    return { out, logging: new RequestLogging(loadConfig({ LOG_LEVEL: level }), out), lines: () => out.lines.map((l) => JSON.parse(l) as Line) };
  };

  it('should log one line when the response closes, with the id, route template, status, duration and user', () => {
    const { logging, lines } = setup();
    const r = request(logging, { url: '/api/sessions/abc?x=secret', id: 'trace-1', route: '/api/sessions/:id', caller: 'u1' });
    expect(lines()).toEqual([]);
    r.close(200);
    expect(lines()).toEqual([
      expect.objectContaining({ level: 30, msg: 'request completed', reqId: 'trace-1', method: 'POST', route: '/api/sessions/:id', res: { statusCode: 200 }, userId: 'u1', responseTime: expect.any(Number) }),
    ]);
    expect(r.headers['X-Request-Id']).toBe('trace-1');
  });

  it('should name the path without its query when no route matched, log a 5xx at error, and say when the client left first', () => {
    const { logging, lines } = setup();
    request(logging, { url: '/api/nowhere?token=t0p' }).close(404);
    request(logging, { url: '/api/generate', route: '/api/generate' }).close(503);
    request(logging, { url: '/api/generate/stream', route: '/api/generate/stream' }).close(200, false);
    expect(lines().map(({ level, msg, route, res }) => ({ level, msg, route, res }))).toEqual([
      { level: 30, msg: 'request completed', route: '/api/nowhere', res: { statusCode: 404 } },
      { level: 50, msg: 'request failed', route: '/api/generate', res: { statusCode: 503 } },
      { level: 30, msg: 'request aborted', route: '/api/generate/stream', res: { statusCode: 200 } },
    ]);
    expect(JSON.stringify(lines())).not.toContain('t0p');
  });

  it("should give lines logged within the request the request's id, making the child logger only when one is logged", () => {
    const { logging, lines } = setup('warn');
    const child = jest.spyOn(logging.logger, 'child');
    const r = request(logging, { url: '/api/generate', id: 'trace-2' });
    r.req.log.info('below the level');
    expect(child).not.toHaveBeenCalled();
    r.req.log.warn({ sessionId: 's1', prompt: 'secret' }, 'the model is slow');
    r.req.log.error('and failed');
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines()).toEqual([
      expect.objectContaining({ level: 40, reqId: 'trace-2', sessionId: 's1', prompt: '[redacted]', msg: 'the model is slow' }),
      expect.objectContaining({ level: 50, reqId: 'trace-2', msg: 'and failed' }),
    ]);
  });
});

describe('requestId', () => {
  const ask = (header?: string) => {
    const headers: Record<string, string> = {};
    const id = requestId({ headers: header === undefined ? {} : { 'x-request-id': header } } as never, { setHeader: (name: string, value: string) => (headers[name] = value) } as never);
    return { id, echoed: headers['X-Request-Id'] };
  };

  it('should keep a safe id and echo it', () => {
    expect(ask('abc-123_x.y:z')).toEqual({ id: 'abc-123_x.y:z', echoed: 'abc-123_x.y:z' });
    expect(ask('a'.repeat(128)).id).toBe('a'.repeat(128));
  });

  it.each([undefined, '', 'a'.repeat(129), 'has space', 'new\nline', '<script>', 'ünï'])('should replace %j with a new UUID, and echo that', (header) => {
    const { id, echoed } = ask(header);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(echoed).toBe(id);
  });
});
