import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { SessionLock } from '../common/session-lock';
import { AppConfig } from '../config/app-config';
import { MAX_WINDOW_TURNS, Turn } from '../memory/domain/conversation-memory';
import { TokenCounter } from '../memory/domain/token-counter';
import { Scope, StoredMessage } from '../sessions/domain/session';
import { SessionStore } from '../sessions/domain/session-store';
import { SessionSummaryStore } from '../settings/domain/session-summary';
import { lastTokens } from './domain/context';
import { Summarizer } from './domain/summarizer';

const NEVER_LOST = new AbortController().signal;

/** Turns folded by one update at most, and characters kept of each message: the fold's cost stays flat. */
const MAX_FOLD_TURNS = 4;
const MAX_FOLD_CHARS = 2_000;

export interface SummaryJob {
  readonly scope: Scope;
  readonly sessionId: string;
  /** The window of the turn just answered: older turns are folded. */
  readonly windowTurns: number;
  readonly model?: string;
}

interface NumberedTurn extends Turn {
  /** The id of the turn's AI message. */
  readonly lastId: number;
}

/**
 * Keeps the running summary of the `summary` strategy: after a turn, folds only the turns that have
 * left the window since the last fold into the previous summary. It runs after the reply, queued on
 * the session's lock behind the turn (so it stays serialized with the turns); a failure is logged
 * and the same turns are folded on a later turn.
 */
@Injectable()
export class SummaryService {
  private readonly logger = new Logger('Summary');

  constructor(
    private readonly store: SessionStore,
    private readonly summaries: SessionSummaryStore,
    private readonly summarizer: Summarizer,
    private readonly counter: TokenCounter,
    private readonly lock: SessionLock,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Queues an update; the promise never rejects. */
  schedule(job: SummaryJob): Promise<void> {
    return this.lock.run(job.sessionId, (held) => this.update(job, held)).catch((error: unknown) => {
      this.logger.warn(`The summary of session ${job.sessionId} was not updated: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /**
   * `held` aborts when the session's lock is lost (a Redis lease that expired): the fold stops and
   * nothing is saved. The save itself is conditional too (see SessionSummaryStore.save), for a lease
   * lost between this check and the write.
   */
  async update({ scope, sessionId, windowTurns, model }: SummaryJob, held: AbortSignal = NEVER_LOST): Promise<void> {
    const previous = await this.summaries.find(sessionId);
    const stored = await this.store.recentMessages(scope, sessionId, 2 * MAX_WINDOW_TURNS + 1);
    const turns = numberedTurns(stored);
    const left = turns
      .slice(0, Math.max(0, turns.length - windowTurns))
      .filter((t) => t.lastId > (previous?.coversUntil ?? 0))
      .slice(0, MAX_FOLD_TURNS);
    if (left.length === 0) return;
    const { summaryMaxTokens: maxTokens } = this.config.context;
    const folded = await this.summarizer.fold({
      previous: previous?.summary ?? null,
      turns: left.map((t) => ({ human: cut(t.human), ai: cut(t.ai) })),
      maxTokens,
      ...(model === undefined ? {} : { model }),
      signal: AbortSignal.any([AbortSignal.timeout(this.config.llm.timeoutMs), held]),
    });
    if (held.aborted) return this.dropped(sessionId, 'the session lost its lock');
    const summary = lastTokens(folded.trim(), maxTokens, model ?? this.config.llm.model, this.counter);
    const coversUntil = left[left.length - 1].lastId;
    const saved = await this.summaries.save(sessionId, { summary, coversUntil }, previous?.coversUntil ?? null, this.clock.now());
    if (!saved) this.dropped(sessionId, 'the summary changed or the history was cleared');
  }

  private dropped(sessionId: string, why: string): void {
    this.logger.warn(`A fold of the summary of session ${sessionId} was dropped: ${why} meanwhile. Later turns fold these turns again.`);
  }
}

function numberedTurns(messages: readonly StoredMessage[]): NumberedTurn[] {
  const turns: NumberedTurn[] = [];
  let pending: string | undefined;
  for (const m of messages) {
    if (m.sender === 'Human') pending = m.content;
    else if (pending !== undefined) {
      turns.push({ human: pending, ai: m.content, lastId: m.id });
      pending = undefined;
    }
  }
  return turns;
}

function cut(text: string): string {
  const chars = Array.from(text);
  return chars.length <= MAX_FOLD_CHARS ? text : `${chars.slice(0, MAX_FOLD_CHARS).join('')}…`;
}
