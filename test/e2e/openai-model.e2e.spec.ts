import { historyOf } from '../support/http-helpers';
import { FakeOpenAiServer } from '../support/fake-openai-server';
import { parseSse, sseText } from '../support/sse';
import { createTestApp, TestApp } from '../support/test-app';

describe('the service with an OpenAI-compatible model server', () => {
  const server = new FakeOpenAiServer();
  let t: TestApp;

  beforeAll(async () => {
    await server.start();
    t = await createTestApp({
      env: { LLM_PROVIDER: 'openai', OPENAI_BASE_URL: server.baseUrl, OPENAI_MODEL: 'llama-test', LLM_TIMEOUT_MS: '400', LLM_MAX_RETRIES: '0' },
    });
  });
  beforeEach(() => server.reset());
  afterAll(async () => {
    await t.dispose();
    await server.stop();
  });

  const generate = (body: object) => t.http().post('/api/generate/').send(body);

  it('should answer with the model reply and show it the window of earlier turns', async () => {
    server.next({ kind: 'reply', text: 'First answer.' }, { kind: 'reply', text: 'Here:\n```python\nprint("hi")\n```\nDone.' });
    const first = await generate({ prompt: 'Question one' }).expect(200);
    expect(first.body.response).toBe('First answer.');
    const second = await generate({ prompt: 'Question two', session_id: first.body.session_id }).expect(200);
    expect(second.body.code).toBe('print("hi")');
    expect(server.requests[1].body.model).toBe('llama-test');
    expect(server.requests[1].body.messages).toEqual([
      { role: 'user', content: 'Question one' },
      { role: 'assistant', content: 'First answer.' },
      { role: 'user', content: 'Question two' },
    ]);
  });

  it.each([
    ['a 500', 502, 'llm_bad_response', { kind: 'status', status: 500 } as const],
    ['an unreadable answer', 502, 'llm_bad_response', { kind: 'malformed' } as const],
    ['a rejected key', 503, 'llm_unavailable', { kind: 'status', status: 401 } as const],
    ['no answer in time', 504, 'llm_timeout', { kind: 'hang' } as const],
  ])('should map %s to %i %s, keep the Human message and invent no AI reply', async (_name, status, code, behaviour) => {
    server.next({ kind: 'reply', text: 'Before the failure.' }, behaviour);
    const ok = await generate({ prompt: 'works' }).expect(200);
    const failed = await generate({ prompt: 'fails', session_id: ok.body.session_id }).expect(status);
    expect(failed.body).toMatchObject({ status, code });
    expect(failed.body.detail).toEqual(expect.any(String));
    const history = await historyOf(t, ok.body.session_id);
    expect(history.history).toEqual(['Human: works', 'AI: Before the failure.', 'Human: fails']);
    server.next({ kind: 'reply', text: 'Recovered.' });
    await generate({ prompt: 'again', session_id: ok.body.session_id }).expect(200);
    // The failed turn is not part of the window: the model sees only complete turns.
    expect(server.requests.at(-1)!.body.messages.map((m) => m.content)).toEqual(['works', 'Before the failure.', 'again']);
  });

  it('should map an unreachable server to 503', async () => {
    const offline = await createTestApp({ env: { LLM_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', LLM_MAX_RETRIES: '0' } });
    const res = await offline.http().post('/api/generate/').send({ prompt: 'anyone there?' }).expect(503);
    expect(res.body).toMatchObject({ status: 503, code: 'llm_unavailable' });
    await offline.dispose();
  });

  describe('POST /api/generate/stream', () => {
    it('should relay the model tokens as events, then done, and store the joined reply', async () => {
      server.next({ kind: 'stream', chunks: ['Stream', 'ing ', 'works', '.'] });
      const res = await t.http().post('/api/generate/stream').send({ prompt: 'stream please' }).buffer(true).parse(sseText).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(res.headers['cache-control']).toContain('no-cache');
      expect(res.headers['x-accel-buffering']).toBe('no');
      const events = parseSse(res.body);
      expect(events.filter((e) => e.event === 'token').map((e) => e.data.text)).toEqual(['Stream', 'ing ', 'works', '.']);
      const done = events.at(-1)!;
      expect(done.event).toBe('done');
      expect(Object.keys(done.data).sort()).toEqual(['chat_name', 'finish_reason', 'message_type', 'response', 'session_id', 'timestamp']);
      expect(done.data).toMatchObject({ response: 'Streaming works.', chat_name: 'stream please', message_type: 'conversation', finish_reason: 'stop' });
      const history = await historyOf(t, done.data.session_id);
      expect(history.history).toEqual(['Human: stream please', 'AI: Streaming works.']);
    });

    it('should end with an error event when the model fails mid-way, storing no AI message', async () => {
      server.next({ kind: 'stream', chunks: ['partial ', 'answer ', 'never ends'], failAfter: 2 });
      const res = await t.http().post('/api/generate/stream/').send({ prompt: 'break please' }).buffer(true).parse(sseText).expect(200);
      const events = parseSse(res.body);
      expect(events.filter((e) => e.event === 'token').map((e) => e.data.text)).toEqual(['partial ', 'answer ']);
      const last = events.at(-1)!;
      expect(last.event).toBe('error');
      expect(last.data).toEqual({ status: expect.any(Number), code: expect.stringMatching(/^llm_/), detail: expect.any(String) });
      expect(last.data.status).toBeGreaterThanOrEqual(502);
      const sessions = (await t.http().get('/api/session_names/?q=break%20please').expect(200)).body;
      expect((await historyOf(t, sessions[0].session_id)).history).toEqual(['Human: break please']);
    });

    it('should refuse bad input with a JSON error before streaming', async () => {
      const res = await t.http().post('/api/generate/stream').send({ prompt: '' }).expect(400);
      expect(res.body).toMatchObject({ status: 400, code: 'validation_failed' });
    });

    it('should abort the model call when the client goes away, and store no AI message', async () => {
      server.next({ kind: 'stream', chunks: Array.from({ length: 200 }, (_, i) => `t${i} `), delayMs: 10 });
      const controller = new AbortController();
      if (!t.app.getHttpServer().listening) await t.app.listen(0, '127.0.0.1');
      const port = (t.app.getHttpServer().address() as { port: number }).port;
      const res = await fetch(`http://127.0.0.1:${port}/api/generate/stream`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...t.authHeaders },
        body: JSON.stringify({ prompt: 'leave early' }),
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      await reader.read();
      controller.abort();
      const aborted = await server.waitForAbort();
      expect(aborted.body.stream).toBe(true);
      const sessions = (await t.http().get('/api/session_names/?q=leave%20early').expect(200)).body;
      // The next turn of the session waits for the aborted one to let go of the session: then it has finished.
      server.next({ kind: 'reply', text: 'Next.' });
      await generate({ prompt: 'after', session_id: sessions[0].session_id }).expect(200);
      expect((await historyOf(t, sessions[0].session_id)).history).toEqual(['Human: leave early', 'Human: after', 'AI: Next.']);
    });
  });
});
