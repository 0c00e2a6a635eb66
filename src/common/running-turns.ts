/** One turn in progress: its signal fires when its session is cancelled; `end` unregisters it. */
export interface RunningTurn {
  readonly signal: AbortSignal;
  end(): void;
}

/**
 * The turns in progress or waiting for their session, so that deleting or clearing a session can
 * stop them instead of waiting for the model. In-process, like the SessionLock it goes with.
 */
export abstract class RunningTurns {
  abstract begin(sessionId: string): RunningTurn;

  /** Aborts every registered turn of the session with `reason` (the error its client gets). */
  abstract cancel(sessionId: string, reason: Error): void;
}

export class InProcessRunningTurns extends RunningTurns {
  private readonly bySession = new Map<string, Set<AbortController>>();

  begin(sessionId: string): RunningTurn {
    const controller = new AbortController();
    const turns = this.bySession.get(sessionId) ?? new Set<AbortController>();
    turns.add(controller);
    this.bySession.set(sessionId, turns);
    return {
      signal: controller.signal,
      end: () => {
        turns.delete(controller);
        if (turns.size === 0 && this.bySession.get(sessionId) === turns) this.bySession.delete(sessionId);
      },
    };
  }

  cancel(sessionId: string, reason: Error): void {
    for (const controller of this.bySession.get(sessionId) ?? []) controller.abort(reason);
  }

  get sessionsWithTurns(): number {
    return this.bySession.size;
  }
}
