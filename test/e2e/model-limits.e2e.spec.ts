import { connect } from 'node:net';
import { historyOf, say } from '../support/http-helpers';
import { FakeOpenAiServer } from '../support/fake-openai-server';
import { parseSse, sseText } from '../support/sse';
import { createTestApp, TestApp } from '../support/test-app';

/** Deadlines, cancellation, backpressure and the reply cap, against a model server that misbehaves. */
describe('the limits on model calls', () => {
  const server = new FakeOpenAiServer();
  const apps: TestApp[] = [];

  const appWith = async (env: Record<string, string>) => {
    const t = await createTestApp({ env: { LLM_PROVIDER: 'openai', OPENAI_BASE_URL: server.baseUrl, LLM_MAX_RETRIES: '2', ...env } });
    apps.push(t);
    return t;
  };

  beforeAll(() => server.start());
  beforeEach(() => server.reset());
  afterAll(async () => {
    for (const t of apps) await t.dispose();
    await server.stop();
  });

  const streamed = (t: TestApp, body: object) => t.http().post('/api/generate/stream').send(body).buffer(true).parse(sseText);
  const sessionNamed = async (t: TestApp, prompt: string) => (await t.http().get(`/api/session_names/?q=${encodeURIComponent(prompt)}`).expect(200)).body[0].session_id as string;

  describe('with LLM_TIMEOUT_MS=700', () => {
    let t: TestApp;
    beforeAll(async () => (t = await appWith({ LLM_TIMEOUT_MS: '700', LLM_IDLE_TIMEOUT_MS: '60000' })));

    it('should end a plain turn whose server stalls after the headers in 504 within the deadline, asking once', async () => {
      server.next({ kind: 'stall' });
      const started = Date.now();
      const res = await t.http().post('/api/generate/').send({ prompt: 'stall plain' }).expect(504);
      expect(Date.now() - started).toBeLessThan(700 + 1500);
      expect(res.body).toMatchObject({ status: 504, code: 'llm_timeout', detail: expect.any(String) });
      expect(server.requests).toHaveLength(1);
      expect((await historyOf(t, await sessionNamed(t, 'stall plain'))).history).toEqual(['Human: stall plain']);
    });

    it('should end a streamed turn whose server stalls after the headers with a 504 error event within the deadline', async () => {
      server.next({ kind: 'stall', stream: true });
      const started = Date.now();
      const res = await streamed(t, { prompt: 'stall stream' }).expect(200);
      expect(Date.now() - started).toBeLessThan(700 + 1500);
      expect(parseSse(res.body)).toEqual([{ event: 'error', data: { status: 504, code: 'llm_timeout', detail: expect.any(String) } }]);
    });

    it('should answer a second turn on the same session once the stalled one reaches its deadline', async () => {
      const { session_id } = await say(t, 'first');
      server.next({ kind: 'stall' }, { kind: 'reply', text: 'Second answer.' });
      const started = Date.now();
      const stalled = t.http().post('/api/generate/').send({ prompt: 'stalls', session_id }).then((r) => r);
      await server.waitForRequests(2);
      const second = await t.http().post('/api/generate/').send({ prompt: 'second', session_id }).expect(200);
      expect(Date.now() - started).toBeLessThan(700 + 1500);
      expect(second.body.response).toBe('Second answer.');
      expect((await stalled).status).toBe(504);
    });
  });

  describe('with LLM_IDLE_TIMEOUT_MS=300 and a long LLM_TIMEOUT_MS', () => {
    let t: TestApp;
    beforeAll(async () => (t = await appWith({ LLM_TIMEOUT_MS: '20000', LLM_IDLE_TIMEOUT_MS: '300', STREAM_WRITE_TIMEOUT_MS: '500', MAX_REPLY_CHARS: '100000000' })));

    it('should end a stream that goes silent between chunks in 504, keep the streamed text out of the store and not ask again', async () => {
      server.next({ kind: 'stream', chunks: ['one ', 'two ', 'three'], stallAfter: 2 });
      const started = Date.now();
      const res = await streamed(t, { prompt: 'idle between' }).expect(200);
      expect(Date.now() - started).toBeLessThan(300 + 1500);
      const events = parseSse(res.body);
      expect(events.map((e) => e.event)).toEqual(['token', 'token', 'error']);
      expect(events[2].data).toMatchObject({ status: 504, code: 'llm_timeout' });
      expect(server.requests).toHaveLength(1);
      expect((await historyOf(t, await sessionNamed(t, 'idle between'))).history).toEqual(['Human: idle between']);
    });

    it('should time out a stream that sends no first chunk after LLM_IDLE_TIMEOUT_MS', async () => {
      server.next({ kind: 'stall', stream: true });
      const started = Date.now();
      const res = await streamed(t, { prompt: 'idle first' }).expect(200);
      expect(Date.now() - started).toBeLessThan(300 + 1500);
      expect(parseSse(res.body).at(-1)).toMatchObject({ event: 'error', data: { status: 504, code: 'llm_timeout' } });
    });

    it('should never ask again after the first token', async () => {
      server.next({ kind: 'stream', chunks: ['partial ', 'lost'], failAfter: 1 }, { kind: 'stream', chunks: ['must not be asked'] });
      const broken = parseSse((await streamed(t, { prompt: 'retry late' }).expect(200)).body);
      expect(broken.map((e) => e.event)).toEqual(['token', 'error']);
      expect(server.requests).toHaveLength(1);
    });

    it('should abort a running plain turn when its session is deleted, answer the DELETE promptly and the turn with 409', async () => {
      const { session_id } = await say(t, 'to delete');
      server.next({ kind: 'stall' });
      const turn = t.http().post('/api/generate/').send({ prompt: 'running', session_id }).then((r) => r);
      await server.waitForRequests(2);
      const started = Date.now();
      await t.http().delete(`/api/sessions/${session_id}`).expect(204);
      expect(Date.now() - started).toBeLessThan(2000);
      await server.waitForAbort();
      const res = await turn;
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ status: 409, code: 'session_deleted' });
      await t.http().post('/api/get_history/').send({ session_id }).expect(404);
    });

    it('should abort a running streamed turn when its history is cleared, with an error event and nothing stored', async () => {
      const { session_id } = await say(t, 'to clear');
      server.next({ kind: 'stream', chunks: ['never ', 'finished'], stallAfter: 1 });
      const turn = streamed(t, { prompt: 'running', session_id }).then((r) => r);
      await server.waitForRequests(2);
      const started = Date.now();
      const cleared = await t.http().post('/api/clear_history/').send({ session_id }).expect(200);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(cleared.body.deleted_messages).toBe(3);
      await server.waitForAbort();
      const events = parseSse((await turn).body);
      expect(events.at(-1)).toMatchObject({ event: 'error', data: { status: 409, code: 'session_cleared' } });
      expect((await historyOf(t, session_id)).history).toEqual([]);
    });

    it('should drop a client that stops reading after STREAM_WRITE_TIMEOUT_MS and abort its model call', async () => {
      server.next({ kind: 'endless', text: 'x'.repeat(8192) });
      if (!t.app.getHttpServer().listening) await t.app.listen(0, '127.0.0.1');
      const { port } = t.app.getHttpServer().address() as { port: number };
      const body = JSON.stringify({ prompt: 'never reads' });
      const socket = connect(port, '127.0.0.1');
      socket.pause();
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.write(`POST /api/generate/stream HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      await server.waitForAbort(10_000);
      // Reading again now only drains what was buffered before the service let go of the connection.
      let received = '';
      socket.setEncoding('utf8').on('data', (part: string) => (received += part));
      socket.resume();
      await closed;
      expect(received).toContain('event: token');
      expect(received).not.toContain('event: done');
      expect((await historyOf(t, await sessionNamed(t, 'never reads'))).history).toEqual(['Human: never reads']);
    }, 15_000);
  });

  describe('with MAX_REPLY_CHARS=1000', () => {
    let t: TestApp;
    beforeAll(async () => (t = await appWith({ MAX_REPLY_CHARS: '1000' })));

    it('should cut a stream that never stops at the cap, stop the model, store the cut reply and say finish_reason length', async () => {
      server.next({ kind: 'endless', text: 'ab😀 ' });
      const events = parseSse((await streamed(t, { prompt: 'endless' }).expect(200)).body);
      await server.waitForAbort();
      const done = events.at(-1)!;
      expect(done.event).toBe('done');
      expect(done.data.finish_reason).toBe('length');
      expect(Array.from(done.data.response)).toHaveLength(1000);
      expect(events.filter((e) => e.event === 'token').map((e) => e.data.text).join('')).toBe(done.data.response);
      expect((await historyOf(t, done.data.session_id)).messages[1].content).toBe(done.data.response);
    });

    it('should retry a stream that failed before its first token (LangChain retries only until the headers)', async () => {
      server.next({ kind: 'status', status: 500 }, { kind: 'stream', chunks: ['retried ', 'fine'] });
      const events = parseSse((await streamed(t, { prompt: 'retry early' }).expect(200)).body);
      expect(events.at(-1)).toMatchObject({ event: 'done', data: { response: 'retried fine' } });
      expect(server.requests).toHaveLength(2);
    });

    it('should cut a plain reply at the cap and say finish_reason length, and stop otherwise', async () => {
      server.next({ kind: 'reply', text: 'y'.repeat(1500) }, { kind: 'reply', text: 'short' });
      const long = await t.http().post('/api/generate/').send({ prompt: 'long plain' }).expect(200);
      expect(long.body).toMatchObject({ response: 'y'.repeat(1000), finish_reason: 'length' });
      expect((await historyOf(t, long.body.session_id)).history).toEqual(['Human: long plain', `AI: ${'y'.repeat(1000)}`]);
      const short = await t.http().post('/api/generate/').send({ prompt: 'short plain' }).expect(200);
      expect(short.body).toMatchObject({ response: 'short', finish_reason: 'stop' });
    });
  });
});
