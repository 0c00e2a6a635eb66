import { randomUUID } from 'node:crypto';
import { LogDestination } from '../../src/logging/log-destination';
import { JWT_ENV, register } from '../support/auth-helpers';
import { createTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/** Takes the app's log lines instead of stdout. */
class RecordedLines extends LogDestination {
  readonly lines: string[] = [];

  write(line: string): void {
    this.lines.push(line);
  }

  entries(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

describe('request logs', () => {
  let t: TestApp;
  let log: RecordedLines;

  beforeAll(async () => {
    log = new RecordedLines();
    t = await createTestApp({ env: { ...JWT_ENV, LOG_LEVEL: 'info' }, overrides: [[LogDestination, log]] });
  });

  afterAll(async () => {
    await t.dispose();
  });

  const requestLine = async (id: string) => {
    await waitFor(() => log.entries().some((e) => e.reqId === id && e.msg === 'request completed'), `the log line of request ${id}`);
    return log.entries().find((e) => e.reqId === id && e.msg === 'request completed')!;
  };

  it("should take the client's X-Request-Id, echo it, and log one line with it, the route, status, duration and user", async () => {
    const admin = await register(t, 'ann');
    const res = await t.http().get('/api/session_names').set('Authorization', admin.auth).set('X-Request-Id', 'trace-42.a:b').expect(200);
    expect(res.headers['x-request-id']).toBe('trace-42.a:b');
    const line = await requestLine('trace-42.a:b');
    expect(line).toEqual(
      expect.objectContaining({
        level: 30,
        method: 'GET',
        route: '/api/session_names',
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
        userId: admin.id,
      }),
    );
    expect(log.entries().filter((e) => e.reqId === 'trace-42.a:b')).toHaveLength(1);
  });

  it('should give a request without a usable X-Request-Id a new one, and echo that', async () => {
    const unsafe = ['a'.repeat(129), 'two words', 'quote"d', 'new\u00e9'];
    for (const given of [undefined, ...unsafe]) {
      const req = t.http().get('/api/health/live');
      const res = await (given === undefined ? req : req.set('X-Request-Id', given)).expect(200);
      const id = res.headers['x-request-id'] as string;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await requestLine(id)).toEqual(expect.objectContaining({ route: '/api/health/live', res: { statusCode: 200 } }));
    }
    for (const given of unsafe) expect(log.lines.join('\n')).not.toContain(given);
  });

  it('should log requests that the body checks refuse, before any route', async () => {
    const res = await t.http().post('/api/generate').set('Content-Type', 'application/json').send('{"prompt":').expect(400);
    const line = await requestLine(res.headers['x-request-id'] as string);
    expect(line).toEqual(expect.objectContaining({ method: 'POST', route: '/api/generate', res: { statusCode: 400 } }));
  });

  it('should never log prompts, replies, passwords, tokens or keys at info', async () => {
    const secret = `secret-${randomUUID()}`;
    const password = `password-${randomUUID()}`;
    const user = await register(t, 'bob', password);
    const headers = { Authorization: user.auth, 'X-Request-Id': `turn-${secret.slice(7, 15)}` };
    const first = await t.http().post('/api/generate').set(headers).send({ prompt: `Tell me about ${secret}` }).expect(200);
    const sessionId = (first.body as { session_id: string }).session_id;
    await t.http().post('/api/generate/stream').set('Authorization', user.auth).send({ prompt: `${secret} again`, session_id: sessionId }).buffer(true).expect(200);
    await t.http().get('/api/search').query({ q: secret }).set('Authorization', user.auth);
    const key = await t.http().post('/api/auth/keys').set('Authorization', user.auth).send({ name: 'ci' }).expect(201);
    await t.http().post('/api/auth/login').send({ username: 'bob', password }).expect(200);
    await t.http().get('/api/session_names').set('Authorization', `Bearer ${(key.body as { key: string }).key}`).expect(200);
    await requestLine(headers['X-Request-Id']);

    const all = log.lines.join('\n');
    expect(log.entries().filter((e) => e.userId === user.id).length).toBeGreaterThanOrEqual(4);
    for (const hidden of [secret, password, user.token, (key.body as { key: string }).key, 'This is the offline model']) expect(all).not.toContain(hidden);
  });
});
