import { LlmBadResponseError, LlmTimeoutError, LlmUnavailableError, TurnAbortedError } from '../../src/common/domain-error';
import { loadConfig } from '../../src/config/load-config';
import { LangChainChatModel } from '../../src/chat/adapters/langchain-chat-model';
import { PromptMessage, TokenUsage } from '../../src/chat/domain/chat-model';
import { FakeOpenAiServer } from '../support/fake-openai-server';

const messages: PromptMessage[] = [
  { role: 'human', content: 'earlier question' },
  { role: 'ai', content: 'earlier answer' },
  { role: 'human', content: 'Now?' },
];

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const pieces: string[] = [];
  for await (const piece of stream) pieces.push(piece);
  return pieces;
}

describe(LangChainChatModel.name, () => {
  const server = new FakeOpenAiServer();
  let model: LangChainChatModel;

  const warnings: string[] = [];
  const build = (env: Record<string, string> = {}) =>
    new LangChainChatModel(
      loadConfig({
        LLM_PROVIDER: 'openai',
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: server.baseUrl,
        OPENAI_MODEL: 'test-model-1',
        LLM_TIMEOUT_MS: '1000',
        LLM_MAX_RETRIES: '0',
        ...env,
      }),
      { warn: (message) => warnings.push(message) },
    );

  beforeAll(async () => {
    await server.start();
  });
  beforeEach(() => {
    server.reset();
    warnings.length = 0;
    model = build();
  });
  afterAll(() => server.stop());

  it('should send the model name, the key and the whole window as chat messages', async () => {
    server.next({ kind: 'reply', text: 'The answer.' });
    await expect(model.complete({ messages })).resolves.toBe('The answer.');
    const [request] = server.requests;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer sk-test');
    expect(request.body.model).toBe('test-model-1');
    expect(request.body.messages).toEqual([
      { role: 'user', content: 'earlier question' },
      { role: 'assistant', content: 'earlier answer' },
      { role: 'user', content: 'Now?' },
    ]);
  });

  it('should stream the reply in the pieces the server sends', async () => {
    server.next({ kind: 'stream', chunks: ['Hel', 'lo, ', 'world'] });
    await expect(collect(model.stream({ messages }))).resolves.toEqual(['Hel', 'lo, ', 'world']);
    expect(server.requests[0].body.stream).toBe(true);
  });

  it('should map a 500 to a bad-response error after the configured retries', async () => {
    model = build({ LLM_MAX_RETRIES: '1' });
    server.always({ kind: 'status', status: 500 });
    await expect(model.complete({ messages })).rejects.toBeInstanceOf(LlmBadResponseError);
    expect(server.requests).toHaveLength(2);
  });

  it('should map 401, 404 and 429 to unavailable', async () => {
    for (const status of [401, 404, 429]) {
      server.next({ kind: 'status', status });
      await expect(model.complete({ messages })).rejects.toBeInstanceOf(LlmUnavailableError);
    }
  });

  it('should map an unreadable answer to a bad-response error', async () => {
    server.next({ kind: 'malformed' });
    await expect(model.complete({ messages })).rejects.toBeInstanceOf(LlmBadResponseError);
  });

  it('should map an empty answer to a bad-response error', async () => {
    server.next({ kind: 'reply', text: '' });
    await expect(model.complete({ messages })).rejects.toBeInstanceOf(LlmBadResponseError);
  });

  it('should give up with a timeout error when the server does not answer in LLM_TIMEOUT_MS', async () => {
    model = build({ LLM_TIMEOUT_MS: '300' });
    server.next({ kind: 'hang' });
    const started = Date.now();
    await expect(model.complete({ messages })).rejects.toBeInstanceOf(LlmTimeoutError);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('should map an unreachable server to unavailable', async () => {
    model = build({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
    await expect(model.complete({ messages })).rejects.toBeInstanceOf(LlmUnavailableError);
  });

  it('should fail a stream that breaks off in the middle', async () => {
    server.next({ kind: 'stream', chunks: ['one ', 'two ', 'three'], failAfter: 2 });
    const pieces: string[] = [];
    await expect(
      (async () => {
        for await (const piece of model.stream({ messages })) pieces.push(piece);
      })(),
    ).rejects.toThrow();
    expect(pieces).toEqual(['one ', 'two ']);
  });

  it('should not ask again when a stream breaks after its first piece, whatever LLM_MAX_RETRIES says', async () => {
    model = build({ LLM_MAX_RETRIES: '3' });
    server.next({ kind: 'stream', chunks: ['one ', 'two '], failAfter: 1 });
    await expect(collect(model.stream({ messages }))).rejects.toThrow();
    expect(server.requests).toHaveLength(1);
  });

  it('should abort the HTTP request when the signal fires mid-stream', async () => {
    server.next({ kind: 'stream', chunks: Array.from({ length: 50 }, (_, i) => `piece ${i} `), delayMs: 20 });
    const controller = new AbortController();
    const pieces: string[] = [];
    await expect(
      (async () => {
        for await (const piece of model.stream({ messages, signal: controller.signal })) {
          pieces.push(piece);
          if (pieces.length === 3) controller.abort();
        }
      })(),
    ).rejects.toBeInstanceOf(TurnAbortedError);
    await server.waitForAbort();
    expect(pieces.length).toBeLessThan(50);
  });

  describe('token usage', () => {
    /** The usage calls report, in order. */
    let reported: TokenUsage[];
    const onUsage = (usage: TokenUsage) => reported.push(usage);
    beforeEach(() => (reported = []));
    const asked = (i: number) => server.requests[i].body.stream_options;

    it('should report the usage of a plain reply, and none when the server sends none', async () => {
      server.next({ kind: 'reply', text: 'Counted.', usage: { prompt_tokens: 31, completion_tokens: 7 } }, { kind: 'reply', text: 'Uncounted.', usage: null });
      await expect(model.complete({ messages, onUsage })).resolves.toBe('Counted.');
      await expect(model.complete({ messages, onUsage })).resolves.toBe('Uncounted.');
      expect(reported).toEqual([{ input: 31, output: 7 }]);
      expect(asked(0)).toBeUndefined();
    });

    it('should ask for the usage of a stream by default and report it after the last piece', async () => {
      server.next({ kind: 'stream', chunks: ['Hel', 'lo'], usage: { prompt_tokens: 40, completion_tokens: 2 } });
      await expect(collect(model.stream({ messages, onUsage }))).resolves.toEqual(['Hel', 'lo']);
      expect(asked(0)).toEqual({ include_usage: true });
      expect(reported).toEqual([{ input: 40, output: 2 }]);
    });

    it.each([400, 422] as const)('auto: should stream again without stream_options when the server refuses them with %i, and not send them again', async (status) => {
      server.refuseStreamOptions(status).next({ kind: 'stream', chunks: ['Still ', 'here'] }, { kind: 'stream', chunks: ['Again'] });
      await expect(collect(model.stream({ messages, onUsage }))).resolves.toEqual(['Still ', 'here']);
      expect(server.requests.map((r) => r.body.stream_options)).toEqual([{ include_usage: true }, undefined]);
      await expect(collect(model.stream({ messages, onUsage }))).resolves.toEqual(['Again']);
      expect(server.requests).toHaveLength(3);
      expect(asked(2)).toBeUndefined();
      expect(reported).toEqual([]);
      expect(warnings).toEqual([expect.stringMatching(/stream_options/)]);
    });

    it('auto: should not retry a stream refused for another reason', async () => {
      server.next({ kind: 'status', status: 400, body: { error: { message: 'messages must not be empty', type: 'invalid_request_error' } } });
      await expect(collect(model.stream({ messages }))).rejects.toBeInstanceOf(LlmBadResponseError);
      expect(server.requests).toHaveLength(1);
      expect(warnings).toEqual([]);
    });

    it('off: should never send stream_options, and report no usage of a stream', async () => {
      model = build({ OPENAI_STREAM_USAGE: 'off' });
      server.next({ kind: 'stream', chunks: ['Quiet'], usage: { prompt_tokens: 40, completion_tokens: 2 } });
      await expect(collect(model.stream({ messages, onUsage }))).resolves.toEqual(['Quiet']);
      expect(asked(0)).toBeUndefined();
      expect(reported).toEqual([]);
    });

    it('on: should fail a refused stream without retrying it, and keep asking', async () => {
      model = build({ OPENAI_STREAM_USAGE: 'on' });
      server.refuseStreamOptions();
      await expect(collect(model.stream({ messages }))).rejects.toBeInstanceOf(LlmBadResponseError);
      await expect(collect(model.stream({ messages }))).rejects.toBeInstanceOf(LlmBadResponseError);
      expect(server.requests.map((r) => r.body.stream_options)).toEqual([{ include_usage: true }, { include_usage: true }]);
      expect(warnings).toEqual([]);
    });
  });
});
