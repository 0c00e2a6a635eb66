import { loadConfig } from '../config/load-config';
import { LogDestination } from './log-destination';
import { RequestLogging } from './logging.module';
import { requestId } from './request-log';

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
