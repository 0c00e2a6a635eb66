import { Clock } from '../common/clock';
import {
  ContextTooLongError,
  InvalidInputError,
  LlmBadResponseError,
  LlmTimeoutError,
  LockLostError,
  PromptTooLongError,
  SessionDeletedError,
  TurnAbortedError,
} from '../common/domain-error';
import { InProcessRunningTurns } from '../common/running-turns';
import { InProcessSessionLock, SessionLock } from '../common/session-lock';
import { loadConfig } from '../config/load-config';
import { EVERYONE } from '../sessions/domain/session';
import { ModelRequest } from './domain/chat-model';
import { InMemoryConversationMemory, InMemorySessionStore, InMemorySettingsStore, InMemorySummaryStore, InMemoryTemplateStore, ScriptedChatModel, silence, WordTokenCounter } from '../../test/support/fakes';
import { ContextService } from './context.service';
import { OfflineSummarizer } from './adapters/offline-summarizer';
import { SummaryService } from './summary.service';
import { ManualClock } from '../../test/support/manual-clock';
import { ChatService } from './chat.service';
import { PromMetrics } from '../metrics/adapters/prom-metrics';

describe(ChatService.name, () => {
  let store: InMemorySessionStore;
  let memory: InMemoryConversationMemory;
  let model: ScriptedChatModel;
  let service: ChatService;
  let metrics: PromMetrics;
  let turns: InProcessRunningTurns;
  let settings: InMemorySettingsStore;
  let summaries: InMemorySummaryStore;
  let templates: InMemoryTemplateStore;
  const clock: Clock = new ManualClock();

  const build = (env: Record<string, string> = {}, lock: SessionLock = new InProcessSessionLock()) => {
    turns = new InProcessRunningTurns();
    const config = loadConfig({ MAX_PROMPT_CHARS: '10', ...env });
    const context = new ContextService(store, memory, settings, summaries, templates, new WordTokenCounter(), config);
    const summary = new SummaryService(store, summaries, new OfflineSummarizer(), new WordTokenCounter(), lock, clock, config);
    metrics = new PromMetrics();
    service = new ChatService(store, memory, context, settings, summary, model, lock, turns, clock, config, metrics);
  };

  beforeEach(() => {
    store = new InMemorySessionStore();
    memory = new InMemoryConversationMemory();
    model = new ScriptedChatModel();
    settings = new InMemorySettingsStore();
    summaries = new InMemorySummaryStore();
    templates = new InMemoryTemplateStore();
    build();
  });

  const ignore = () => undefined;
  /** Pieces one by one, then silence until the model's signal fires. */
  const piecesThenSilence = (...pieces: string[]) => ({
    async *stream() {
      yield* pieces;
      await silence();
    },
  });
  /** Far more pieces than any cap in these tests lets through. */
  const many = (piece: string) => ({
    async *stream() {
      for (let i = 0; i < 1000; i++) yield piece;
    },
  });

  const contents = () => store.messages.map((m) => `${m.sender}: ${m.content}`);
  /** What SettingsService.change does: store the settings, then forget the window that held the old ones. */
  const changeSettings = async (sessionId: string, changed: Parameters<typeof settings.rows.set>[1]) => {
    settings.rows.set(sessionId, changed);
    await memory.forget(sessionId);
  };

  it('should store the Human message before the model is asked, then the answer', async () => {
    model.answer(() => {
      expect(contents()).toEqual(['Human: hi']);
      return 'hello';
    });
    const result = await service.generate({ prompt: 'hi', maxHistory: 10 });
    expect(contents()).toEqual(['Human: hi', 'AI: hello']);
    expect(result).toMatchObject({ response: 'hello', chatName: 'hi', sessionId: expect.any(String) });
    expect(memory.windows.get(result.sessionId)).toEqual([{ human: 'hi', ai: 'hello' }]);
  });

  it("should hold a new session's first turn as its whole window, and append later turns to it", async () => {
    const hold = jest.spyOn(memory, 'hold');
    const append = jest.spyOn(memory, 'append');
    const { sessionId } = await service.generate({ prompt: 'one', maxHistory: 10 });
    // Held whole (not appended, which would mark the window partial and send the next turn to the store).
    expect(hold).toHaveBeenCalledWith(sessionId, [{ human: 'one', ai: expect.any(String) }], expect.objectContaining({ systemPrompt: null }));
    expect(append).not.toHaveBeenCalled();
    await service.generate({ prompt: 'two', sessionId, maxHistory: 10 });
    expect(append).toHaveBeenCalledWith(sessionId, { human: 'two', ai: expect.any(String) }, expect.objectContaining({ systemPrompt: null }));
  });

  it('should run a held session on the settings held with its window, without reading the store, until they change', async () => {
    const { sessionId } = await service.generate({ prompt: 'one' });
    const reads = jest.spyOn(settings, 'find');
    await service.generate({ prompt: 'two', sessionId });
    expect(reads).not.toHaveBeenCalled();
    await changeSettings(sessionId, { systemPrompt: 'Be brief.', model: null, temperature: null, memory: { strategy: 'window', maxHistory: 10, maxTokens: null } });
    await service.generate({ prompt: 'three', sessionId });
    await service.generate({ prompt: 'four', sessionId });
    expect(reads).toHaveBeenCalledTimes(1);
    expect(model.requests[3].messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
  });

  it("should start a session from a template: its first turn runs on, holds and stores the template's settings", async () => {
    const memorySettings = { strategy: 'window' as const, maxHistory: 3, maxTokens: null };
    build({ OPENAI_MODELS: 'gpt-4o' });
    const template = { name: 't', category: 'c', systemPrompt: 'Be kind.', starterPrompts: [], model: 'gpt-4o', temperature: 0.2, memory: memorySettings };
    await templates.create(null, 'kind', template);
    const hold = jest.spyOn(memory, 'hold');
    const { sessionId } = await service.generate({ prompt: 'one', templateId: 'kind' });
    const expected = { systemPrompt: 'Be kind.', model: 'gpt-4o', temperature: 0.2, memory: memorySettings };
    expect(model.requests[0].messages[0]).toEqual({ role: 'system', content: 'Be kind.' });
    expect(model.requests[0]).toMatchObject({ model: 'gpt-4o', temperature: 0.2 });
    expect(hold).toHaveBeenCalledWith(sessionId, [expect.anything()], expected);
    expect(settings.rows.get(sessionId)).toEqual(expected);
    await expect(service.generate({ prompt: 'two', sessionId, templateId: 'kind' })).rejects.toBeInstanceOf(InvalidInputError);
    expect(model.requests).toHaveLength(1);
  });

  it('should refuse to start a session from a template whose model is no longer allowed, and create nothing', async () => {
    const template = { name: 'Old', category: 'c', systemPrompt: 'Be kind.', starterPrompts: [], model: 'gpt-3', temperature: null, memory: null };
    await templates.create(null, 'old', template);
    const refused = service.generate({ prompt: 'one', templateId: 'old' });
    await expect(refused).rejects.toBeInstanceOf(InvalidInputError);
    await expect(refused).rejects.toThrow(/Template "Old" uses the model "gpt-3", which this service no longer allows \(allowed: gpt-4o-mini/);
    expect(model.requests).toHaveLength(0);
    expect(store.sessions.size).toBe(0);
  });

  it('should keep the Human message of a failed turn, store no answer and leave the window alone', async () => {
    const { sessionId } = await service.generate({ prompt: 'one', maxHistory: 10 });
    model.answer(new LlmBadResponseError('broken'));
    await expect(service.generate({ prompt: 'two', sessionId, maxHistory: 10 })).rejects.toBeInstanceOf(LlmBadResponseError);
    expect(contents()).toEqual(['Human: one', 'AI: ok', 'Human: two']);
    expect(memory.windows.get(sessionId)).toEqual([{ human: 'one', ai: 'ok' }]);
  });

  it('should count each turn by its strategy and outcome, failed ones by their error code', async () => {
    const { sessionId } = await service.generate({ prompt: 'one' });
    model.answer(new LlmBadResponseError('broken'));
    await expect(service.generate({ prompt: 'two', sessionId })).rejects.toBeInstanceOf(LlmBadResponseError);
    const { values } = await metrics.registry.getSingleMetric('chat_turn_duration_seconds')!.get();
    const counts = values.filter((v) => (v as { metricName?: string }).metricName === 'chat_turn_duration_seconds_count').map((v) => [v.labels, v.value]);
    expect(counts).toEqual([
      [{ strategy: 'window', outcome: 'stop' }, 1],
      [{ strategy: 'window', outcome: 'llm_bad_response' }, 1],
    ]);
  });

  it('should store no answer when the session lock is lost while the model answers', async () => {
    const lost = new AbortController();
    const losingLock = new (class extends SessionLock {
      run<T>(_key: string, work: (held: AbortSignal) => Promise<T>): Promise<T> {
        return work(lost.signal);
      }
    })();
    build({}, losingLock);
    model.answer(() => {
      lost.abort();
      return 'late';
    });
    await expect(service.generate({ prompt: 'hi', maxHistory: 10 })).rejects.toBeInstanceOf(LockLostError);
    expect(contents()).toEqual(['Human: hi']);
    expect(memory.windows.size).toBe(0);
  });

  it('should send the model the last max_history turns and the prompt', async () => {
    const { sessionId } = await service.generate({ prompt: 't1', maxHistory: 10 });
    await service.generate({ prompt: 't2', sessionId, maxHistory: 10 });
    await service.generate({ prompt: 't3', sessionId, maxHistory: 1 });
    expect(model.requests[2].messages).toEqual([
      { role: 'human', content: 't2' },
      { role: 'ai', content: 'ok' },
      { role: 'human', content: 't3' },
    ]);
  });

  it("should apply the session's settings: system prompt first, its model and temperature, its max_history unless the request says", async () => {
    const { sessionId } = await service.generate({ prompt: 't1' });
    await service.generate({ prompt: 't2', sessionId });
    await changeSettings(sessionId, { systemPrompt: 'Be brief.', model: 'gpt-4o', temperature: 0.2, memory: { strategy: 'window', maxHistory: 1, maxTokens: null } });
    await service.generate({ prompt: 't3', sessionId });
    expect(model.requests[2]).toMatchObject({ model: 'gpt-4o', temperature: 0.2 });
    expect(model.requests[2].messages.map((m) => [m.role, m.content])).toEqual([
      ['system', 'Be brief.'],
      ['human', 't2'],
      ['ai', 'ok'],
      ['human', 't3'],
    ]);
    await service.generate({ prompt: 't4', sessionId, maxHistory: 3 });
    expect(model.requests[3].messages.map((m) => m.content)).toEqual(['Be brief.', 't1', 'ok', 't2', 'ok', 't3', 'ok', 't4']);
  });

  it('should send no system message, model or temperature for a session without settings, and ten turns by default', async () => {
    const { sessionId } = await service.generate({ prompt: 't0' });
    for (let i = 1; i <= 11; i++) await service.generate({ prompt: `t${i}`, sessionId });
    const last = model.requests.at(-1)!;
    expect(last.model).toBeUndefined();
    expect(last.temperature).toBeUndefined();
    expect(last.messages[0]).toEqual({ role: 'human', content: 't1' });
    expect(last.messages).toHaveLength(21);
  });

  it('should refuse a prompt over the token budget before storing anything', async () => {
    const { sessionId } = await service.generate({ prompt: 't1' });
    await changeSettings(sessionId, { systemPrompt: 'a b c', model: null, temperature: null, memory: { strategy: 'tokens', maxHistory: 10, maxTokens: 12 } });
    // 3 (priming) + 4 + 3 (system) + 4 + 1 (prompt) = 15 > 12
    await expect(service.generate({ prompt: 'x', sessionId })).rejects.toThrow(ContextTooLongError);
    expect(store.messages).toHaveLength(2);
  });

  it('should rebuild a window that is not held from the stored complete turns', async () => {
    const { sessionId } = await service.generate({ prompt: 'a', maxHistory: 10 });
    model.answer(new LlmBadResponseError('lost'));
    await expect(service.generate({ prompt: 'orphan', sessionId, maxHistory: 10 })).rejects.toThrow();
    await service.generate({ prompt: 'b', sessionId, maxHistory: 10 });
    memory.windows.clear();
    await service.generate({ prompt: 'c', sessionId, maxHistory: 10 });
    expect(model.requests.at(-1)!.messages.map((m) => m.content)).toEqual(['a', 'ok', 'b', 'ok', 'c']);
    expect(memory.windows.get(sessionId)).toHaveLength(3);
  });

  it('should refuse a blank or over-long prompt and store nothing', async () => {
    await expect(service.generate({ prompt: ' \n ', maxHistory: 10 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(service.generate({ prompt: 'x'.repeat(11), maxHistory: 10 })).rejects.toBeInstanceOf(PromptTooLongError);
    await expect(service.generate({ prompt: '😀'.repeat(10), maxHistory: 10 })).resolves.toBeDefined();
    expect(store.messages).toHaveLength(2);
  });

  it('should serialize turns of one session in arrival order', async () => {
    const { sessionId } = await service.generate({ prompt: 'start', maxHistory: 10 });
    let release!: () => void;
    model.answer(() => new Promise<string>((resolve) => (release = () => resolve('slow'))), 'fast');
    const slow = service.generate({ prompt: 'first', sessionId, maxHistory: 10 });
    const fast = service.generate({ prompt: 'second', sessionId, maxHistory: 10 });
    await new Promise((r) => setTimeout(r, 10));
    expect(contents()).toEqual(['Human: start', 'AI: ok', 'Human: first']);
    release();
    await Promise.all([slow, fast]);
    expect(contents().slice(2)).toEqual(['Human: first', 'AI: slow', 'Human: second', 'AI: fast']);
    expect(model.requests.at(-1)!.messages.map((m) => m.content)).toContain('slow');
  });

  it('should stream pieces in order and store the joined reply', async () => {
    model.answer('one two three');
    const pieces: string[] = [];
    let started = 0;
    const result = await service.stream({ prompt: 'go', maxHistory: 10 }, { onStart: () => started++, onToken: (p) => void pieces.push(p) });
    expect(started).toBe(1);
    expect(pieces).toEqual(['one ', 'two ', 'three']);
    expect(result.response).toBe('one two three');
    expect(contents()).toEqual(['Human: go', 'AI: one two three']);
  });

  describe('token usage', () => {
    const usageStored = () => store.usage.map(({ usage }) => (usage === 'failed' ? usage : { tokensIn: usage.tokensIn, tokensOut: usage.tokensOut }));
    /** A model that answers `text` and reports `input` and `output` tokens, plain or streamed. */
    const reporting = (text: string, input: number, output: number) => ({
      async *stream(request: ModelRequest) {
        yield text;
        request.onUsage?.({ input, output });
      },
    });

    it("should store the model's own token counts of a plain and a streamed turn, and answer with them", async () => {
      model.answer(reporting('hello there', 123, 45), reporting('streamed', 67, 8));
      const plain = await service.generate({ prompt: 'hi' });
      const streamed = await service.stream({ prompt: 'go', sessionId: plain.sessionId }, { onStart: ignore, onToken: ignore });
      expect(usageStored()).toEqual([
        { tokensIn: 123, tokensOut: 45 },
        { tokensIn: 67, tokensOut: 8 },
      ]);
      expect([plain.usage, streamed.usage]).toEqual([
        { input: 123, output: 45 },
        { input: 67, output: 8 },
      ]);
    });

    it('should store the estimate when the model reports no usage', async () => {
      model.answer('abcdefgh');
      const result = await service.generate({ prompt: 'hi' });
      // Reply priming 3, the prompt's message 4 + ceil(2/4); the reply ceil(8/4).
      expect(usageStored()).toEqual([{ tokensIn: 3 + 4 + 1, tokensOut: 2 }]);
      expect(result.usage).toEqual({ input: 8, output: 2 });
    });

    it('should answer an unstored turn with the reported usage, else the estimate', async () => {
      model.answer(reporting('kept nowhere', 11, 3), 'abcd');
      await expect(service.unstored({ prompt: 'hi', earlier: [] })).resolves.toMatchObject({ usage: { input: 11, output: 3 } });
      await expect(service.unstored({ prompt: 'hi', earlier: [] })).resolves.toMatchObject({ usage: { input: 8, output: 1 } });
      expect(store.usage).toEqual([]);
    });
  });

  it('should store no answer when the stream is aborted', async () => {
    const controller = new AbortController();
    model.answer('one two three');
    const turn = service.stream({ prompt: 'go', maxHistory: 10 }, { signal: controller.signal, onStart: () => undefined, onToken: () => controller.abort() });
    await expect(turn).rejects.toBeInstanceOf(TurnAbortedError);
    expect(contents()).toEqual(['Human: go']);
    expect(memory.windows.size).toBe(0);
  });

  it('should report a session deleted while the model was answering', async () => {
    const { sessionId } = await service.generate({ prompt: 'x', maxHistory: 10 });
    model.answer(async () => {
      await store.deleteSession(EVERYONE, sessionId);
      return 'too late';
    });
    await expect(service.generate({ prompt: 'y', sessionId, maxHistory: 10 })).rejects.toBeInstanceOf(SessionDeletedError);
    expect(store.messages).toHaveLength(0);
  });

  describe('limits', () => {
    it('should end a turn whose model never answers at LLM_TIMEOUT_MS, stop the model and let go of the session', async () => {
      build({ LLM_TIMEOUT_MS: '50' });
      const { sessionId } = await service.generate({ prompt: 'one', maxHistory: 10 });
      model.answer(() => silence());
      const started = Date.now();
      await expect(service.generate({ prompt: 'two', sessionId, maxHistory: 10 })).rejects.toBeInstanceOf(LlmTimeoutError);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(model.requests[1].signal?.aborted).toBe(true);
      await service.generate({ prompt: 'three', sessionId, maxHistory: 10 });
      expect(contents()).toEqual(['Human: one', 'AI: ok', 'Human: two', 'Human: three', 'AI: ok']);
    });

    it('should end a stream silent for LLM_IDLE_TIMEOUT_MS between pieces and store nothing of it', async () => {
      build({ LLM_TIMEOUT_MS: '10000', LLM_IDLE_TIMEOUT_MS: '50' });
      model.answer(piecesThenSilence('partial ', 'answer'));
      const pieces: string[] = [];
      const turn = service.stream({ prompt: 'go', maxHistory: 10 }, { onStart: ignore, onToken: (p) => void pieces.push(p) });
      await expect(turn).rejects.toBeInstanceOf(LlmTimeoutError);
      expect(pieces).toEqual(['partial ', 'answer']);
      expect(model.requests[0].signal?.aborted).toBe(true);
      expect(contents()).toEqual(['Human: go']);
    });

    it('should wait for the client to take each piece before pulling the next, without counting that wait as model silence', async () => {
      build({ LLM_IDLE_TIMEOUT_MS: '30' });
      let pulled = 0;
      model.answer({
        async *stream() {
          for (const piece of ['a ', 'b ', 'c']) {
            pulled++;
            yield piece;
          }
        },
      });
      const seen: number[] = [];
      const onToken = async () => {
        seen.push(pulled);
        await new Promise((r) => setTimeout(r, 60));
      };
      const result = await service.stream({ prompt: 'go', maxHistory: 10 }, { onStart: ignore, onToken });
      expect(seen).toEqual([1, 2, 3]);
      expect(result).toMatchObject({ response: 'a b c', finishReason: 'stop' });
    });

    it('should stop a stream at MAX_REPLY_CHARS code points, stop the model and store the cut reply with finish reason length', async () => {
      build({ MAX_REPLY_CHARS: '7' });
      model.answer(many('ab😀 '));
      const pieces: string[] = [];
      const result = await service.stream({ prompt: 'go', maxHistory: 10 }, { onStart: ignore, onToken: (p) => void pieces.push(p) });
      expect(result).toMatchObject({ response: 'ab😀 ab😀', finishReason: 'length' });
      expect(pieces.join('')).toBe('ab😀 ab😀');
      expect(model.requests[0].signal?.aborted).toBe(true);
      expect(contents()).toEqual(['Human: go', 'AI: ab😀 ab😀']);
    });

    it('should cut a whole reply at MAX_REPLY_CHARS, and call a reply of exactly the cap complete', async () => {
      build({ MAX_REPLY_CHARS: '5' });
      model.answer('hello world', 'hello');
      await expect(service.generate({ prompt: 'a', maxHistory: 10 })).resolves.toMatchObject({ response: 'hello', finishReason: 'length' });
      await expect(service.generate({ prompt: 'b', maxHistory: 10 })).resolves.toMatchObject({ response: 'hello', finishReason: 'stop' });
      const streamed = await service.stream({ prompt: 'c', maxHistory: 10 }, { onStart: ignore, onToken: ignore });
      expect(streamed).toMatchObject({ response: 'ok', finishReason: 'stop' });
    });

    it('should abort the running and the waiting turns of a cancelled session with the reason given, storing no answer', async () => {
      const { sessionId } = await service.generate({ prompt: 'one', maxHistory: 10 });
      model.answer(() => silence(), 'never asked');
      const running = service.generate({ prompt: 'two', sessionId, maxHistory: 10 });
      const waiting = service.generate({ prompt: 'three', sessionId, maxHistory: 10 });
      await new Promise((r) => setTimeout(r, 10));
      turns.cancel(sessionId, new SessionDeletedError(sessionId));
      await expect(running).rejects.toBeInstanceOf(SessionDeletedError);
      await expect(waiting).rejects.toBeInstanceOf(SessionDeletedError);
      expect(model.requests).toHaveLength(2);
      expect(model.requests[1].signal?.aborted).toBe(true);
      expect(contents()).toEqual(['Human: one', 'AI: ok', 'Human: two']);
      await expect(service.generate({ prompt: 'four', sessionId, maxHistory: 10 })).resolves.toMatchObject({ response: 'never asked' });
    });

    it('should report a client that went away as an aborted turn even when the model ignores the signal', async () => {
      const controller = new AbortController();
      model.answer(() => silence());
      const turn = service.generate({ prompt: 'go', maxHistory: 10 }, controller.signal);
      await new Promise((r) => setTimeout(r, 10));
      controller.abort();
      await expect(turn).rejects.toBeInstanceOf(TurnAbortedError);
    });
  });
});
