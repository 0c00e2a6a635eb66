import { FakeOpenAiServer } from '../support/fake-openai-server';
import { parseSse, sseText } from '../support/sse';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The tokens of the usage series (GET /api/analytics/usage) with an OpenAI-compatible model server:
 * its own counts when it reports them, plain and streamed, else the estimate.
 */
describe('token usage from the model server', () => {
  const server = new FakeOpenAiServer();
  let t: TestApp;

  beforeAll(() => server.start());
  beforeEach(async () => {
    server.reset();
    t = await createTestApp({ env: { LLM_PROVIDER: 'openai', OPENAI_BASE_URL: server.baseUrl, OPENAI_MODEL: 'llama-test', LLM_TIMEOUT_MS: '5000', LLM_MAX_RETRIES: '0' } });
  });
  afterEach(() => t.dispose());
  afterAll(() => server.stop());

  const generate = (prompt: string) => t.http().post('/api/generate/').send({ prompt }).expect(200);
  const stream = async (prompt: string) => {
    const res = await t.http().post('/api/generate/stream').send({ prompt }).buffer(true).parse(sseText).expect(200);
    return parseSse(res.body).at(-1)!;
  };
  /** The tokens of the last 24 hours, summed. */
  const tokens = async () => {
    const { series } = (await t.http().get('/api/analytics/usage?granularity=hour').expect(200)).body as { series: { tokens_in: number; tokens_out: number; model_calls: number }[] };
    const sum = (key: 'tokens_in' | 'tokens_out' | 'model_calls') => series.reduce((total, point) => total + point[key], 0);
    return { in: sum('tokens_in'), out: sum('tokens_out'), calls: sum('model_calls') };
  };

  it("should store the server's own counts of a plain and a streamed turn", async () => {
    server.next({ kind: 'reply', text: 'Counted by the server.', usage: { prompt_tokens: 21, completion_tokens: 4 } }, { kind: 'stream', chunks: ['Streamed ', 'and counted.'], usage: { prompt_tokens: 30, completion_tokens: 6 } });
    await generate('Question');
    const done = await stream('Another question');
    expect(done).toMatchObject({ event: 'done', data: { response: 'Streamed and counted.' } });
    expect(server.requests[1].body.stream_options).toEqual({ include_usage: true });
    expect(await tokens()).toEqual({ in: 21 + 30, out: 4 + 6, calls: 2 });
  });

  it('should store the estimate when the server reports no usage', async () => {
    server.next({ kind: 'reply', text: 'Estimated reply.', usage: null }, { kind: 'stream', chunks: ['Twelve', ' chars'] });
    await generate('Question');
    await stream('abcd');
    // Each: 3 (reply priming) + 4 (the message) + ceil(prompt / 4) in, ceil(reply / 4) out.
    expect(await tokens()).toEqual({ in: 3 + 4 + 2 + (3 + 4 + 1), out: 4 + 3, calls: 2 });
  });

  it('should stream from a server that refuses stream_options by asking once more without, and not ask again', async () => {
    server.refuseStreamOptions().next({ kind: 'stream', chunks: ['Refused, ', 'then answered.'] }, { kind: 'stream', chunks: ['Not asked.'] });
    expect(await stream('abcd')).toMatchObject({ event: 'done', data: { response: 'Refused, then answered.' } });
    expect(await stream('abcd')).toMatchObject({ event: 'done', data: { response: 'Not asked.' } });
    expect(server.requests.map((r) => r.body.stream_options)).toEqual([{ include_usage: true }, undefined, undefined]);
    // Estimated: 'Refused, then answered.' is 23 characters, 'Not asked.' 10.
    expect(await tokens()).toEqual({ in: 2 * (3 + 4 + 1), out: 6 + 3, calls: 2 });
  });
});
