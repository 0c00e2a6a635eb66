import { InProcessSessionLock, SessionLock } from '../common/session-lock';
import { loadConfig } from '../config/load-config';
import { EVERYONE } from '../sessions/domain/session';
import { InMemorySessionStore, InMemorySummaryStore, WordTokenCounter } from '../../test/support/fakes';
import { ManualClock } from '../../test/support/manual-clock';
import { FoldRequest, Summarizer } from './domain/summarizer';
import { SummaryService } from './summary.service';

class RecordingSummarizer extends Summarizer {
  readonly requests: FoldRequest[] = [];
  failNext = false;
  /** Runs while the fold is under way: what happens to the session meanwhile. */
  meanwhile?: () => Promise<void>;

  async fold(request: FoldRequest): Promise<string> {
    this.requests.push(request);
    await this.meanwhile?.();
    if (this.failNext) {
      this.failNext = false;
      throw new Error('model down');
    }
    return [request.previous, ...request.turns.map((t) => t.human)].filter(Boolean).join(' ');
  }
}

describe(SummaryService.name, () => {
  let store: InMemorySessionStore;
  let summaries: InMemorySummaryStore;
  let summarizer: RecordingSummarizer;
  let service: SummaryService;
  const clock = new ManualClock();

  const build = (env: Record<string, string> = {}, lock: SessionLock = new InProcessSessionLock()) => {
    service = new SummaryService(store, summaries, summarizer, new WordTokenCounter(), lock, clock, loadConfig(env));
  };
  beforeEach(() => {
    store = new InMemorySessionStore();
    summaries = new InMemorySummaryStore(store);
    summarizer = new RecordingSummarizer();
    build();
  });

  const turn = async (n: number) => {
    await store.startTurn(EVERYONE, 's', `fact${n}`, 'x', clock.now());
    await store.appendMessage(EVERYONE, 's', 'AI', `answer${n}`, clock.now());
  };
  const update = (windowTurns = 2) => service.update({ scope: EVERYONE, sessionId: 's', windowTurns });

  it('should fold nothing while every turn is in the window', async () => {
    await turn(1);
    await turn(2);
    await update();
    expect(summarizer.requests).toHaveLength(0);
    expect(await summaries.find('s')).toBeNull();
  });

  it('should fold only the turns that left the window since the last fold into the previous summary', async () => {
    for (let n = 1; n <= 3; n++) await turn(n);
    await update();
    expect(await summaries.find('s')).toEqual({ summary: 'fact1', coversUntil: 2 });
    await turn(4);
    await update();
    expect(summarizer.requests[1]).toMatchObject({ previous: 'fact1', turns: [{ human: 'fact2', ai: 'answer2' }] });
    expect(await summaries.find('s')).toEqual({ summary: 'fact1 fact2', coversUntil: 4 });
  });

  it('should keep each fold the same size however long the conversation grows', async () => {
    for (let n = 1; n <= 30; n++) {
      await turn(n);
      await update();
    }
    expect(summarizer.requests).toHaveLength(28);
    expect(new Set(summarizer.requests.map((r) => r.turns.length))).toEqual(new Set([1]));
  });

  it('should fold the turns a failed update left on a later one, at most four at a time', async () => {
    for (let n = 1; n <= 3; n++) await turn(n);
    summarizer.failNext = true;
    await service.schedule({ scope: EVERYONE, sessionId: 's', windowTurns: 2 });
    expect(await summaries.find('s')).toBeNull();
    for (let n = 4; n <= 9; n++) await turn(n);
    await update();
    expect(summarizer.requests[1].turns.map((t) => t.human)).toEqual(['fact1', 'fact2', 'fact3', 'fact4']);
    await update();
    expect(await summaries.find('s')).toEqual({ summary: 'fact1 fact2 fact3 fact4 fact5 fact6 fact7', coversUntil: 14 });
  });

  it('should keep the summary within MEMORY_SUMMARY_MAX_TOKENS, its newest part', async () => {
    build({ MEMORY_SUMMARY_MAX_TOKENS: '16' });
    summaries.rows.set('s', { summary: Array.from({ length: 20 }, (_, i) => `old${i}`).join(' '), coversUntil: 0 });
    for (let n = 1; n <= 3; n++) await turn(n);
    await update();
    const { summary } = (await summaries.find('s'))!;
    expect(summary.split(' ')).toHaveLength(16);
    expect(summary.endsWith('fact1')).toBe(true);
  });

  it('should save nothing when the session lock is lost while it folds, and stop the fold', async () => {
    const lost = new AbortController();
    build({}, new (class extends SessionLock {
      run<T>(_key: string, work: (held: AbortSignal) => Promise<T>): Promise<T> {
        return work(lost.signal);
      }
    })());
    for (let n = 1; n <= 3; n++) await turn(n);
    summarizer.meanwhile = async () => lost.abort();
    await service.schedule({ scope: EVERYONE, sessionId: 's', windowTurns: 2 });
    expect(summarizer.requests[0].signal?.aborted).toBe(true);
    expect(await summaries.find('s')).toBeNull();
  });

  it('should let a clear made while it folds win: no summary after the clear', async () => {
    for (let n = 1; n <= 3; n++) await turn(n);
    await update();
    await turn(4);
    summarizer.meanwhile = async () => {
      // What the store's clear does in one transaction; the lock was lost, so it did not wait.
      await store.clearMessages(EVERYONE, 's');
      summaries.rows.delete('s');
    };
    await update();
    expect(summarizer.requests).toHaveLength(2);
    expect(await summaries.find('s')).toBeNull();
  });

  it('should not replace a summary saved by another summarizer while it folded', async () => {
    for (let n = 1; n <= 4; n++) await turn(n);
    const newer = { summary: 'newer', coversUntil: 2 };
    summarizer.meanwhile = async () => void summaries.rows.set('s', newer);
    await update();
    expect(await summaries.find('s')).toEqual(newer);
  });
});
