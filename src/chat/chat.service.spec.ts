import { Clock } from '../common/clock';
import { InvalidInputError, LlmBadResponseError, LockLostError, PromptTooLongError, SessionDeletedError, TurnAbortedError } from '../common/domain-error';
import { InProcessSessionLock, SessionLock } from '../common/session-lock';
import { loadConfig } from '../config/load-config';
import { EVERYONE } from '../sessions/domain/session';
import { InMemoryConversationMemory, InMemorySessionStore, ScriptedChatModel } from '../../test/support/fakes';
import { ManualClock } from '../../test/support/manual-clock';
import { ChatService } from './chat.service';

describe(ChatService.name, () => {
  let store: InMemorySessionStore;
  let memory: InMemoryConversationMemory;
  let model: ScriptedChatModel;
  let service: ChatService;
  const clock: Clock = new ManualClock();

  beforeEach(() => {
    store = new InMemorySessionStore();
    memory = new InMemoryConversationMemory();
    model = new ScriptedChatModel();
    service = new ChatService(store, memory, model, new InProcessSessionLock(), clock, loadConfig({ MAX_PROMPT_CHARS: '10' }));
  });

  const contents = () => store.messages.map((m) => `${m.sender}: ${m.content}`);

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

  it('should keep the Human message of a failed turn, store no answer and leave the window alone', async () => {
    const { sessionId } = await service.generate({ prompt: 'one', maxHistory: 10 });
    model.answer(new LlmBadResponseError('broken'));
    await expect(service.generate({ prompt: 'two', sessionId, maxHistory: 10 })).rejects.toBeInstanceOf(LlmBadResponseError);
    expect(contents()).toEqual(['Human: one', 'AI: ok', 'Human: two']);
    expect(memory.windows.get(sessionId)).toEqual([{ human: 'one', ai: 'ok' }]);
  });

  it('should store no answer when the session lock is lost while the model answers', async () => {
    const lost = new AbortController();
    const losingLock = new (class extends SessionLock {
      run<T>(_key: string, work: (held: AbortSignal) => Promise<T>): Promise<T> {
        return work(lost.signal);
      }
    })();
    service = new ChatService(store, memory, model, losingLock, clock, loadConfig({}));
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
    const result = await service.stream({ prompt: 'go', maxHistory: 10 }, { onStart: () => started++, onToken: (p) => pieces.push(p) });
    expect(started).toBe(1);
    expect(pieces).toEqual(['one ', 'two ', 'three']);
    expect(result.response).toBe('one two three');
    expect(contents()).toEqual(['Human: go', 'AI: one two three']);
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
});
