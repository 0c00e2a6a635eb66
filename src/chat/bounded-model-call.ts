import { DomainError, LlmTimeoutError, TurnAbortedError } from '../common/domain-error';
import { ChatModel, ModelOptions, PromptMessage, TokenUsage } from './domain/chat-model';

import { FinishReason } from './domain/turns';

export type { FinishReason };

export interface Reply {
  readonly text: string;
  readonly finishReason: FinishReason;
  /** What the call cost, when the model reported it. */
  readonly usage?: TokenUsage;
}

export interface CallLimits {
  /** The whole call, from the request to the last piece. */
  readonly timeoutMs: number;
  /** The longest silence of a stream, before its first piece and between two pieces. */
  readonly idleTimeoutMs: number;
  /** The longest reply, in code points. */
  readonly maxReplyChars: number;
}

/**
 * Why the model's signal fires once a call is over: made once, since an abort without a reason
 * builds a DOMException with its stack on every turn.
 */
const CALL_ENDED = Object.freeze(new Error('The model call is over.'));

/**
 * One model call under a turn's limits and stops (the client left, the session was cancelled).
 * Whatever ends the call first wins and the model's signal fires, so its upstream request stops;
 * the call returns at once even from a model that does not honour its signal.
 */
export class BoundedModelCall {
  private readonly controller = new AbortController();
  /** Fires with the first stop, the call's own limits included. */
  private readonly signal = this.controller.signal;
  private readonly stops: readonly AbortSignal[];
  /** Passes a stop's reason on to this call's signal. */
  private readonly stopped = (event: Event): void => this.controller.abort((event.target as AbortSignal).reason);
  private deadline?: NodeJS.Timeout;
  private idle?: NodeJS.Timeout;

  constructor(
    private readonly model: ChatModel,
    private readonly limits: CallLimits,
    stops: readonly (AbortSignal | undefined)[],
    private readonly options: ModelOptions = {},
  ) {
    // Linked by hand and unlinked when the call ends: AbortSignal.any keeps its link to each stop
    // in a weak reference cleaned up by the garbage collector, which cost every turn.
    this.stops = stops.filter((s): s is AbortSignal => s !== undefined);
    for (const stop of this.stops) {
      if (stop.aborted) {
        this.controller.abort(stop.reason);
        break;
      }
      stop.addEventListener('abort', this.stopped, { once: true });
    }
  }


  async complete(messages: readonly PromptMessage[]): Promise<Reply> {
    this.start();
    let usage: TokenUsage | undefined;
    try {
      const text = await this.race(this.model.complete({ ...this.options, messages, signal: this.signal, onUsage: (reported) => (usage = reported) }));
      const chars = Array.from(text);
      if (chars.length <= this.limits.maxReplyChars) return { text, finishReason: 'stop', usage };
      // The model produced (and counted) the whole reply, cut or not.
      return { text: chars.slice(0, this.limits.maxReplyChars).join(''), finishReason: 'length', usage };
    } catch (error) {
      throw this.failure(error);
    } finally {
      this.end();
    }
  }

  /** Hands each piece to `onPiece` and pulls the next only once it has been taken (backpressure). */
  async stream(messages: readonly PromptMessage[], onPiece: (piece: string) => void | Promise<void>): Promise<Reply> {
    this.start();
    let usage: TokenUsage | undefined;
    // The usage comes after the last piece: a stream cut at the reply cap ends without it.
    const pieces = this.model.stream({ ...this.options, messages, signal: this.signal, onUsage: (reported) => (usage = reported) })[Symbol.asyncIterator]();
    let text = '';
    let room = this.limits.maxReplyChars;
    try {
      for (;;) {
        const next = await this.race(pieces.next(), true);
        if (next.done) return { text, finishReason: 'stop', usage };
        const chars = Array.from(next.value);
        const piece = chars.length > room ? chars.slice(0, room).join('') : next.value;
        if (piece) {
          text += piece;
          await this.race(Promise.resolve(onPiece(piece)));
        }
        if (chars.length > room) return { text, finishReason: 'length' };
        room -= chars.length;
      }
    } catch (error) {
      throw this.failure(error);
    } finally {
      this.end();
      pieces.return?.().catch(() => undefined);
    }
  }

  /** `work`, unless a stop comes first; with `idle`, silence longer than the idle limit is a stop too. */
  private race<T>(work: Promise<T>, idle = false): Promise<T> {
    if (idle) this.idle = this.timer(this.limits.idleTimeoutMs, `The model sent nothing for ${this.limits.idleTimeoutMs} ms.`);
    return new Promise<T>((resolve, reject) => {
      const onStop = () => reject(this.signal.reason);
      const settle = () => {
        clearTimeout(this.idle);
        this.signal.removeEventListener('abort', onStop);
      };
      if (this.signal.aborted) onStop();
      else this.signal.addEventListener('abort', onStop, { once: true });
      work.then(
        (value) => (settle(), resolve(value)),
        (error: unknown) => (settle(), reject(error)),
      );
    });
  }

  private start(): void {
    this.deadline = this.timer(this.limits.timeoutMs, `The model did not finish its answer within ${this.limits.timeoutMs} ms.`);
  }

  /** A timer that stops the call as timed out; it does not keep the process alive on its own. */
  private timer(ms: number, detail: string): NodeJS.Timeout {
    return setTimeout(() => this.controller.abort(new LlmTimeoutError(detail)), ms).unref();
  }

  /** Once a stop fired, it is what the caller hears, whatever the model threw on its way out. */
  private failure(error: unknown): unknown {
    return this.signal.aborted ? stopReason(this.signal) : error;
  }

  private end(): void {
    clearTimeout(this.deadline);
    clearTimeout(this.idle);
    for (const stop of this.stops) stop.removeEventListener('abort', this.stopped);
    this.controller.abort(CALL_ENDED);
  }
}

/** Throws the reason of the first fired signal, as a DomainError. */
export function throwIfStopped(...signals: readonly (AbortSignal | undefined)[]): void {
  const stopped = signals.find((s) => s?.aborted);
  if (stopped) throw stopReason(stopped);
}

function stopReason(signal: AbortSignal): DomainError {
  const reason: unknown = signal.reason;
  return reason instanceof DomainError ? reason : new TurnAbortedError('The request was aborted.', { cause: reason });
}
